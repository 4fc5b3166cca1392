"""The ``editor_run`` fixture: one real editor's session with floe-lsp, run once per module
and per editor (Neovim, Emacs), skipped with the reason when the editor is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .editor_sessions import EDITORS, EditorRun, fixture_scenario, run_editor


@pytest.fixture(
    scope="module",
    params=[pytest.param("neovim", id="neovim"), pytest.param("emacs", id="emacs")],
)
def editor_run(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    jaffle_manifest: Path,
) -> EditorRun:
    """One real editor's session with floe-lsp on the fixture (run once per module)."""
    editor = EDITORS[request.param]
    missing = editor.missing()
    if missing is not None:
        pytest.skip(missing)
    workdir = tmp_path_factory.mktemp(f"editor-{editor.name}")
    return run_editor(editor, fixture_scenario(), workdir, jaffle_manifest)
