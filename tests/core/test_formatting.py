"""floe_core.formatting: layout made consistent, everything else kept, meaning never changed,
files with YAML errors refused, and formatting twice equals formatting once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_core.formatting import format_document

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*/floe.yaml"))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param("a:\n    b:\n        c: 1\n", "a:\n  b:\n    c: 1\n", id="two-space-indent"),
        pytest.param("a:\n- x\n- y\n", "a:\n  - x\n  - y\n", id="sequence-under-key"),
        pytest.param("a:\n  -   x\n", "a:\n  - x\n", id="sequence-item-spacing"),
        pytest.param("a:   1\nb:  two\n", "a: 1\nb: two\n", id="value-spacing"),
        pytest.param("a: 'x'\n'b': 'it''s'\n", 'a: "x"\n"b": "it\'s"\n', id="double-quotes"),
        pytest.param('a: "x"\nb: y\n', 'a: "x"\nb: y\n', id="plain-and-double-kept"),
        pytest.param(
            "a: 1  # why\n\n\n# next\nb: 2\n",
            "a: 1  # why\n\n\n# next\nb: 2\n",
            id="comments-and-blank-lines",
        ),
        pytest.param("z: 1\na: 2\nm: 3\n", "z: 1\na: 2\nm: 3\n", id="key-order"),
        pytest.param("a: {b: 1, c: [x, y]}\n", "a: {b: 1, c: [x, y]}\n", id="flow-style"),
        pytest.param("a: &d {x: 1}\nb: *d\n", "a: &d {x: 1}\nb: *d\n", id="anchors"),
        pytest.param(
            "a:\n    b: 1\n# about c\n    c: 2\n",
            "a:\n  b: 1\n  # about c\n  c: 2\n",
            id="comment-follows-next-line",
        ),
        pytest.param(
            "a:\n  b: 1\n      # closing\nc: 2\n",
            "a:\n  b: 1\n  # closing\nc: 2\n",
            id="closing-comment-clamped",
        ),
        pytest.param(
            "a: |\n    keep\n      # not a comment\n",
            "a: |\n  keep\n    # not a comment\n",
            id="block-scalar-content",
        ),
        pytest.param("# header\n---\na:    1\n", "# header\n---\na: 1\n", id="preamble"),
        pytest.param("a:   1\r\nb: [x]\r\n", "a: 1\r\nb: [x]\r\n", id="crlf"),
        pytest.param("\ufeffa:   1\n", "\ufeffa: 1\n", id="byte-order-mark"),
        pytest.param("", "", id="empty"),
        pytest.param("# only a comment\n", "# only a comment\n", id="comment-only"),
        pytest.param("a: ${X:1}\n", "a: ${X:1}\n", id="interpolation"),
        pytest.param("a: " + "x " * 100 + "\n", "a: " + "x " * 99 + "x\n", id="no-rewrapping"),
    ],
)
def test_format(before, after):
    result = format_document(before)
    assert result.error is None
    assert result.text == after


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("a: [\n", "line 2, column 1: YAML syntax error", id="syntax"),
        pytest.param("a:\n\tb: 1\n", "not tabs", id="tab"),
        pytest.param("a: 1\na: 2\n", "duplicate key 'a'", id="duplicate-key"),
        pytest.param("a: 1\n---\nb: 2\n", "holds one document", id="two-documents"),
        pytest.param(
            "a: [1,\n  # inside\n  2]\n",
            "would drop the comment '# inside'",
            id="comment-inside-flow",
        ),
    ],
)
def test_refuses_to_format(text, message):
    result = format_document(text)
    assert result.text is None
    assert message in (result.error or "")


def _same_data(before: str, after: str) -> bool:
    return yaml.safe_load(before) == yaml.safe_load(after)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.parent.name) for p in EXAMPLES])
def test_examples_are_formatted(path):
    text = path.read_text(encoding="utf-8")
    assert format_document(text).text == text


@st.composite
def edited_example(draw: st.DrawFn) -> str:
    """An example with lines deleted, duplicated, indented or dedented (often still YAML)."""
    lines = EXAMPLES[draw(st.integers(0, len(EXAMPLES) - 1))].read_text("utf-8").split("\n")
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "quote"]))
        if edit == "delete":
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, lines[index])
        elif edit == "indent":
            lines[index] = "  " + lines[index]
        elif edit == "dedent":
            lines[index] = lines[index][2:]
        else:
            lines[index] = lines[index].replace('"', "'")
    return "\n".join(lines)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)
DATA = st.dictionaries(
    st.text("abcxyz_", min_size=1, max_size=6),
    st.recursive(
        SCALARS,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text("abcxyz_", min_size=1, max_size=6), inner, max_size=3)
        ),
        max_leaves=12,
    ),
    min_size=1,
    max_size=5,
)


@st.composite
def dumped_data(draw: st.DrawFn) -> str:
    """Random data written by PyYAML in a random layout."""
    return yaml.safe_dump(
        draw(DATA),
        default_flow_style=draw(st.sampled_from([False, True, None])),
        indent=draw(st.integers(2, 6)),
        allow_unicode=True,
        sort_keys=False,
        width=draw(st.integers(20, 200)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(edited_example(), dumped_data()))
def test_formatting_twice_equals_formatting_once(text):
    once = format_document(text)
    if once.text is None:
        return
    assert _same_data(text, once.text)
    assert format_document(once.text).text == once.text
