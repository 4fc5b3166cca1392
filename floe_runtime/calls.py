"""Calling a user function named in floe.yaml (ops jobs, custom sensors) with the ``args``
of the config, typed by the function's annotations: ``retention_days: "${DAYS:30}"`` arrives
as the int 30 when the parameter says ``int``. A parameter named ``context`` receives
Dagster's context and one named like a resource receives that resource."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError


class ArgumentError(ValueError):
    """An argument that does not fit the function's parameter."""


@dataclass(frozen=True)
class PreparedCall:
    """A function, its typed arguments, and what it wants injected."""

    function: Callable[..., Any]
    arguments: Mapping[str, Any]
    wants_context: bool
    resources: frozenset[str]

    def __call__(self, context: Any, resources: Any = None) -> Any:
        kwargs = dict(self.arguments)
        if self.wants_context:
            kwargs["context"] = context
        for name in self.resources:
            kwargs[name] = getattr(resources, name)
        return self.function(**kwargs)


def prepare_call(
    function: Callable[..., Any],
    args: Mapping[str, Any] | None,
    resource_keys: frozenset[str] = frozenset(),
) -> PreparedCall:
    """Type ``args`` by the function's annotations; raise ArgumentError when one does not fit
    or the function has no such parameter."""
    parameters = inspect.signature(function).parameters
    try:
        hints = typing.get_type_hints(function)
    except (NameError, TypeError):
        hints = {}
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    typed: dict[str, Any] = {}
    for name, value in (args or {}).items():
        if name not in parameters and not accepts_any:
            known = ", ".join(parameters) or "none"
            raise ArgumentError(
                f"'{name}' is not a parameter of the function (parameters: {known})"
            )
        hint = hints.get(name)
        try:
            typed[name] = TypeAdapter(hint).validate_python(value) if hint else value
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"]
            raise ArgumentError(f"'{name}': {value!r} does not fit {hint}: {problem}") from exc
    resources = frozenset(p for p in parameters if p in resource_keys and p not in typed)
    return PreparedCall(function, typed, "context" in parameters, resources)
