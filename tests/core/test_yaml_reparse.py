"""An edit inside one entity re-parses only that entity, and the result is exactly a full
parse's: the same data, interpolations, nodes and positions; every other edit falls back to
a full parse."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import typed_into
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_core import Analysis, AnalysisContext, analyze
from floe_core.yaml_reparse import reparse
from floe_core.yaml_tree import MAX_SHARED, ParsedDocument, parse_document

ROOT = Path(__file__).resolve().parents[2]
SHOP = (ROOT / "examples" / "shop" / "floe.yaml").read_text(encoding="utf-8")
DEMO = (ROOT / "demo" / "floe.yaml").read_text(encoding="utf-8")
ENV = {"SHOP_ENV": "prod", "WAREHOUSE": "duck"}
# Sequences written at their key's indentation end where the next key starts.
INDENTLESS = """name: x
orchestration:
  jobs:
    a:
      type: batch
      selection:
      - "+stg_orders"
    b:
      type: batch
      selection:
      - stg_customers
      - "${WAREHOUSE}_raw"
      description: two
    c: {type: ops, target_function: m.f}
  groups:
    bronze:
    - raw_orders
    - raw_customers
    silver: [stg_orders]
"""
# Characters that make or break YAML structure, typed anywhere on a line.
_TYPED = st.text(alphabet="ab_:- #'\"{}[],*!|>&09${}é\t", max_size=3)


def _node_differences(a: yaml.Node, b: yaml.Node, where: str) -> str | None:
    if type(a) is not type(b) or a.tag != b.tag:
        return f"{where}: {type(a).__name__} {a.tag} vs {type(b).__name__} {b.tag}"
    for mark in ("start_mark", "end_mark"):
        x, y = getattr(a, mark), getattr(b, mark)
        if (x.line, x.column) != (y.line, y.column):
            return f"{where}: {mark} {x.line}:{x.column} vs {y.line}:{y.column}"
    if isinstance(a, yaml.ScalarNode):
        same = (a.value, a.style) == (b.value, b.style)
        return None if same else f"{where}: {a.value!r} vs {b.value!r}"
    if len(a.value) != len(b.value):
        return f"{where}: {len(a.value)} vs {len(b.value)} children"
    if isinstance(a, yaml.MappingNode):
        for (key_a, value_a), (key_b, value_b) in zip(a.value, b.value, strict=True):
            found = _node_differences(key_a, key_b, f"{where} key") or _node_differences(
                value_a, value_b, f"{where}.{key_a.value}"
            )
            if found:
                return found
        return None
    for index, (x, y) in enumerate(zip(a.value, b.value, strict=True)):
        found = _node_differences(x, y, f"{where}[{index}]")
        if found:
            return found
    return None


def _assert_same(reparsed: ParsedDocument, full: ParsedDocument) -> None:
    assert reparsed.data == full.data
    assert reparsed.diagnostics == full.diagnostics == []

    def interpolations(doc: ParsedDocument) -> list[tuple[int, int, str, object]]:
        return [(n.start_line, n.start_char, n.raw, n.value) for n in doc.interpolated()]

    assert interpolations(reparsed) == interpolations(full)
    assert reparsed.source is not None
    assert full.source is not None
    assert _node_differences(reparsed.source.root, full.source.root, "root") is None


_EDIT = st.tuples(
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=80),
    st.integers(min_value=0, max_value=3),
    _TYPED,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.sampled_from([SHOP, DEMO, INDENTLESS, SHOP.replace("\n", "\r\n")]),
    edits=st.lists(_EDIT, min_size=1, max_size=4),
)
def test_a_reparse_equals_a_full_parse(text: str, edits: list[tuple[int, int, int, str]]) -> None:
    """Edits one after the other, each re-parsed from the last one's result (as typing
    does), always equal a full parse of the same text."""
    previous = parse_document(text, ENV)
    for line, column, cut, typed in edits:
        text = typed_into(text, line, column, cut, typed)
        full = parse_document(text, ENV)
        reparsed = reparse(text, ENV, previous)
        if reparsed is not None:
            _assert_same(reparsed, full)
        previous = reparsed or full


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n")) if needle in line)


def test_typing_in_an_entity_is_reparsed_edit_after_edit() -> None:
    previous = parse_document(SHOP, ENV)
    text = SHOP
    for typed in ("c", "r", "o", "n"):
        text = text.replace("cron_schedule:", typed + "cron_schedule:", 1)
        reparsed = reparse(text, ENV, previous)
        assert reparsed is not None, typed
        _assert_same(reparsed, parse_document(text, ENV))
        previous = reparsed


def test_a_sequence_at_its_key_indentation_ends_where_a_full_parse_ends_it() -> None:
    previous = parse_document(INDENTLESS, ENV)
    text = INDENTLESS.replace("    bronze:", "    bronz:")
    reparsed = reparse(text, ENV, previous)
    assert reparsed is not None
    _assert_same(reparsed, parse_document(text, ENV))


def test_a_typo_in_a_schedule_is_reparsed_and_reported_like_a_full_analysis() -> None:
    context = AnalysisContext(path=ROOT / "examples" / "shop" / "floe.yaml", env=ENV)
    first = analyze(SHOP, context)
    typo = SHOP.replace("cron_schedule:", "cron_schedul:", 1)
    assert reparse(typo, ENV, first.document) is not None
    edited = analyze(typo, context, previous=first)
    full = analyze(typo, context)
    assert edited.diagnostics == full.diagnostics

    def references(analysis: Analysis) -> list[tuple[object, ...]]:
        return [(r.kind, r.name, r.path, r.range) for r in analysis.symbols.references]

    assert references(edited) == references(full)
    assert {k: list(v) for k, v in edited.symbols.definitions.items()} == {
        k: list(v) for k, v in full.symbols.definitions.items()
    }
    assert any("cron_schedul" in d.message for d in edited.diagnostics)
    fixed = analyze(SHOP, context, previous=edited)
    assert fixed.diagnostics == first.diagnostics


@pytest.mark.parametrize(
    ("name", "edit"),
    [
        ("a line break", lambda t: t.replace("cron_schedule:", "cron_schedule:\n", 1)),
        ("an anchor", lambda t: t.replace("cron_schedule:", "cron_schedule: &c", 1)),
        ("a merge key", lambda t: t.replace("cron_schedule:", "<<: {}\n      cron_schedule:", 1)),
        ("an entity indented further", lambda t: t.replace("\n  jobs:\n    ", "\n  jobs:\n     ")),
        ("a second entity", lambda t: t.replace("      cron_schedule:", "    extra:", 1)),
        ("the other environment", None),
    ],
)
def test_edits_that_could_reach_beyond_one_entity_are_parsed_in_full(
    name: str, edit: object
) -> None:
    previous = parse_document(SHOP, ENV)
    if edit is None:
        assert reparse(SHOP.replace("cron_schedule:", "cron_schedul:", 1), {}, previous) is None
        return
    assert callable(edit)
    assert reparse(edit(SHOP), ENV, previous) is None, name


def test_renaming_an_entity_to_a_taken_name_is_left_to_the_full_parse() -> None:
    previous = parse_document(SHOP, ENV)
    lines = SHOP.split("\n")
    jobs = [n for n, line in enumerate(lines) if line.startswith("    ") and line[4] != " "]
    first, second = lines[jobs[0]], lines[jobs[1]]
    lines[jobs[1]] = first.split(":")[0] + ":" + second.split(":", 1)[1]
    renamed = "\n".join(lines)
    assert reparse(renamed, ENV, previous) is None
    assert any(d.code == "duplicate-key" for d in parse_document(renamed, ENV).diagnostics)


def test_a_long_run_of_edits_is_parsed_in_full_now_and_then() -> None:
    """Re-parsed documents share their node views; after a bounded number of edits a full
    parse starts afresh, so that what the edits leave behind cannot grow without end."""
    previous = parse_document(SHOP, ENV)
    full_parses = 0
    for edit in range(MAX_SHARED + 2):
        text = SHOP.replace("cron_schedule:", f"cron_schedule{edit % 2}:", 1)
        reparsed = reparse(text, ENV, previous)
        full_parses += reparsed is None
        previous = reparsed or parse_document(text, ENV)
    assert full_parses == 1
