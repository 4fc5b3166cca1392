"""Runs a real editor (Neovim 0.7 headless, Emacs 28 + Eglot in batch mode) as a client of
``floe-lsp --stdio`` on a copy of fixtures/floe.yaml and returns what the editor received.

The editor's driver script (nvim_driver.lua, emacs_driver.el) opens the file, collects the
diagnostics, hovers, a completion and the diagnostics after an edit, and writes them to a
JSON file; this module prepares the project, runs the editor with a timeout and reads it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "floe.yaml"
ELPA = Path("/usr/share/emacs/site-lisp/elpa")
ANSWER_TIMEOUT_MS = 15_000
EDITOR_TIMEOUT_S = 60


@dataclass(frozen=True)
class Editor:
    """One real editor: how to start its driver and how it counts columns."""

    name: str
    binary: str
    column_unit: str
    argv: Callable[[str], list[str]]
    missing: Callable[[], str | None]

    def column(self, line: str, code_points: int) -> int:
        """The column this editor reports for ``code_points`` characters into ``line``."""
        if self.column_unit == "bytes":
            return len(line[:code_points].encode("utf-8"))
        return code_points


def _binary_missing(binary: str) -> str | None:
    if shutil.which(binary) is None:
        return f"{binary} is not installed (`make setup-system` installs it)"
    return None


def _eglot_missing() -> str | None:
    missing = _binary_missing("emacs")
    if missing is None and not any(ELPA.glob("eglot-*")):
        return f"Eglot is not installed under {ELPA} (`make setup-system` installs elpa-eglot)"
    return missing


EDITORS = {
    "neovim": Editor(
        "neovim",
        "nvim",
        "bytes",
        lambda nvim: [nvim, "--headless", "--clean", "-c", f"luafile {HERE / 'nvim_driver.lua'}"],
        lambda: _binary_missing("nvim"),
    ),
    "emacs": Editor(
        "emacs",
        "emacs",
        "characters",
        lambda emacs: [emacs, "--batch", "-Q", "-l", str(HERE / "emacs_driver.el")],
        _eglot_missing,
    ),
}


@dataclass(frozen=True)
class Cursor:
    """A place in the fixture: 0-based line and code-point column."""

    line: int
    character: int

    def for_editor(self, editor: Editor, lines: list[str]) -> dict[str, int]:
        """This place in the editor's own units, as the drivers expect it."""
        return {"line": self.line, "col": editor.column(lines[self.line], self.character)}


def find(text: str, needle: str, *, offset: int = 0) -> Cursor:
    """Where ``needle`` starts in ``text`` (plus ``offset`` characters); fails if absent."""
    for number, line in enumerate(text.splitlines()):
        column = line.find(needle)
        if column >= 0:
            return Cursor(number, column + offset)
    raise AssertionError(f"{needle!r} is not in the fixture")


@dataclass(frozen=True)
class Scenario:
    """What the drivers are asked to do on the fixture, in code points."""

    text: str
    hovers: dict[str, Cursor]
    completion: Cursor
    edit_at: Cursor
    edit_old: str
    edit_new: str

    @property
    def lines(self) -> list[str]:
        """The fixture's lines."""
        return self.text.splitlines()


def end_of_line(text: str, whole_line: str) -> Cursor:
    """The end of the line that is exactly ``whole_line``; fails if there is none."""
    lines = text.splitlines()
    if whole_line not in lines:
        raise AssertionError(f"no line {whole_line!r} in the fixture")
    return Cursor(lines.index(whole_line), len(whole_line))


def fixture_scenario() -> Scenario:
    """The cursor positions and the edit the tests use, found in fixtures/floe.yaml."""
    text = FIXTURE.read_text(encoding="utf-8")
    return Scenario(
        text=text,
        hovers={
            "cron": find(text, '"0 6 * * *"', offset=3),
            "dbt-model": find(text, '"+customers"', offset=3),
        },
        completion=end_of_line(text, "      job: "),
        edit_at=find(text, "refresh_custmers"),
        edit_old="refresh_custmers",
        edit_new="refresh_customers",
    )


def server_command() -> list[str]:
    """``floe-lsp --stdio`` from this interpreter's environment."""
    script = Path(sys.executable).parent / "floe-lsp"
    if not script.exists():
        found = shutil.which("floe-lsp")
        if found is None:
            pytest.fail("the floe-lsp console script is missing: `pip install -e .` installs it")
        script = Path(found)
    return [str(script), "--stdio"]


def _server_log(home: Path) -> str:
    """The end of Neovim's LSP log (it holds the server's standard error), if any."""
    log = home / "cache" / "nvim" / "lsp.log"
    return log.read_text(encoding="utf-8", errors="replace")[-4000:] if log.exists() else ""


@dataclass(frozen=True)
class EditorRun:
    """An editor's session with the server: the scenario and what the editor received."""

    editor: Editor
    scenario: Scenario
    result: dict[str, Any]


def run_editor(editor: Editor, scenario: Scenario, workdir: Path, manifest: Path) -> EditorRun:
    """Copy the fixture project into ``workdir``, drive ``editor`` on it, return its result."""
    project = workdir / "project"
    (project / "target").mkdir(parents=True)
    shutil.copyfile(manifest, project / "target" / "manifest.json")
    floe_yaml = project / "floe.yaml"
    floe_yaml.write_text(scenario.text, encoding="utf-8")
    output = workdir / "result.json"
    edit_end = Cursor(scenario.edit_at.line, scenario.edit_at.character + len(scenario.edit_old))
    config = {
        "cmd": server_command(),
        "root": str(project),
        "file": str(floe_yaml),
        "output": str(output),
        "timeout_ms": ANSWER_TIMEOUT_MS,
        "hovers": [c.for_editor(editor, scenario.lines) for c in scenario.hovers.values()],
        "completion": scenario.completion.for_editor(editor, scenario.lines),
        "edit": {
            **scenario.edit_at.for_editor(editor, scenario.lines),
            "end_col": edit_end.for_editor(editor, scenario.lines)["col"],
            "text": scenario.edit_new,
        },
    }
    config_path = workdir / "driver.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    home = workdir / "home"
    home.mkdir()
    env = {
        **os.environ,
        "FLOE_E2E_CONFIG": str(config_path),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
    }
    binary = shutil.which(editor.binary)
    assert binary is not None
    try:
        completed = subprocess.run(
            editor.argv(binary),
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=EDITOR_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{editor.name} did not finish within {EDITOR_TIMEOUT_S} s: {exc.stderr!r}")
    if not output.exists():
        pytest.fail(
            f"{editor.name} wrote no result (exit {completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    result = json.loads(output.read_text(encoding="utf-8"))
    if result.get("error"):
        pytest.fail(
            f"the {editor.name} driver failed: {result['error']}\n{completed.stderr}\n"
            f"{_server_log(home)}"
        )
    return EditorRun(editor, scenario, result)
