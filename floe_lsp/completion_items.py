"""Completion proposals for a cursor in floe.yaml, independent of the protocol.

Keys come from the models (documentation = the field's description, detail = its type,
required keys first); enum values from the models' Literal types; references from the
core's value providers (the same ones validation uses, so what is offered is what is
accepted); new entities from snippets. Proposals carry code-point ranges; the completion
feature converts them to the client's encoding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from floe_core.analysis import Analysis
from floe_core.model_paths import type_tag
from floe_core.positions import Position, Range
from floe_core.value_providers import Candidate, provider
from floe_lsp.cursor_context import CursorContext, context_at
from floe_lsp.field_docs import field_doc, model_fields
from floe_lsp.snippets import TEMPLATES

ProposalKind = Literal["key", "snippet", "enum", "reference", "keyword"]

MAX_PROPOSALS = 100
"""At most this many proposals are sent; the list is then marked incomplete."""

_SELECTION_PREFIXES = (
    ("group:", "assets of a group"),
    ("tag:", "assets with a tag (tag:key or tag:key=value)"),
    ("asset:", "one asset by name"),
    ("key:", "one asset by key, e.g. key:raw/orders"),
)
_PARTITION_SELECTORS = (
    ("latest", "the last complete partition"),
    ("all", "every partition"),
)
_ATOM_BREAK = re.compile(r"[\s()]")
_GRAPH_LEAD = re.compile(r"^\d*\+")
_GRAPH_TAIL = re.compile(r"\+\d*$")
_NAME_PART = re.compile(r"[A-Za-z0-9_]*")
_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./+:=-]*$")


@dataclass(frozen=True, slots=True)
class Proposal:
    """One completion: what is shown, what is inserted, and over which range."""

    label: str
    kind: ProposalKind
    insert_text: str
    range: Range
    detail: str | None = None
    documentation: str | None = None
    snippet: bool = False
    sort_text: str | None = None
    filter_text: str | None = None


@dataclass(frozen=True, slots=True)
class Completions:
    """The proposals, and whether more exist than were sent (the client should ask again)."""

    proposals: list[Proposal]
    incomplete: bool = False


class CandidateCache:
    """The candidates of each reference kind for the latest analysis seen (one analysis at a
    time: a new analysis replaces them all)."""

    def __init__(self) -> None:
        self._analysis: Analysis | None = None
        self._by_kind: dict[str, list[Candidate]] = {}

    def candidates(self, kind: str, analysis: Analysis | None) -> list[Candidate]:
        """The candidates of ``kind`` in ``analysis`` (none without an analysis)."""
        if analysis is None:
            return []
        if analysis is not self._analysis:
            self._analysis, self._by_kind = analysis, {}
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind[kind] = provider(kind).candidates(analysis)
        return found


@dataclass(frozen=True, slots=True)
class _Sources:
    """Where reference candidates come from for one request."""

    analysis: Analysis | None
    cache: CandidateCache

    def candidates(self, kind: str, typed: str | None = None) -> list[Candidate]:
        """The candidates of ``kind``; with ``typed``, only the best MAX_PROPOSALS + 1 matches
        (prefix matches first), so proposals are built for what can be sent only."""
        found = self.cache.candidates(kind, self.analysis)
        if typed is None:
            return found
        lowered = typed.lower()
        if not lowered:
            return found[: MAX_PROPOSALS + 1]
        starts = [c for c in found if c.label.lower().startswith(lowered)]
        if len(starts) > MAX_PROPOSALS:
            return starts[: MAX_PROPOSALS + 1]
        chosen = {id(c) for c in starts}
        contains = [c for c in found if id(c) not in chosen and lowered in c.label.lower()]
        return (starts + contains)[: MAX_PROPOSALS + 1]


def complete(
    text: str,
    position: Position,
    analysis: Analysis | None,
    *,
    snippets: bool,
    cache: CandidateCache | None = None,
) -> Completions:
    """The proposals at ``position`` (code points) of ``text``.

    ``analysis`` is the latest analysis whose text parsed (names of jobs, partitions and
    assets come from it when the current text does not parse); ``snippets`` says whether the
    client accepts snippet syntax; ``cache`` keeps candidate lists between requests on the
    same analysis.
    """
    root = analysis.document.root if analysis is not None and analysis.text == text else None
    context = context_at(text, position, root)
    sources = _Sources(analysis, cache or CandidateCache())
    variables = _env_variables(context, sources)
    if variables is not None:
        return variables
    if context.expect == "keys":
        return _limit(_keys(context), context.cursor.prefix)
    if context.expect == "entity" and context.section == "assets":
        return _limit(_asset_patterns(context, sources), context.cursor.prefix)
    if context.expect == "entity":
        return Completions(_entities(context, sources, snippets))
    if context.expect == "value":
        return _values(context, sources)
    return Completions([])


def _keys(context: CursorContext) -> list[Proposal]:
    cursor = context.cursor
    present = context.present_keys
    seen: set[str] = set()
    out: list[Proposal] = []
    member_count = len(context.models)
    for model in context.models:
        for doc in model_fields(model):
            if doc.name in present or doc.name in seen:
                continue
            if member_count > 1 and doc.name != "type" and not _in_all(doc.name, context):
                continue
            seen.add(doc.name)
            info = model.model_fields[doc.name]
            annotation_label = field_doc(doc.name, info).type_label
            nested = _opens_block(annotation_label)
            insert = doc.name if cursor.has_colon else f"{doc.name}:" + ("" if nested else " ")
            rank = 0 if doc.name == "type" else (1 if doc.required else 2)
            detail = doc.summary()
            if doc.name == "type" and member_count > 1:
                tags = " | ".join(f"'{type_tag(m)}'" for m in context.models)
                detail = f"{tags}, required"
            out.append(
                Proposal(
                    label=doc.name,
                    kind="key",
                    insert_text=insert,
                    range=cursor.range,
                    detail=detail,
                    documentation=doc.description,
                    sort_text=f"{rank}{len(out):03d}",
                )
            )
    return out


def _in_all(name: str, context: CursorContext) -> bool:
    return all(name in model.model_fields for model in context.models)


def _opens_block(type_label: str) -> bool:
    """Whether a key of this type is followed by a nested block rather than a scalar."""
    return type_label.startswith(("list of", "mapping of")) or type_label.endswith("settings")


def _entities(context: CursorContext, sources: _Sources, snippets: bool) -> list[Proposal]:
    cursor = context.cursor
    jobs = [c.label for c in sources.candidates("job")]
    column = cursor.range.start.character
    return [
        Proposal(
            label=template.label,
            kind="snippet",
            insert_text=template.render(
                column, snippet=snippets, choices=jobs, name=cursor.text or None
            ),
            range=cursor.range,
            detail=template.detail,
            snippet=snippets,
            sort_text=f"0{index:02d}",
            filter_text=cursor.prefix or template.label,
        )
        for index, template in enumerate(TEMPLATES.get(context.section or "", ()))
    ]


def _asset_patterns(context: CursorContext, sources: _Sources) -> list[Proposal]:
    cursor = context.cursor
    out: list[Proposal] = []
    for candidate in sources.candidates("asset", cursor.prefix):
        if candidate.label in context.present_keys:
            continue
        insert = _quoted(candidate.label, cursor.quote)
        if not cursor.has_colon and cursor.quote is None:
            insert += ":"
        out.append(_reference(candidate, insert, cursor.range, "reference"))
    return out


def _values(context: CursorContext, sources: _Sources) -> Completions:
    cursor = context.cursor
    lead = " " if cursor.needs_space else ("- " if context.add_dash else "")
    out: list[Proposal] = []
    description = context.field.description if context.field is not None else None
    for value in context.enum_values:
        out.append(
            Proposal(
                label=value,
                kind="enum",
                insert_text=lead + value,
                range=cursor.range,
                detail=f"{context.field_name}",
                documentation=description,
            )
        )
    reference = context.reference
    if reference == "selection":
        return _selection(context, sources, lead)
    if reference == "partition_selector":
        out.extend(
            Proposal(label=v, kind="enum", insert_text=lead + v, range=cursor.range, detail=d)
            for v, d in _PARTITION_SELECTORS
        )
        reference = "function"
    if reference is not None and reference != "cron":
        present = context.present_keys if context.list_item else frozenset()
        for candidate in sources.candidates(reference, cursor.prefix):
            if candidate.label in present:
                continue
            insert = lead + _quoted(candidate.label, cursor.quote)
            out.append(_reference(candidate, insert, cursor.range, "reference"))
    return _limit(out, cursor.prefix)


def _selection(context: CursorContext, sources: _Sources, lead: str) -> Completions:
    """Inside a selection item: the atom under the cursor (``group:x``, ``tag:k=v``, a name)."""
    cursor = context.cursor
    text, offset = cursor.text, cursor.offset
    start = offset
    while start > 0 and not _ATOM_BREAK.match(text[start - 1]):
        start -= 1
    end = offset
    while end < len(text) and not _ATOM_BREAK.match(text[end]):
        end += 1
    atom = text[start:end]
    lead_ops = _GRAPH_LEAD.match(atom)
    if lead_ops:
        start += lead_ops.end()
        atom = atom[lead_ops.end() :]
    tail = _GRAPH_TAIL.search(atom)
    if tail and start + tail.start() >= offset:
        end = start + tail.start()
        atom = atom[: tail.start()]
    base = cursor.range.start.character
    line = cursor.range.start.line
    prefix_kind, _, _ = atom.partition(":")
    out: list[Proposal] = []
    if ":" in atom and prefix_kind in ("group", "tag", "asset", "key"):
        value_start = start + len(prefix_kind) + 1
        where = Range(Position(line, base + value_start), Position(line, base + end))
        typed = text[value_start:offset]
        kind = {"group": "group", "tag": "tag"}.get(prefix_kind, "asset")
        for candidate in sources.candidates(kind, typed):
            out.append(_reference(candidate, candidate.label, where, "reference"))
        return _limit(out, typed)
    where = Range(Position(line, base + start), Position(line, base + end))
    typed = text[start:offset]
    if not cursor.text and context.add_dash:
        where = cursor.range
    head = lead if where == cursor.range else ""
    for word, detail in _SELECTION_PREFIXES:
        out.append(
            Proposal(
                label=word,
                kind="keyword",
                insert_text=head + word,
                range=where,
                detail=detail,
                sort_text=f"0{word}",
            )
        )
    for candidate in sources.candidates("asset", typed):
        out.append(_reference(candidate, head + candidate.label, where, "reference"))
    return _limit(out, typed)


def _env_variables(context: CursorContext, sources: _Sources) -> Completions | None:
    """Inside ``${`` of a value: the variable names it may resolve (None elsewhere)."""
    cursor = context.cursor
    if cursor.role not in ("value", "item") or not cursor.range.is_single_line:
        return None
    span = env_name_span(cursor.text, cursor.offset)
    if span is None:
        return None
    start, end = span
    where = cursor.range.sub(start, end)
    close = "" if cursor.text[end : end + 1] in ("}", ":") else "}"
    typed = cursor.text[start : cursor.offset]
    out = [
        _reference(candidate, candidate.label + close, where, "reference")
        for candidate in sources.candidates("env", typed)
    ]
    return _limit(out, typed)


def env_name_span(text: str, offset: int) -> tuple[int, int] | None:
    """Where the variable name of a ``${`` left open before ``offset`` stands in ``text``
    (start, end), or None when the cursor is not on such a name (``$${`` is a literal)."""
    opened = text.rfind("${", 0, offset)
    if opened < 0 or text[max(opened - 1, 0) : opened] == "$":
        return None
    start = opened + 2
    if not _NAME_PART.fullmatch(text[start:offset]):
        return None
    end = offset
    while end < len(text) and _NAME_PART.fullmatch(text[end]):
        end += 1
    return start, end


def _reference(candidate: Candidate, insert: str, where: Range, kind: ProposalKind) -> Proposal:
    return Proposal(
        label=candidate.label,
        kind=kind,
        insert_text=insert,
        range=where,
        detail=candidate.detail or None,
        documentation=candidate.documentation or None,
    )


def _quoted(value: str, quote: str | None) -> str:
    """``value`` as it must be written: inside the user's quotes, bare, or double-quoted."""
    if quote is not None or _PLAIN_SAFE.match(value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _limit(proposals: Iterable[Proposal], prefix: str) -> Completions:
    """Proposals matching what was typed (prefix matches first), at most MAX_PROPOSALS."""
    typed = prefix.lower()
    starts: list[Proposal] = []
    contains: list[Proposal] = []
    for proposal in proposals:
        label = proposal.label.lower()
        if not typed or label.startswith(typed):
            starts.append(proposal)
        elif typed in label:
            contains.append(proposal)
    ranked = starts + contains
    return Completions(ranked[:MAX_PROPOSALS], incomplete=len(ranked) > MAX_PROPOSALS)
