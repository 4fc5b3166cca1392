"""Where the cursor stands in half-written floe.yaml text (floe_core.cursor_path)."""

from __future__ import annotations

import pytest

from floe_core.cursor_path import CursorPath, cursor_path
from floe_core.positions import Position
from floe_lsp.cursor_context import context_at


def at_marker(marked: str) -> CursorPath:
    """The CursorPath at the ``|`` marker of ``marked`` (the marker is removed)."""
    lines = marked.split("\n")
    for number, line in enumerate(lines):
        if "|" in line:
            column = line.index("|")
            lines[number] = line[:column] + line[column + 1 :]
            return cursor_path("\n".join(lines), Position(number, column))
    raise AssertionError("no | marker")


JOB = "name: p\norchestration:\n  jobs:\n    bronze:\n      type: batch\n"
SCHEDULE = "name: p\norchestration:\n  schedules:\n    nightly:\n"


@pytest.mark.parametrize(
    ("marked", "role", "path", "text", "prefix", "columns"),
    [
        pytest.param(
            SCHEDULE + "      job: |\n",
            "value",
            ("orchestration", "schedules", "nightly", "job"),
            "",
            "",
            (11, 11),
            id="value-empty-after-colon-space",
        ),
        pytest.param(
            SCHEDULE + "      job: bro|nze_x\n",
            "value",
            ("orchestration", "schedules", "nightly", "job"),
            "bronze_x",
            "bro",
            (11, 19),
            id="value-partial-word",
        ),
        pytest.param(
            SCHEDULE + '      job: "bro|\n',
            "value",
            ("orchestration", "schedules", "nightly", "job"),
            "bro",
            "bro",
            (12, 15),
            id="value-unclosed-quote",
        ),
        pytest.param(
            SCHEDULE + "      job: 'x' # run |it\n",
            "none",
            (),
            "",
            "",
            (0, 0),
            id="inside-comment",
        ),
        pytest.param(
            SCHEDULE + "      cron|\n      timezone: UTC\n",
            "key",
            ("orchestration", "schedules", "nightly"),
            "cron",
            "cron",
            (6, 10),
            id="key-without-colon",
        ),
        pytest.param(
            SCHEDULE + "      timezone: UTC\n      |\n",
            "key",
            ("orchestration", "schedules", "nightly"),
            "",
            "",
            (6, 6),
            id="empty-line-key",
        ),
        pytest.param(
            JOB + "      selection:\n        - group:a\n        - gr|\n",
            "item",
            ("orchestration", "jobs", "bronze", "selection", 1),
            "gr",
            "gr",
            (10, 12),
            id="new-list-item",
        ),
        pytest.param(
            JOB + "      selection:\n      - |\n",
            "item",
            ("orchestration", "jobs", "bronze", "selection", 0),
            "",
            "",
            (8, 8),
            id="list-indented-at-key-column",
        ),
        pytest.param(
            JOB + '      selection: ["group:a", "tag:|"]\n',
            "item",
            ("orchestration", "jobs", "bronze", "selection", 1),
            "tag:",
            "tag:",
            (30, 34),
            id="flow-sequence-item",
        ),
        pytest.param(
            "name: p\ntransforms:\n- type: dbt\n  pa|\n",
            "key",
            ("transforms", 0),
            "pa",
            "pa",
            (2, 4),
            id="key-in-mapping-item",
        ),
        pytest.param(
            'name: p\norchestration:\n  assets:\n    "stg_|":\n',
            "key",
            ("orchestration", "assets"),
            "stg_",
            "stg_",
            (5, 9),
            id="quoted-key",
        ),
        pytest.param(
            'name: p\norchestration:\n  jobs:\n    x:\n      description: "données |"\n',
            "value",
            ("orchestration", "jobs", "x", "description"),
            "données ",
            "données ",
            (20, 28),
            id="non-ascii-code-point-columns",
        ),
        pytest.param(
            "name: p\norchestration:\n  jobs:\n    a:\n  : [\n   |",
            "key",
            ("orchestration", "jobs"),
            "",
            "",
            (3, 3),
            id="unparseable-yaml",
        ),
    ],
)
def test_cursor_path(
    marked: str,
    role: str,
    path: tuple[str | int, ...],
    text: str,
    prefix: str,
    columns: tuple[int, int],
) -> None:
    found = at_marker(marked)
    assert found.role == role
    assert found.path == path
    assert found.text == text
    assert found.prefix == prefix
    assert (found.range.start.character, found.range.end.character) == columns


@pytest.mark.parametrize(
    ("marked", "mapping", "expected_type"),
    [
        pytest.param(
            JOB + "      selection:\n        - |\n",
            ("orchestration", "jobs", "bronze"),
            "batch",
            id="type-above",
        ),
        pytest.param(
            "name: p\norchestration:\n  sensors:\n    s:\n      |\n      type: run_status\n",
            ("orchestration", "sensors", "s"),
            "run_status",
            id="type-below",
        ),
        pytest.param(
            "name: p\norchestration:\n  partitions:\n    p:\n      type: multi\n"
            "      partitions:\n        date:\n          type: 'time_window'\n          |\n",
            ("orchestration", "partitions", "p", "partitions", "date"),
            "time_window",
            id="type-of-nested-dimension",
        ),
        pytest.param(
            SCHEDULE + "      |\n",
            ("orchestration", "schedules", "nightly"),
            None,
            id="no-type",
        ),
    ],
)
def test_type_of_mapping_on_the_path(
    marked: str, mapping: tuple[str, ...], expected_type: str | None
) -> None:
    assert at_marker(marked).type_of(mapping) == expected_type


@pytest.mark.parametrize(
    ("marked", "siblings", "has_colon", "needs_space"),
    [
        pytest.param(
            SCHEDULE + "      job: a\n      ti|\n      enabled: true\n",
            {"job", "enabled"},
            False,
            False,
            id="siblings-above-and-below",
        ),
        pytest.param(
            SCHEDULE + "      jo|b: a\n      enabled: true\n",
            {"enabled"},
            True,
            False,
            id="editing-existing-key",
        ),
        pytest.param(SCHEDULE + "      job:|\n", set(), False, True, id="colon-without-space"),
    ],
)
def test_siblings_and_punctuation(
    marked: str, siblings: set[str], has_colon: bool, needs_space: bool
) -> None:
    found = at_marker(marked)
    assert set(found.siblings) == siblings
    assert found.has_colon is has_colon
    assert found.needs_space is needs_space


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("\t\t: -\n- - -\n  ]]", id="junk"),
        pytest.param("a:\n" + "  " * 300 + "b: |", id="deep"),
        pytest.param("---\n%YAML 1.2\n", id="markers"),
        pytest.param('a: [\n  {b: "c,\n  d: |\n    [e\n x: >\n', id="unclosed-flows-and-blocks"),
    ],
)
def test_never_raises(text: str) -> None:
    for line in range(-1, text.count("\n") + 2):
        for char in (-1, 0, 3, 1000):
            assert cursor_path(text, Position(line, char)).role in {"key", "value", "item", "none"}


def test_flow_mapping_values_are_read_off_the_tree() -> None:
    from floe_core import AnalysisContext, analyze

    text = (
        "name: x\norchestration:\n  jobs:\n    nightly: {type: batch, selection: [a]}\n"
        '  schedules:\n    s: {job: nightly, cron_schedule: "0 6 * * *"}\n'
    )
    root = analyze(text, AnalysisContext(env={})).document.root
    line = text.splitlines()[5]
    on_cron = Position(5, line.index("0 6"))
    assert context_at(text, on_cron).cursor.text.startswith("{")
    context = context_at(text, on_cron, root)
    assert context.cursor.path == ("orchestration", "schedules", "s", "cron_schedule")
    assert context.cursor.text == "0 6 * * *"
    assert context.reference == "cron"
    on_job = context_at(text, Position(5, line.index("nightly")), root)
    assert on_job.reference == "job"


def at_caret(marked: str) -> CursorPath:
    """The CursorPath at the ``‸`` marker of ``marked`` (for texts that hold ``|`` scalars)."""
    before, _, _ = marked.partition("‸")
    line = before.count("\n")
    return cursor_path(marked.replace("‸", "", 1), Position(line, len(before.split("\n")[-1])))


@pytest.mark.parametrize(
    "marked",
    [
        pytest.param(JOB + "      description: |\n        job: ‸\n", id="literal"),
        pytest.param(JOB + "      description: >-\n        text\n        - ‸\n", id="folded-strip"),
        pytest.param(JOB + "      description: |2\n          deeper\n        sel‸\n", id="indent"),
        pytest.param(
            JOB + "      description: |\n        a\n\n        ty‸pe: b\n", id="after-blank"
        ),
        pytest.param(JOB + "      description: |  # note\n        x‸\n", id="header-comment"),
        pytest.param(JOB + "      tags:\n        - |\n          job: ‸\n", id="list-item"),
        pytest.param(JOB + "      description: |‸\n        text\n", id="on-the-header"),
    ],
)
def test_nothing_to_complete_inside_a_block_scalar(marked: str) -> None:
    assert at_caret(marked).role == "none"


def test_block_structure_resumes_after_a_block_scalar() -> None:
    found = at_caret(JOB + "      description: |\n        text\n\n      sel‸\n")
    assert (found.role, found.path, found.text) == (
        "key",
        ("orchestration", "jobs", "bronze"),
        "sel",
    )
    assert "description" in found.siblings


@pytest.mark.parametrize(
    ("marked", "role", "path", "text", "columns"),
    [
        pytest.param(
            JOB + '      selection: [\n        "+a",\n        st‸g\n      ]\n',
            "item",
            ("orchestration", "jobs", "bronze", "selection", 1),
            "stg",
            (8, 11),
            id="sequence-item",
        ),
        pytest.param(
            JOB + "      selection: [a,\n        b, ‸\n",
            "item",
            ("orchestration", "jobs", "bronze", "selection", 2),
            "",
            (11, 11),
            id="unclosed-sequence",
        ),
        pytest.param(
            SCHEDULE.replace("    nightly:\n", "")
            + "    nightly: {cron_schedule: '0 6 * * *',\n              jo‸\n",
            "key",
            ("orchestration", "schedules", "nightly"),
            "jo",
            (14, 16),
            id="mapping-key",
        ),
        pytest.param(
            SCHEDULE.replace("    nightly:\n", "")
            + "    nightly: {cron_schedule: '0 6 * * *',\n              job: br‸ }\n",
            "value",
            ("orchestration", "schedules", "nightly", "job"),
            "br",
            (19, 21),
            id="mapping-value",
        ),
        pytest.param(
            "name: p\norchestration:\n  sensors:\n    s:\n      watched_jobs:\n"
            "        - [a, 'b,\n          c', d‸]\n",
            "item",
            ("orchestration", "sensors", "s", "watched_jobs", 0, 2),
            "d",
            (14, 15),
            id="quoted-comma-across-lines",
        ),
    ],
)
def test_multi_line_flow_collections(
    marked: str, role: str, path: tuple[str | int, ...], text: str, columns: tuple[int, int]
) -> None:
    found = at_caret(marked)
    assert (found.role, found.path, found.text) == (role, path, text)
    assert found.in_flow
    assert (found.range.start.character, found.range.end.character) == columns


def test_block_structure_resumes_after_a_multi_line_flow() -> None:
    found = at_caret(JOB + "      selection: [\n        a,\n        b]\n      ty‸\n")
    assert (found.role, found.path) == ("key", ("orchestration", "jobs", "bronze"))
    assert not found.in_flow


def test_multi_line_flow_items_are_read_off_the_tree_when_the_text_parses() -> None:
    from floe_core import AnalysisContext, analyze

    text = JOB + "      selection: [\n        a,\n        'group:bronze'\n      ]\n"
    root = analyze(text, AnalysisContext(env={})).document.root
    context = context_at(text, Position(7, 12), root)
    assert context.cursor.path == ("orchestration", "jobs", "bronze", "selection", 1)
    assert context.cursor.text == "group:bronze"
    assert context.reference == "selection"
