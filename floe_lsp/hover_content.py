"""Hover text for whatever is under the cursor in floe.yaml, independent of the protocol.

A dbt model (description, materialization, columns, upstream and downstream models, file);
a cron expression (plain words and the next fire times in its timezone and in UTC); a job,
partition, schedule, sensor or backfill (a summary of its definition); a ``${VAR:default}``
(the value it resolves to and where from); a selection item (the assets it resolves to); a
key (its documentation from the model). Content is built once as blocks and rendered as
Markdown or as plain text, whichever the client reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from floe_core.analysis import Analysis
from floe_core.cron import describe_cron, next_fire_times, parse_cron
from floe_core.cursor_path import CursorPath
from floe_core.interpolation import EnvRef, interpolate
from floe_core.job_partitions import pattern_assets
from floe_core.manifest import DbtNode, ManifestIndex
from floe_core.positions import Position, Range
from floe_core.selection import Leaf, NameSel, leaves, parse_selection, resolve
from floe_core.suggestions import did_you_mean
from floe_core.symbols import SymbolKind
from floe_core.universe import AssetInfo
from floe_lsp.cursor_context import CursorContext, context_at, models_at
from floe_lsp.field_docs import field_doc

LIST_CAP = 20
"""Lists in a hover (assets, columns, models) show at most this many entries."""

FIRE_TIMES = 5

BlockKind = Literal["title", "text", "code", "list", "table"]


@dataclass(frozen=True, slots=True)
class _Block:
    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class HoverContent:
    """The hover's blocks and the range of the thing hovered (code points)."""

    range: Range
    blocks: list[_Block] = field(default_factory=list)

    def title(self, text: str) -> HoverContent:
        """A first line naming what is hovered (``text`` may hold `code` spans)."""
        self.blocks.append(_Block("title", text))
        return self

    def text(self, text: str) -> HoverContent:
        """A paragraph."""
        if text:
            self.blocks.append(_Block("text", text))
        return self

    def code(self, text: str) -> HoverContent:
        """A literal block."""
        self.blocks.append(_Block("code", text))
        return self

    def bullets(self, items: Sequence[str], total: int | None = None) -> HoverContent:
        """A list, capped at LIST_CAP entries with a note of how many more there are."""
        shown = list(items[:LIST_CAP])
        count = len(items) if total is None else total
        if count > len(shown):
            shown.append(f"... and {count - len(shown)} more")
        if shown:
            self.blocks.append(_Block("list", items=tuple(shown)))
        return self

    def table(self, header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> HoverContent:
        """A table with a header row."""
        self.blocks.append(_Block("table", rows=(header, *rows)))
        return self

    def markdown(self) -> str:
        """The content as Markdown."""
        parts: list[str] = []
        for block in self.blocks:
            if block.kind == "title":
                parts.append(f"**{block.text}**")
            elif block.kind == "text":
                parts.append(block.text)
            elif block.kind == "code":
                parts.append(f"```\n{block.text}\n```")
            elif block.kind == "list":
                parts.append("\n".join(f"- {item}" for item in block.items))
            else:
                header, *rows = block.rows
                lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                lines.extend("| " + " | ".join(row) + " |" for row in rows)
                parts.append("\n".join(lines))
        return "\n\n".join(parts)

    def plaintext(self) -> str:
        """The content as plain text (no Markdown markers)."""
        parts: list[str] = []
        for block in self.blocks:
            if block.kind in ("title", "text"):
                parts.append(block.text.replace("`", ""))
            elif block.kind == "code":
                parts.append("    " + block.text.replace("\n", "\n    "))
            elif block.kind == "list":
                parts.append("\n".join(f"  - {item.replace('`', '')}" for item in block.items))
            else:
                header, *rows = block.rows
                lines = ["  ".join(header)] + ["  ".join(row) for row in rows]
                parts.append("\n".join(lines))
        return "\n\n".join(parts)


def hover_at(
    text: str,
    position: Position,
    analysis: Analysis | None,
    *,
    now: datetime | None = None,
    process_env: Mapping[str, str] | None = None,
) -> HoverContent | None:
    """What to show for ``position`` (code points) in ``text``; None when nothing is there.

    ``analysis`` is the latest analysis whose text parsed (names and the asset universe come
    from it); ``now`` fixes the instant fire times count from (tests); ``process_env`` is the
    server's own environment, to tell a variable from it apart from one of the env file.
    """
    root = analysis.document.root if analysis is not None and analysis.text == text else None
    context = context_at(text, position, root)
    cursor = context.cursor
    if context.expect == "none" and cursor.role != "key":
        return None
    hover = _Hover(context, analysis, now, process_env or {})
    return hover.build()


class _Hover:
    """Picks the hover for one cursor."""

    def __init__(
        self,
        context: CursorContext,
        analysis: Analysis | None,
        now: datetime | None,
        process_env: Mapping[str, str],
    ) -> None:
        self.context = context
        self.cursor: CursorPath = context.cursor
        self.analysis = analysis
        self.now = now
        self.process_env = process_env

    def env(self) -> Mapping[str, str]:
        return self.analysis.context.environment() if self.analysis else self.process_env

    def build(self) -> HoverContent | None:
        cursor = self.cursor
        if cursor.role == "key":
            return self._key()
        reference = self.context.reference
        value = self._resolved(cursor.text)
        if reference == "cron":
            return self._cron(value)
        env_hover = self._env_ref()
        if env_hover is not None:
            return env_hover
        if reference == "job":
            return self._entity("jobs", value)
        if reference == "partition":
            return self._entity("partitions", value)
        if reference == "selection":
            return self._selection()
        if reference == "asset":
            return self._asset(value, cursor.range)
        return self._field_doc(self.context.field_name, self.context.mapping_path)

    # --- keys ---------------------------------------------------------------------------

    def _key(self) -> HoverContent | None:
        cursor = self.cursor
        path = cursor.path
        if len(path) == 2 and path[0] == "orchestration":
            section = str(path[1])
            if section == "assets":
                return self._pattern(cursor.text)
            if section in _NOUNS:
                return self._entity(section, cursor.text)
        return self._field_doc(cursor.text, path)

    def _field_doc(self, name: str | None, mapping: tuple[str | int, ...]) -> HoverContent | None:
        if not name:
            return None
        for model in self.context.models or models_at(self.cursor, mapping):
            info = model.model_fields.get(name)
            if info is None:
                continue
            doc = field_doc(name, info)
            hover = HoverContent(self.cursor.range)
            hover.title(f"`{name}`: {doc.summary()}")
            return hover.text(doc.description)
        return None

    # --- ${VAR} -------------------------------------------------------------------------

    def _env_ref(self) -> HoverContent | None:
        cursor = self.cursor
        if "${" not in cursor.text:
            return None
        result = interpolate(cursor.text, self.env())
        for ref in result.refs:
            if ref.start <= cursor.offset <= ref.end:
                where = cursor.range.sub(ref.start, ref.end)
                hover = HoverContent(where).title(f"`{cursor.text[ref.start : ref.end]}`")
                return hover.text(self._env_words(ref))
        return None

    def _env_notes(self) -> list[str]:
        """What each ``${VAR}`` of the value under the cursor resolves to."""
        if "${" not in self.cursor.text:
            return []
        result = interpolate(self.cursor.text, self.env())
        return [f"`{ref.name}`: {self._env_words(ref)}" for ref in result.refs]

    def _env_words(self, ref: EnvRef) -> str:
        if ref.source == "unset":
            return (
                f"{ref.name} is not set and has no default: the value is unknown, and the "
                f"runtime will refuse to load. Set it, or write `${{{ref.name}:value}}`."
            )
        if ref.source == "default":
            return f"Resolves to `{ref.value}`: the default ({ref.name} is not set)."
        origin = "the server's environment"
        if self.analysis is not None and self.analysis.context.env is not None:
            inherited = self.process_env.get(ref.name)
            if inherited is None or inherited != ref.value:
                origin = "the env file (floe.envFile)"
        return f"Resolves to `{ref.value}`: {ref.name} is set in {origin}."

    def _resolved(self, raw: str) -> str:
        if "${" not in raw:
            return raw
        result = interpolate(raw, self.env())
        return raw if result.unresolved else result.value

    # --- cron ---------------------------------------------------------------------------

    def _cron(self, expr: str) -> HoverContent | None:
        if not expr.strip():
            return None
        hover = HoverContent(self.cursor.range).title(f"cron `{expr}`")
        for note in self._env_notes():
            hover.text(note)
        parsed = parse_cron(expr)
        if not parsed.ok:
            return hover.text(parsed.message)
        hover.text(describe_cron(expr))
        zone = self._resolved(self._sibling("timezone") or "UTC")
        times = next_fire_times(expr, zone, FIRE_TIMES, after=self.now)
        if not times:
            return hover.text(f"'{zone}' is not a valid timezone, so no fire times are shown.")
        rows = [(_when(t), _when(t.astimezone(UTC))) for t in times]
        if zone == "UTC":
            return hover.text("Next fire times (UTC):").bullets([r[0] for r in rows])
        return hover.text(f"Next {FIRE_TIMES} fire times:").table((zone, "UTC"), rows)

    def _sibling(self, key: str) -> str | None:
        value = self.cursor.sibling_value(self.context.mapping_path, key)
        return value or None

    # --- entities -----------------------------------------------------------------------

    def _entity(self, section: str, name: str) -> HoverContent | None:
        analysis = self.analysis
        if analysis is None or not name:
            return None
        kind = _KINDS[section]
        defined = analysis.symbols.defined(kind)
        if name not in defined:
            return (
                HoverContent(self.cursor.range)
                .title(f"{_NOUNS[section]} `{name}`")
                .text(
                    f"No {_NOUNS[section]} named '{name}' is defined under "
                    f"orchestration.{section}{did_you_mean(name, defined) or '.'}"
                )
            )
        entity = getattr(analysis.entities, section).get(name)
        hover = HoverContent(self.cursor.range)
        model = entity.model if entity is not None else None
        kind_word = getattr(model, "type", None)
        label = f"{kind_word} {_NOUNS[section]}" if isinstance(kind_word, str) else _NOUNS[section]
        hover.title(f"{label} `{name}`")
        if model is None:
            return hover.text("Its definition is not valid yet; see the problems reported on it.")
        description = getattr(model, "description", None)
        if isinstance(description, str):
            hover.text(description)
        hover.bullets(_facts(model))
        if section == "jobs":
            self._job_extras(hover, name, model)
        if section == "partitions":
            users = [
                f"`{pattern}`"
                for pattern, asset in analysis.entities.assets.items()
                if asset.model.partitions == name
            ]
            if users:
                hover.text("Applied to the asset patterns " + ", ".join(users) + ".")
        return hover

    def _job_extras(self, hover: HoverContent, name: str, model: Any) -> None:
        analysis = self.analysis
        assert analysis is not None
        selection = getattr(model, "selection", None)
        if isinstance(selection, list) and analysis.universe.known:
            keys: set[str] = set()
            for item in selection:
                parsed = parse_selection(item)
                if parsed.expr is not None:
                    keys |= resolve(parsed.expr, analysis.universe)
            hover.text(f"Selects {_count(len(keys), 'asset')}:").bullets(sorted(keys))
        users = [
            ref.path[2]
            for ref in analysis.symbols.references_to(SymbolKind.JOB, name)
            if len(ref.path) > 2
        ]
        if users:
            hover.text("Run by " + ", ".join(f"`{u}`" for u in dict.fromkeys(users)) + ".")

    # --- assets and selections ---------------------------------------------------------

    def _selection(self) -> HoverContent | None:
        analysis = self.analysis
        cursor = self.cursor
        parsed = parse_selection(cursor.text)
        if parsed.expr is None or analysis is None:
            message = parsed.errors[0].message if parsed.errors else "not a selection"
            return HoverContent(cursor.range).title(f"selection `{cursor.text}`").text(message)
        leaf = _leaf_at(leaves(parsed.expr), cursor.offset)
        if isinstance(leaf, NameSel) and _model_node(analysis, leaf.pattern) is not None:
            return self._asset(leaf.pattern, cursor.range.sub(leaf.start, leaf.end))
        keys = sorted(resolve(parsed.expr, analysis.universe))
        hover = HoverContent(cursor.range).title(f"selection `{cursor.text}`")
        if not analysis.universe.known:
            return hover.text("No asset sources are configured (dbt manifest, asset_modules).")
        hover.text(f"Selects {_count(len(keys), 'asset')}" + (":" if keys else "."))
        if not analysis.universe.complete:
            hover.text("(the asset universe is incomplete: more assets may match at run time)")
        return hover.bullets(keys)

    def _pattern(self, pattern: str) -> HoverContent | None:
        analysis = self.analysis
        if analysis is None or not pattern:
            return None
        if _model_node(analysis, pattern) is not None:
            return self._asset(pattern, self.cursor.range)
        keys = sorted(pattern_assets(analysis.universe, pattern))
        hover = HoverContent(self.cursor.range).title(f"asset pattern `{pattern}`")
        hover.text(f"Matches {_count(len(keys), 'asset')}" + (":" if keys else "."))
        return hover.bullets(keys)

    def _asset(self, name: str, where: Range) -> HoverContent | None:
        analysis = self.analysis
        if analysis is None or not name:
            return None
        node = _model_node(analysis, name)
        index = analysis.universe.manifest
        if node is not None and index is not None:
            return _dbt_hover(HoverContent(where), node, index)
        found = analysis.universe.lookup(name)
        if not found:
            return HoverContent(where).title(f"asset `{name}`").text("Not a known asset.")
        return _asset_hover(HoverContent(where), found[0])


_NOUNS = {
    "jobs": "job",
    "partitions": "partition",
    "schedules": "schedule",
    "sensors": "sensor",
    "backfills": "backfill",
}
_KINDS = {
    "jobs": SymbolKind.JOB,
    "partitions": SymbolKind.PARTITION,
    "schedules": SymbolKind.SCHEDULE,
    "sensors": SymbolKind.SENSOR,
    "backfills": SymbolKind.BACKFILL,
}
_FACT_FIELDS = (
    "job",
    "selection",
    "target_function",
    "cron_schedule",
    "timezone",
    "start",
    "end",
    "fmt",
    "partition_keys",
    "fn",
    "path",
    "pattern",
    "watched_assets",
    "watched_jobs",
    "status",
    "enabled",
    "partition_range",
    "batch_size",
    "poll_interval_seconds",
)


def _facts(model: Any) -> list[str]:
    """One line per meaningful field of an entity: "cron_schedule: `0 6 * * *` (At 06:00)"."""
    facts: list[str] = []
    for name in _FACT_FIELDS:
        value = getattr(model, name, None)
        if value is None or name not in type(model).model_fields:
            continue
        if isinstance(value, list):
            shown = ", ".join(f"`{v}`" for v in value[:LIST_CAP])
        elif hasattr(value, "start") and hasattr(value, "end"):
            shown = f"`{value.start}` to `{value.end}`"
        elif isinstance(value, bool):
            shown = "true" if value else "false"
        else:
            shown = f"`{value}`"
        if name == "cron_schedule":
            shown += f" ({describe_cron(str(value))})"
        facts.append(f"{name}: {shown}")
    dimensions = getattr(model, "partitions", None)
    if isinstance(dimensions, Mapping):
        facts.extend(
            f"dimension `{dim}`: {getattr(sub, 'type', '?')}" for dim, sub in dimensions.items()
        )
    return facts


def _leaf_at(found: list[Leaf], offset: int) -> Leaf | None:
    for leaf in found:
        if leaf.start <= offset <= leaf.end:
            return leaf
    return None


def _model_node(analysis: Analysis, name: str) -> DbtNode | None:
    index = analysis.universe.manifest
    if index is None:
        return None
    nodes = index.named(name)
    return next((n for n in nodes if n.resource_type != "test"), None)


def _dbt_hover(hover: HoverContent, node: DbtNode, index: ManifestIndex) -> HoverContent:
    what = node.resource_type
    if node.materialization and what == "model":
        what = f"{node.materialization} model"
    hover.title(f"dbt {what} `{node.name}`")
    hover.text(node.description or "(no description in the dbt project)")
    if node.columns:
        rows = [
            (f"`{c.name}`", c.data_type or "", (c.description or "").replace("\n", " "))
            for c in node.columns[:LIST_CAP]
        ]
        if len(node.columns) > LIST_CAP:
            rows.append((f"... and {len(node.columns) - LIST_CAP} more", "", ""))
        hover.table(("column", "type", "description"), rows)
    upstream = [f"`{n.name}`" for n in index.upstream(node)]
    downstream = [f"`{n.name}`" for n in index.downstream(node)]
    hover.text("Upstream: " + (_capped(upstream) or "none"))
    hover.text("Downstream: " + (_capped(downstream) or "none"))
    if node.original_file_path:
        hover.text(f"File: `{node.original_file_path}`")
    return hover


def _asset_hover(hover: HoverContent, info: AssetInfo) -> HoverContent:
    hover.title(f"{info.source} {info.kind} `{info.key}`")
    hover.text(info.description or "")
    hover.text(f"Group: `{info.group_name}`")
    hover.text("Upstream: " + (_capped([f"`{d}`" for d in info.deps]) or "none"))
    if info.location is not None:
        hover.text(f"Defined in `{info.location[0].name}` line {info.location[1] + 1}")
    return hover


def _capped(items: Sequence[str]) -> str:
    shown = ", ".join(items[:LIST_CAP])
    if len(items) > LIST_CAP:
        shown += f" and {len(items) - LIST_CAP} more"
    return shown


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _when(moment: datetime) -> str:
    return moment.strftime("%a %Y-%m-%d %H:%M %Z")
