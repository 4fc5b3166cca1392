"""Typed views of the orchestration entities that are individually valid.

When the whole file validates, they come from the FloeSpec. When it does not, each entity
is validated on its own, so one broken job does not hide the cross-reference, cron and
partition checks of every other entity (the editor shows all problems at once).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import TypeAdapter, ValidationError

from floe_core.models import (
    AssetConfig,
    BackfillDefinition,
    BatchJob,
    DbtConfig,
    FloeSpec,
    JobDefinition,
    OpsJob,
    PartitionDefinition,
    ScheduleDefinition,
    SensorDefinition,
)
from floe_core.section_memo import SectionMemo
from floe_core.yaml_tree import MapEntry, MapNode, Node

T = TypeVar("T")

Partition = Any  # one of the PartitionDefinition union's members
Job = BatchJob | OpsJob
Sensor = Any  # one of the SensorDefinition union's members


class Entity(NamedTuple, Generic[T]):
    """One named, valid entity and where it stands in the document."""

    name: str
    model: T
    entry: MapEntry

    @property
    def node(self) -> Node:
        """The entity's body (the mapping under its name)."""
        return self.entry.value


@dataclass
class Entities:
    """The valid entities of each orchestration section."""

    partitions: dict[str, Entity[Partition]] = field(default_factory=dict)
    assets: dict[str, Entity[AssetConfig]] = field(default_factory=dict)
    jobs: dict[str, Entity[Job]] = field(default_factory=dict)
    schedules: dict[str, Entity[ScheduleDefinition]] = field(default_factory=dict)
    sensors: dict[str, Entity[Sensor]] = field(default_factory=dict)
    backfills: dict[str, Entity[BackfillDefinition]] = field(default_factory=dict)
    dbt: DbtConfig | None = None
    asset_modules: list[str] = field(default_factory=list)
    _derived: dict[Callable[[Entities, Any], Any], Any] = field(
        default_factory=dict, repr=False, compare=False
    )
    # The previous analysis' indexes, for ``derived`` to hand to their builders.
    _earlier: dict[Callable[[Entities, Any], Any], Any] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Each section's entities, for the next analysis to take over what it finds unchanged.
    _sections: SectionMemo[dict[str, Entity[Any]]] = field(
        default_factory=SectionMemo, repr=False, compare=False
    )

    def derived(self, build: Callable[[Entities, T | None], T]) -> T:
        """An index computed from these entities once (``build`` is its constructor).

        Checks and editor features ask the same questions of the same entities many times
        (which patterns match an asset, which assets a job selects); the answers are
        computed once per analysis and kept here. ``build`` also gets the previous
        analysis' index of its kind (or None), to take over what still holds: an entity the
        edit left alone is the same object in both analyses.
        """
        found = self._derived.get(build)
        if found is None:
            found = self._derived[build] = build(self, self._earlier.get(build))
        return found


_TYPES: dict[str, Any] = {
    "partitions": PartitionDefinition,
    "assets": AssetConfig,
    "jobs": JobDefinition,
    "schedules": ScheduleDefinition,
    "sensors": SensorDefinition,
    "backfills": BackfillDefinition,
    "dbt": DbtConfig,
    "asset_modules": list[str],
}
_SECTIONS = ("partitions", "assets", "jobs", "schedules", "sensors", "backfills")


@functools.cache
def _adapter(name: str) -> TypeAdapter[Any]:
    """The validator of one entity of a section (or of ``dbt``, ``asset_modules``), built
    when first needed: the entities of a valid file are the spec's models and need none."""
    return TypeAdapter(_TYPES[name])


def collect_entities(
    root: Node | None, data: Any, spec: FloeSpec | None, previous: Entities | None = None
) -> Entities:
    """The valid entities, from the spec when there is one, else one by one. A section, or
    an entity, whose views ``previous`` saw keeps the very Entity objects it made of them."""
    entities = Entities()
    known = previous._sections if previous is not None else None
    if previous is not None:
        entities._earlier = previous._derived
    if not isinstance(root, MapNode) or not isinstance(data, dict):
        return entities
    section_nodes = root.get("orchestration")
    raw = data.get("orchestration")
    if not isinstance(section_nodes, MapNode) or not isinstance(raw, dict):
        return entities
    orchestration = spec.orchestration if spec is not None else None
    for section in _SECTIONS:
        body = section_nodes.get(section)
        raw_section = raw.get(section)
        if not isinstance(body, MapNode) or not isinstance(raw_section, dict):
            continue
        values = getattr(orchestration, section) if orchestration else None
        validate = values.__getitem__ if values is not None else None
        compute = _Section(section, body, raw_section, validate).entities
        found = entities._sections.carry(known, section, body, compute, along=raw_section)
        setattr(entities, section, found)
    if orchestration is not None:
        entities.dbt = orchestration.dbt
        entities.asset_modules = list(orchestration.asset_modules)
    else:
        entities.dbt = _validate_value("dbt", raw.get("dbt"))
        entities.asset_modules = _validate_value("asset_modules", raw.get("asset_modules")) or []
    return entities


class _Section(NamedTuple):
    """One orchestration section to read entities from (models from the spec when the whole
    file is valid, else validated one by one)."""

    name: str
    body: MapNode
    raw: dict[Any, Any]
    from_spec: Callable[[str], Any] | None

    def entities(self, earlier: dict[str, Entity[Any]] | None) -> dict[str, Entity[Any]]:
        """The section's valid entities; those of ``earlier`` (what the previous analysis
        made of the section) whose body is the very same view are taken over as they are."""
        found: dict[str, Entity[Any]] = {}
        for name, entry in self.body.items():
            old = earlier.get(name) if earlier is not None else None
            if old is not None and old.node is entry.value:
                found[name] = old
                continue
            if self.from_spec is not None:
                model = self.from_spec(name)
            else:
                model = _validate_value(self.name, self.raw.get(name))
            if model is not None:
                found[name] = Entity(name, model, entry)
        return found


def with_models(data: Any, entities: Entities) -> Any:
    """``data`` with each valid entity's raw value replaced by its model (a shallow copy).

    Validating that as a FloeSpec takes the models as they are, so it checks only what the
    entities leave (the other sections, the invalid entities): the same spec, with the same
    model objects, and the same errors as validating ``data``, at a fraction of the cost.
    """
    raw = data.get("orchestration") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        return data
    orchestration = dict(raw)
    for section in _SECTIONS:
        values = raw.get(section)
        if isinstance(values, dict):
            found: dict[str, Entity[Any]] = getattr(entities, section)
            orchestration[section] = {
                name: found[name].model if name in found else value
                for name, value in values.items()
            }
    return {**data, "orchestration": orchestration}


def _validate_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    try:
        return _adapter(name).validate_python(value)
    except ValidationError:
        return None
