"""Property test: mutations of valid floe.yaml files (lines deleted, duplicated, indented or
dedented; characters changed; ``${``, quotes, tabs and non-ASCII inserted) never make
analyze() raise or fail internally, and every diagnostic range lies inside the document as
an editor counts lines and columns."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_core import AnalysisContext, analyze
from floe_core.project_cache import ProjectCache

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "examples").glob("*/floe.yaml"))
_LSP_BREAK = re.compile("\r\n|\r|\n")

# Unpaired surrogates are left out: files cannot hold them (test_robustness.py covers editors).
SNIPPETS = [
    "${",
    "${X",
    "${X:",
    "}",
    "'",
    '"',
    "\t",
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "#",
    "&a ",
    "*a",
    "!!int ",
    "|",
    ">",
    "é",
    "日本",
    "😀",
    "\u200b",
    "\r\n",
    "\n",
    "<<: ",
    "? ",
    "---\n",
    "\x7f",
    "%",
]
CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs",))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid example with one to four random edits."""
    text = EXAMPLES[draw(st.integers(0, len(EXAMPLES) - 1))].read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        index = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "char", "insert"]))
        line = lines[index]
        if edit == "delete":
            del lines[index]
        elif edit == "duplicate":
            lines.insert(index, line)
        elif edit == "indent":
            lines[index] = "  " + line
        elif edit == "dedent":
            lines[index] = line[2:] if line.startswith("  ") else line.lstrip()
        else:
            at = draw(st.integers(0, len(line)))
            if edit == "char":
                piece = draw(CHARACTERS)
                lines[index] = line[:at] + piece + line[at + 1 :]
            else:
                piece = draw(st.sampled_from(SNIPPETS) | st.text(CHARACTERS, max_size=3))
                lines[index] = line[:at] + piece + line[at:]
        text = "\n".join(lines)
    return text


@pytest.fixture(scope="module")
def cache() -> ProjectCache:
    return ProjectCache()


@settings(
    max_examples=int(os.environ.get("FLOE_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated(), example=st.sampled_from(EXAMPLES))
def test_mutated_examples_never_break_the_core(cache, text, example):
    context = AnalysisContext(path=example, env={}, cache=cache)
    analysis = analyze(text, context)
    lines = _LSP_BREAK.split(text)
    for diagnostic in analysis.diagnostics:
        assert diagnostic.code != "internal-error", diagnostic.message
        start, end = diagnostic.range.start, diagnostic.range.end
        assert start <= end, diagnostic
        for position in (start, end):
            assert 0 <= position.line < len(lines), (diagnostic, len(lines))
            assert 0 <= position.character <= len(lines[position.line]), diagnostic
