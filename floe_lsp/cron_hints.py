"""The cron values of a parsed floe.yaml and their plain-words descriptions (inlay hints).

Every ``cron_schedule`` under ``orchestration`` (schedules, time-window partitions and
the dimensions of multi partitions) whose value, after interpolation, is a valid cron.
Descriptions are remembered per expression, so a file with hundreds of schedules costs one
cron-descriptor call per distinct expression.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from floe_core.cron import describe_cron, parse_cron
from floe_core.positions import Position, Range
from floe_core.yaml_tree import MapNode, Node, ScalarNode, SeqNode

CRON_KEY = "cron_schedule"
MAX_REMEMBERED = 2048
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class CronHint:
    """A description to show right after a cron value."""

    position: Position
    label: str
    expression: str


class CronDescriber:
    """Describes cron expressions, remembering the answers."""

    def __init__(self) -> None:
        self._known: dict[str, str | None] = {}

    def describe(self, expression: str) -> str | None:
        """Plain words for a valid expression, None for an invalid one."""
        if expression not in self._known:
            if len(self._known) >= MAX_REMEMBERED:
                self._known.clear()
            self._known[expression] = (
                describe_cron(expression) if parse_cron(expression).ok else None
            )
        return self._known[expression]

    def hints(self, root: Node | None, within: Range | None = None) -> list[CronHint]:
        """A hint after every valid cron value of the document (only those in ``within``)."""
        out: list[CronHint] = []
        if not isinstance(root, MapNode):
            return out
        section = root.get("orchestration")
        for node in _cron_nodes(section, 0):
            end = node.range.end
            if within is not None and not (within.start <= end <= within.end):
                continue
            value = node.value
            if node.unresolved or not isinstance(value, str):
                continue
            words = self.describe(value)
            if words:
                out.append(CronHint(end, f"⟵ {words}", value))
        return out


def _cron_nodes(node: Node | None, depth: int) -> Iterator[ScalarNode]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, MapNode):
        for key, entry in node.items():
            if key == CRON_KEY and isinstance(entry.value, ScalarNode):
                yield entry.value
            else:
                yield from _cron_nodes(entry.value, depth + 1)
    elif isinstance(node, SeqNode):
        for item in node.items:
            yield from _cron_nodes(item, depth + 1)
