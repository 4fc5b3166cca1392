"""``floe backfill``: its command line, and the hand-over to floe_runtime.cli.run_backfill."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from floe_cli.parser import build_parser


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(
            ["backfill", "january"],
            {
                "name": "january",
                "config": "floe.yaml",
                "in_process": False,
                "env_file": None,
                "platform": "platform.yaml",
                "url": None,
            },
            id="defaults",
        ),
        pytest.param(
            ["backfill", "january", "--config", "p/floe.yaml", "--in-process", "--env-file", "e"],
            {"name": "january", "config": "p/floe.yaml", "in_process": True, "env_file": "e"},
            id="in-process",
        ),
        pytest.param(
            ["backfill", "january", "--platform", "p/platform.yaml", "--url", "http://h:3000"],
            {"platform": "p/platform.yaml", "url": "http://h:3000", "in_process": False},
            id="webserver",
        ),
    ],
)
def test_backfill_arguments(argv, expected):
    args = build_parser().parse_args(argv)
    assert {key: getattr(args, key) for key in expected} == expected


def test_backfill_needs_a_name(floe):
    run = floe("backfill")
    assert run.status == 2
    assert "NAME" in run.stderr


def test_backfill_without_runtime_says_how_to_install_it(floe, monkeypatch):
    monkeypatch.setitem(sys.modules, "floe_runtime.cli", None)
    run = floe("backfill", "january")
    assert run.status == 2
    assert "pip install 'floe[runtime]'" in run.stderr


def _runtime_cli_exists() -> bool:
    """Whether floe_runtime/cli.py exists (found without importing floe_runtime)."""
    spec = importlib.util.find_spec("floe_runtime")
    folders = spec.submodule_search_locations if spec else None
    return any((Path(folder) / "cli.py").exists() for folder in folders or [])


@pytest.mark.skipif(not _runtime_cli_exists(), reason="floe_runtime.cli is not written yet")
def test_backfill_reaches_the_runtime(floe, repo_root):
    config = repo_root / "examples" / "shop" / "floe.yaml"
    run = floe("backfill", "no_such_backfill", "--config", str(config))
    assert run.status == 2
    assert "no backfill named 'no_such_backfill'" in run.stderr
    assert "Traceback" not in run.stderr
