"""Golden files of ``floe validate``'s text output: tests/cli/golden/<case>.yaml is validated
from inside the golden folder and its output must equal <case>.txt (the last line there is
the exit status).

Regenerate after an intended change with ``FLOE_UPDATE_GOLDEN=1 pytest tests/cli/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(GOLDEN.glob("*.yaml"))
UPDATE = os.environ.get("FLOE_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.stem) for c in CASES])
def test_text_output_matches_golden(floe, monkeypatch, case):
    monkeypatch.chdir(GOLDEN)
    for name in list(os.environ):
        if name.startswith("FLOE_GOLDEN_"):
            monkeypatch.delenv(name)
    run = floe("validate", case.name)
    actual = f"{run.stdout}[exit status {run.status}]\n"
    expected_path = case.with_suffix(".txt")
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), "no golden file; run with FLOE_UPDATE_GOLDEN=1 to write it"
    assert actual == expected_path.read_text(encoding="utf-8")
    assert run.stderr == ""


def test_every_golden_output_has_its_case():
    orphans = [p.name for p in GOLDEN.glob("*.txt") if not p.with_suffix(".yaml").exists()]
    assert orphans == []
