"""The position-aware YAML tree: ranges, typing, duplicate keys, merges, and hostile input."""

from __future__ import annotations

import pytest

from floe_core.positions import Position
from floe_core.yaml_tree import MapNode, ScalarNode, SeqNode, parse_document


def _scalar(root: MapNode, *path: str | int) -> ScalarNode:
    node = root
    for step in path:
        node = node.get(step) if isinstance(step, str) else node.items[step]  # type: ignore[union-attr]
    assert isinstance(node, ScalarNode)
    return node


def test_ranges_count_code_points_not_bytes() -> None:
    doc = parse_document("ü: {name: 😀x}\nb: 'é'\n", {})
    root = doc.root
    assert isinstance(root, MapNode)
    name = _scalar(root, "ü", "name")
    assert name.range.start == Position(0, 10)
    assert name.range.end == Position(0, 12)
    quoted = _scalar(root, "b")
    assert quoted.content_range.start == Position(1, 4)
    assert quoted.content_range.end == Position(1, 5)


def test_crlf_line_endings_keep_line_numbers() -> None:
    doc = parse_document("a: 1\r\nb:\r\n  c: x\r\n", {})
    assert isinstance(doc.root, MapNode)
    assert _scalar(doc.root, "b", "c").range.start == Position(2, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("v: 2024-01-01", "2024-01-01", id="date-stays-text"),
        pytest.param("v: 017", 15, id="yaml11-octal"),
        pytest.param("v: 0x1F", 31, id="hex"),
        pytest.param("v: 1_000", 1000, id="underscores"),
        pytest.param("v: yes", True, id="yaml11-bool"),
        pytest.param("v: ~", None, id="null"),
        pytest.param("v: 1.5", 1.5, id="float"),
        pytest.param("v: '30'", "30", id="quoted-number-is-text"),
    ],
)
def test_scalars_are_typed_like_yaml_1_1(text: str, expected: object) -> None:
    doc = parse_document(text, {})
    assert doc.data == {"v": expected}


def test_duplicate_key_points_at_the_second_and_names_the_first_line() -> None:
    doc = parse_document("jobs:\n  a: 1\n  b: 2\n  a: 3\n", {})
    [diag] = doc.diagnostics
    assert diag.code == "duplicate-key"
    assert diag.range.start == Position(3, 2)
    assert "line 2" in diag.message
    assert doc.data == {"jobs": {"a": 3, "b": 2}}


def test_merge_keys_bring_in_the_anchor_without_overriding() -> None:
    text = "base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n"
    doc = parse_document(text, {})
    assert doc.diagnostics == []
    assert doc.data["thing"] == {"x": 1, "y": 3}
    root = doc.root
    assert isinstance(root, MapNode)
    thing = root.get("thing")
    assert isinstance(thing, MapNode)
    assert _scalar(thing, "x").range.start.line == 0


def test_syntax_error_is_a_diagnostic_at_the_problem() -> None:
    doc = parse_document("a: 1\nb: [1, 2\nc: 3\n", {})
    assert doc.root is None
    [diag] = doc.diagnostics
    assert diag.code == "yaml-syntax"
    assert diag.range.start.line >= 1


def test_tab_indentation_gets_a_hint() -> None:
    doc = parse_document("a:\n\tb: 1\n", {})
    [diag] = doc.diagnostics
    assert "spaces, not tabs" in diag.message
    assert diag.range.start == Position(1, 0)


def test_second_document_is_refused_with_advice() -> None:
    doc = parse_document("a: 1\n---\nb: 2\n", {})
    [diag] = doc.diagnostics
    assert "one document" in diag.message


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[" * 50_000 + "]" * 50_000, id="flow-nesting"),
        pytest.param("- " * 20_000 + "x", id="dash-nesting"),
        pytest.param("".join(" " * i + "a:\n" for i in range(3_000)), id="block-nesting"),
    ],
)
def test_runaway_nesting_is_refused_not_crashed(text: str) -> None:
    doc = parse_document(text, {})
    assert doc.root is None
    assert [d.code for d in doc.diagnostics] == ["yaml-too-deep"]


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(8):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    doc = parse_document("\n".join(lines), {})
    assert doc.root is None
    assert [d.code for d in doc.diagnostics] == ["alias-expansion"]


def test_small_aliases_are_fine() -> None:
    doc = parse_document("a: &x [1, 2]\nb: *x\nc: *x\n", {})
    assert doc.diagnostics == []
    assert doc.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_non_scalar_key_is_reported() -> None:
    doc = parse_document("? [a, b]\n: 1\n", {})
    assert [d.code for d in doc.diagnostics] == ["yaml-complex-key"]


def test_control_characters_are_a_diagnostic() -> None:
    doc = parse_document("a: 1\nb: \x00\n", {})
    [diag] = doc.diagnostics
    assert diag.code == "yaml-syntax"
    assert diag.range.start.line == 1


def test_empty_and_bom_documents() -> None:
    assert parse_document("", {}).root is None
    doc = parse_document("\ufeffa: 1\n", {})
    assert doc.data == {"a": 1}


def test_sequence_items_have_ranges() -> None:
    doc = parse_document("l:\n  - one\n  - two\n", {})
    assert isinstance(doc.root, MapNode)
    seq = doc.root.get("l")
    assert isinstance(seq, SeqNode)
    assert [item.range.start for item in seq.items] == [Position(1, 4), Position(2, 4)]


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_positions_follow_editor_lines_not_yaml_only_breaks(separator: str) -> None:
    doc = parse_document(f'name: "a{separator}b"\nlater: [x]\n', {})
    assert isinstance(doc.root, MapNode)
    later = doc.root.get("later")
    assert later is not None
    assert later.range.start == Position(1, 7)


def test_lone_surrogate_is_a_diagnostic_where_it_stands() -> None:
    doc = parse_document("a: 1\nname: x\ud800\n", {})
    [diag] = doc.diagnostics
    assert diag.code == "not-unicode"
    assert diag.range.start == Position(1, 7)
