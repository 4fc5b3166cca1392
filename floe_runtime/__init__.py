"""floe_runtime: a validated floe.yaml (plus platform.yaml) becomes Dagster ``Definitions``.

The runtime is thin: floe_core decides whether the config is valid; this package translates
it into Dagster objects through Dagster's public API::

    from floe_runtime import load_definitions
    defs = load_definitions("floe.yaml")
"""

from floe_runtime.definitions import load_definitions

__all__ = ["load_definitions"]
