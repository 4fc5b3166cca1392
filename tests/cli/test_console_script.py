"""The installed ``floe`` console script, run as a real process: exit statuses, no traceback
on hostile input, and no heavy imports (dagster, pygls) for ``floe validate``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("content", "status"),
    [
        pytest.param(b"name: shop\n", 0, id="valid"),
        pytest.param(b"name: [\n", 1, id="syntax-error"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", 2, id="binary"),
        pytest.param(b"a: &a [*a, *a]\n" * 2, 1, id="self-alias"),
        pytest.param(b"[" * 5000 + b"]" * 5000, 1, id="5000-levels-of-flow-nesting"),
    ],
)
def test_console_script_exit_status(floe_process, tmp_path, content, status):
    path = tmp_path / "floe.yaml"
    path.write_bytes(content)
    run = floe_process("validate", str(path))
    assert run.status == status
    assert "Traceback" not in run.stderr


def test_ascii_only_output_does_not_fail(floe_process, tmp_path):
    path = tmp_path / "floe.yaml"
    path.write_text("name: again\nname: 店舗\n", encoding="utf-8")
    run = floe_process("validate", str(path), env={"PYTHONIOENCODING": "ascii"})
    assert run.status == 1
    assert "\\u5e97\\u8217" in run.stdout
    assert "Traceback" not in run.stderr


def test_console_script_json_output(floe_process, tmp_path):
    path = tmp_path / "floe.yaml"
    path.write_text("name: shop\nname: again\n", encoding="utf-8")
    run = floe_process("validate", str(path), "--format", "json")
    [diagnostic] = json.loads(run.stdout)["files"][0]["diagnostics"]
    assert diagnostic["code"] == "duplicate-key"
    assert diagnostic["range"]["start"] == {"line": 1, "character": 0}


def test_validate_imports_neither_dagster_nor_pygls(repo_root):
    script = (
        "import sys\n"
        "from floe_cli.main import main\n"
        f"main(['validate', {str(repo_root / 'examples' / 'shop')!r}, '--format', 'json'])\n"
        "heavy = sorted(m for m in ('dagster', 'dagster_dbt', 'dbt', 'pygls', 'lsprotocol')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert "HEAVY []" in completed.stderr, completed.stderr
