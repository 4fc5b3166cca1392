"""``floe fmt``: rewrite in place, --check and --diff, and never touch a broken file."""

from __future__ import annotations

import pytest

UNFORMATTED = """\
name: shop   # the pipeline
orchestration:
    jobs:
        nightly:
            type: batch
            selection:
            - 'group:bronze'
"""

FORMATTED = """\
name: shop   # the pipeline
orchestration:
  jobs:
    nightly:
      type: batch
      selection:
        - "group:bronze"
"""


def test_fmt_rewrites_the_file(floe, write):
    path = write("floe.yaml", UNFORMATTED)
    run = floe("fmt", str(path))
    assert run.status == 0
    assert run.stdout == f"reformatted {path}\n"
    assert path.read_text(encoding="utf-8") == FORMATTED


def test_fmt_leaves_formatted_files_alone(floe, write):
    path = write("floe.yaml", FORMATTED)
    before = path.stat().st_mtime_ns
    run = floe("fmt", str(path))
    assert (run.status, run.stdout) == (0, "")
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("content", "status", "stdout"),
    [
        pytest.param(FORMATTED, 0, "", id="formatted"),
        pytest.param(UNFORMATTED, 1, "would reformat floe.yaml\n", id="unformatted"),
    ],
)
def test_fmt_check(floe, write, tmp_path, monkeypatch, content, status, stdout):
    path = write("floe.yaml", content)
    monkeypatch.chdir(tmp_path)
    run = floe("fmt", "--check")
    assert (run.status, run.stdout) == (status, stdout)
    assert path.read_text(encoding="utf-8") == content


def test_fmt_check_diff(floe, write, tmp_path, monkeypatch):
    write("floe.yaml", UNFORMATTED)
    monkeypatch.chdir(tmp_path)
    out = floe("fmt", "--check", "--diff").stdout
    assert "--- floe.yaml\n+++ floe.yaml (formatted)\n" in out
    assert "-    jobs:\n" in out
    assert "+  jobs:\n" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("name: [\n", "line 2, column 1: YAML syntax error", id="syntax-error"),
        pytest.param("a: 1\na: 2\n", "duplicate key 'a'", id="duplicate-key"),
        pytest.param("a: 1\n---\nb: 2\n", "holds one document", id="two-documents"),
    ],
)
def test_fmt_never_touches_a_broken_file(floe, write, content, message):
    path = write("floe.yaml", content)
    run = floe("fmt", str(path))
    assert run.status == 2
    assert message in run.stderr
    assert path.read_text(encoding="utf-8") == content


def test_fmt_unreadable_file(floe, tmp_path):
    run = floe("fmt", str(tmp_path / "missing.yaml"))
    assert run.status == 2
    assert "no such file" in run.stderr


def test_fmt_keeps_crlf_and_bom(floe, write):
    path = write("floe.yaml", b"\xef\xbb\xbfname:   shop\r\nversion: '1'\r\n")
    assert floe("fmt", str(path)).status == 0
    assert path.read_bytes() == b'\xef\xbb\xbfname: shop\r\nversion: "1"\r\n'
