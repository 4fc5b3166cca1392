"""Function references (``target_function`` of ops jobs and custom sensors, a dynamic
partition's ``fn``, a dotted ``partition_selector``): the module exists and defines the
function. Modules are read with ``ast``, never imported.

A module that does not exist or does not parse is an error. A function the module does not
define is an error with a did-you-mean, unless the module may create names at run time
(``__getattr__``, ``globals()``, star imports): then it is a warning. A name the module
imports or assigns counts as defined.
"""

from __future__ import annotations

from collections.abc import Iterator

from floe_core.checks import CheckContext
from floe_core.diagnostics import Diagnostic, Severity, replace_fix
from floe_core.module_resolution import find_module
from floe_core.python_modules import scan_module
from floe_core.schema_errors import describe
from floe_core.suggestions import closest
from floe_core.symbols import Reference, SymbolKind


def check(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Diagnose every function reference whose module or function cannot be found."""
    for ref in ctx.symbols.references_of(SymbolKind.FUNCTION):
        if ref.node.unresolved:
            continue
        yield from _reference(ctx, ref)


def _reference(ctx: CheckContext, ref: Reference) -> Iterator[Diagnostic]:
    module, _, function = ref.name.rpartition(".")
    if not module or not function.isidentifier():
        return
    context = ctx.context
    resolution = find_module(module, context.base_dir, context.extra_roots, context.cache)
    scan = scan_module(resolution.path, context.cache) if resolution.path is not None else None
    if (
        scan is not None
        and scan.syntax_error is None
        and (function in scan.functions or function in scan.names)
    ):
        return
    owner = describe(ref.path[:3])
    module_end = len(module)
    module_range = ref.node.span(0, module_end) if ref.node.interpolation is None else ref.range
    function_range = (
        ref.node.span(module_end + 1, len(ref.name))
        if ref.node.interpolation is None
        else ref.range
    )
    if resolution.path is None:
        if resolution.namespace:
            detail = "it is a folder without __init__.py, not a module with functions"
        else:
            shown = ", ".join(str(p) for p in resolution.searched[:4]) or "nothing"
            detail = f"looked for {shown}"
        yield Diagnostic(
            module_range,
            Severity.ERROR,
            "function-module-not-found",
            f"{owner} refers to '{ref.name}', but module '{module}' does not exist ({detail}); "
            "the module is found next to floe.yaml or in a parent folder",
        )
        return
    if scan is None:
        return
    if scan.syntax_error is not None:
        problem = scan.syntax_error
        yield Diagnostic(
            module_range,
            Severity.ERROR,
            "module-syntax-error",
            f"{owner} refers to '{ref.name}', but {resolution.path}:{problem.line + 1}:"
            f"{problem.column + 1} has a syntax error: {problem.message}",
        )
        return
    star_import = any("*" in names for _, _, names in scan.imports)
    dynamic = star_import or any(
        "__getattr__" in r or "set at run time" in r for _, r in scan.dynamic
    )
    best = closest(function, scan.functions)
    hint = f"; did you mean '{best}'?" if best else ""
    if not best and scan.functions:
        hint = f"; it defines {', '.join(sorted(scan.functions)[:8])}"
    maybe = " (it may create names at run time, so this is only a warning)" if dynamic else ""
    yield Diagnostic(
        function_range,
        Severity.WARNING if dynamic else Severity.ERROR,
        "function-not-found",
        f"{owner} refers to '{ref.name}', but {resolution.path.name} defines no function "
        f"'{function}'{hint}{maybe}",
        replace_fix(f"Change to '{best}'", function_range, best) if best else (),
    )
