"""floe_core: the validation core of the floe.yaml language.

One entry point, :func:`analyze`, turns a document into diagnostics, a symbol table and the
typed config. It never imports dagster or pygls, and never imports or runs user code.
"""

from floe_core.analysis import Analysis, analyze
from floe_core.context import AnalysisContext
from floe_core.diagnostics import Diagnostic, Fix, Severity, TextEdit
from floe_core.errors import FloeConfigError
from floe_core.loading import LoadedConfig, load_config
from floe_core.positions import Position, Range

__all__ = [
    "Analysis",
    "AnalysisContext",
    "Diagnostic",
    "Fix",
    "FloeConfigError",
    "LoadedConfig",
    "Position",
    "Range",
    "Severity",
    "TextEdit",
    "analyze",
    "load_config",
]
