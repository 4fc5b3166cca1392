"""Fixtures of the CLI tests: run ``floe`` in-process (``main``) or as the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from floe_cli.main import main

FLOE = Path(sys.executable).with_name("floe")


@dataclass(frozen=True)
class Run:
    """What one ``floe`` invocation did."""

    status: int
    stdout: str
    stderr: str


FloeRunner = Callable[..., Run]


@pytest.fixture
def floe(capsys: pytest.CaptureFixture[str]) -> FloeRunner:
    """Run ``floe ARGS`` in this process and capture its exit status and output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        status = main(list(args))
        captured = capsys.readouterr()
        return Run(status, captured.out, captured.err)

    return run


@pytest.fixture
def floe_process() -> FloeRunner:
    """Run the installed ``floe`` console script in a child process (60 s at most)."""

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
        completed = subprocess.run(
            [str(FLOE), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=cwd,
            env={**os.environ, **(env or {})},
            timeout=60,
            check=False,
        )
        return Run(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a file under tmp_path (text as UTF-8, or bytes as they are); return its path."""

    def run(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
        return path

    return run
