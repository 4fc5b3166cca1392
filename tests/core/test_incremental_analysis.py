"""An analysis given the previous one (what the language server runs on every keystroke)
reports exactly what a fresh analysis of the same text reports, edit after edit: the same
diagnostics, definitions and references, whatever it took over from the previous one."""

from __future__ import annotations

import gc
import json
import shutil
import weakref
from pathlib import Path

from helpers import typed_into
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from floe_core import Analysis, AnalysisContext, analyze
from floe_core.project_cache import ProjectCache

ROOT = Path(__file__).resolve().parents[2]
SHOP_PATH = ROOT / "examples" / "shop" / "floe.yaml"
SHOP = SHOP_PATH.read_text(encoding="utf-8")
ENV = {"SHOP_ENV": "prod"}
# What users type: names, selection operators, URLs and credentials, YAML punctuation.
_TYPED = st.sampled_from(
    ["x", "_", "s", "+", " or ", "group:", "tag:", "://", "@h:5432", "password", "1", "*", ":"]
)
_EDIT = st.tuples(
    st.integers(min_value=0, max_value=250),
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=0, max_value=3),
    _TYPED,
)


def _findings(analysis: Analysis) -> tuple[object, ...]:
    references = [(r.kind, r.name, r.path, r.range) for r in analysis.symbols.references]
    definitions = {
        kind: [(d.name, d.path, d.range) for d in by_name.values()]
        for kind, by_name in analysis.symbols.definitions.items()
        if by_name
    }
    entities = {
        section: {
            name: (e.model, e.node.range) for name, e in getattr(analysis.entities, section).items()
        }
        for section in ("partitions", "assets", "jobs", "schedules", "sensors", "backfills")
    }
    return analysis.diagnostics, references, definitions, entities


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(_EDIT, min_size=1, max_size=5))
def test_an_analysis_given_the_previous_one_equals_a_fresh_one(
    edits: list[tuple[int, int, int, str]],
) -> None:
    cache = ProjectCache()
    text = SHOP
    previous = analyze(text, AnalysisContext(path=SHOP_PATH, env=ENV, cache=cache))
    for line, column, cut, typed in edits:
        text = typed_into(text, line, column, cut, typed)
        edited = analyze(text, AnalysisContext(path=SHOP_PATH, env=ENV, cache=cache), previous)
        fresh = analyze(text, AnalysisContext(path=SHOP_PATH, env=ENV, cache=cache))
        assert _findings(edited) == _findings(fresh)
        previous = edited


def test_a_job_edit_is_checked_again_and_the_other_jobs_keep_their_findings() -> None:
    context = AnalysisContext(path=SHOP_PATH, env=ENV, cache=ProjectCache())
    first = analyze(SHOP, context)
    typo = SHOP.replace('"revenue_by_product+"', '"revenue_by_produc+"', 1)
    edited = analyze(typo, context, previous=first)
    unknown = [d for d in edited.diagnostics if d.code == "unknown-asset"]
    assert len(unknown) == 1
    assert "did you mean 'revenue_by_product'?" in unknown[0].message
    assert edited.diagnostics == analyze(typo, context).diagnostics
    assert analyze(SHOP, context, previous=edited).diagnostics == first.diagnostics


def test_a_chain_of_edits_keeps_no_old_analysis_alive() -> None:
    """Each analysis takes over from the previous one only what still holds: analyses
    further back are freed, however long the user types."""
    context = AnalysisContext(path=SHOP_PATH, env=ENV, cache=ProjectCache())
    previous = analyze(SHOP, context)
    first = weakref.ref(previous)
    text = SHOP
    for typed in "cron":
        text = text.replace("cron_schedule:", typed + "cron_schedule:", 1)
        previous = analyze(text, context, previous)
    gc.collect()
    assert first() is None


def test_findings_about_assets_follow_a_changed_manifest(tmp_path: Path) -> None:
    """A dbt model removed from the manifest between two edits: the jobs that select it
    are checked again, though the edit was elsewhere."""
    project = tmp_path / "shop"
    shutil.copytree(SHOP_PATH.parent, project)
    manifest_path = project / "dbt" / "target" / "manifest.json"
    context = AnalysisContext(path=project / "floe.yaml", env=ENV, cache=ProjectCache())
    first = analyze(SHOP, context)
    assert not [d for d in first.diagnostics if "revenue_by_product" in d.message]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["nodes"]["model.shop.revenue_by_product"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    typo = SHOP.replace("cron_schedule:", "cron_schedul:", 1)
    edited = analyze(typo, context, previous=first)
    assert edited.diagnostics == analyze(typo, context).diagnostics
    assert [d for d in edited.diagnostics if "'revenue_by_product'" in d.message]
