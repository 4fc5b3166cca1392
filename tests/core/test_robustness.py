"""Hostile and odd inputs: analyze() and ``floe validate`` answer with diagnostics (or a
clean exit 2 for unreadable files), never an exception, a traceback or a hang, and every
diagnostic range lies inside the document."""

from __future__ import annotations

import re

import pytest

from floe_cli.main import main
from floe_core import AnalysisContext, analyze

_LSP_BREAK = re.compile("\r\n|\r|\n")

BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
    + ["name: *i"]
)


def deep_block_mapping(levels: int) -> str:
    return "".join(f"{' ' * i}k{i}:\n" for i in range(levels)) + " " * levels + "v\n"


def deep_block_sequence(levels: int) -> str:
    return "- " * levels + "x\n"


CASES = [
    pytest.param("", id="empty"),
    pytest.param("   \n\n\t\n", id="whitespace-only"),
    pytest.param("# just a comment\n", id="comment-only"),
    pytest.param("~\n", id="null-document"),
    pytest.param("just a string\n", id="scalar-document"),
    pytest.param("- name: shop\n- orchestration: {}\n", id="list-document"),
    pytest.param("name: shop\n---\nname: again\n", id="two-documents"),
    pytest.param("\x00\x01\x02binary\xff", id="control-characters"),
    pytest.param(BILLION_LAUGHS, id="alias-bomb"),
    pytest.param("a: &a [*a]\n", id="recursive-alias"),
    pytest.param("[" * 5000 + "]" * 5000, id="5000-flow-sequences"),
    pytest.param("{a: " * 5000 + "1" + "}" * 5000, id="5000-flow-mappings"),
    pytest.param(deep_block_mapping(5000), id="5000-block-mappings"),
    pytest.param(deep_block_sequence(5000), id="5000-block-sequences"),
    pytest.param("[" * 5000, id="5000-unclosed-brackets"),
    pytest.param("name: shop\r\norchestration:\r\n  jobs: [\r\n", id="crlf"),
    pytest.param("name: shop\rorchestration:\r  jobs: 1\r", id="cr-only"),
    pytest.param(
        "name: 店舗 🛒 עברית\norchestration:\n  jobs:\n    ジョブ: {type: 🛒}\n", id="non-ascii"
    ),
    pytest.param("name: " + "x" * 1_000_000 + "\n", id="huge-line"),
    pytest.param("name: '" + "x" * 100_000 + "\n", id="huge-unclosed-quote"),
    pytest.param("name: shop\norchestration:\n\tjobs: {}\n", id="tab-indentation"),
    pytest.param(
        "name: shop\norchestration: {jobs: {a: {type: batch, selection: [${]}}}\n",
        id="broken-interpolation",
    ),
    pytest.param("? [a, b]\n: c\nname: shop\n", id="complex-key"),
    pytest.param("<<: *nothing\n", id="undefined-alias"),
    pytest.param("name: !!binary aGVsbG8=\nversion: !custom 1\n", id="tags"),
    pytest.param(
        "name: shop\norchestration:\n" + "".join(f"  j{i}: {{}}\n" for i in range(2000)),
        id="many-unknown-keys",
    ),
    pytest.param(
        "name: shop\norchestration:\n  jobs:\n"
        + "".join(
            f"    job_{i}: {{type: batch, selection: ['+a{i}+ and not (']}}\n" for i in range(300)
        ),
        id="many-broken-selections",
    ),
]


def assert_inside(text: str, diagnostics: list) -> None:
    """Every range lies in the document as an editor sees it (LSP line breaks)."""
    lines = _LSP_BREAK.split(text)
    for diagnostic in diagnostics:
        for position in (diagnostic.range.start, diagnostic.range.end):
            assert 0 <= position.line < len(lines), (diagnostic, len(lines))
            assert 0 <= position.character <= len(lines[position.line]), diagnostic
        assert diagnostic.range.start <= diagnostic.range.end, diagnostic


@pytest.mark.parametrize("text", CASES)
def test_analyze_never_raises_and_ranges_are_inside(text, tmp_path):
    analysis = analyze(text, AnalysisContext(path=tmp_path / "floe.yaml", env={}))
    assert_inside(text, analysis.diagnostics)
    assert all(d.code != "internal-error" for d in analysis.diagnostics)


@pytest.mark.parametrize("text", CASES)
def test_validate_answers_without_traceback(text, tmp_path, capsys):
    path = tmp_path / "floe.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    status = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2), err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert " checked: " in out.rstrip().splitlines()[-1]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x00" * 10, id="nul-bytes"),
        pytest.param(b"name: \xc3\x28\n", id="invalid-utf8"),
        pytest.param(b"\xff\xfen\x00a\x00m\x00e\x00", id="utf16-with-bom"),
    ],
)
def test_unreadable_bytes_exit_2(content, tmp_path, capsys):
    path = tmp_path / "floe.yaml"
    path.write_bytes(content)
    assert main(["validate", str(path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_lone_surrogate_from_an_editor_is_a_diagnostic():
    analysis = analyze("name: \ud800\n", AnalysisContext(env={}))
    assert analysis.diagnostics


@pytest.mark.parametrize("separator", ["\x85", "\u2028", "\u2029"])
def test_unicode_line_separators_do_not_shift_lines(separator):
    text = f'name: "a{separator}b"\nversion: [1\n'
    analysis = analyze(text, AnalysisContext(env={}))
    assert_inside(text, analysis.diagnostics)
    assert [d.range.start.line for d in analysis.diagnostics] == [2]
