"""floe_runtime: a validated floe.yaml (plus platform.yaml) becomes Dagster ``Definitions``.

The runtime is thin: floe_core decides whether the config is valid; this package translates
it into Dagster objects through Dagster's public API::

    from floe_runtime import load_definitions
    defs = load_definitions("floe.yaml")

Importing the package is cheap: Dagster is imported on first use of ``load_definitions``
(the ``floe`` CLI imports ``floe_runtime.cli`` to register its commands).
"""

from typing import Any

__all__ = ["load_definitions"]


def __getattr__(name: str) -> Any:
    if name == "load_definitions":
        from floe_runtime.definitions import load_definitions  # noqa: PLC0415

        return load_definitions
    raise AttributeError(f"module 'floe_runtime' has no attribute '{name}'")
