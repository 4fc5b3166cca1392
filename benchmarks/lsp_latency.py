"""Language-server benchmark (issue 3, "Performance"), measured from the client side over
stdio on the generated 5,500-line floe.yaml of benchmarks/generate_floe_yaml.py (500 jobs,
500 schedules, sensors, backfills, partitions of every type, the tuva manifest's 708 dbt
models), the same file the core benchmark analyzes:

- didChange -> publishDiagnostics median for floe-lsp and for yaml-language-server
  validating the same file against schemas/floe.schema.json, in the same run, and their
  ratio (goals: floe <= 50 ms, ratio <= 0.2); for floe-lsp also its own overhead, edit by
  edit: the latency minus the time its analysis took (``lastAnalysisSeconds`` of
  ``floe/status``), i.e. what the protocol, the scheduling and the publishing add;
- completion and hover medians with the tuva manifest loaded (goal <= 10 ms);
- server start to first diagnostics (goal <= 0.7 s);
- that the server process never imports dagster (``python -X importtime``), with the
  slowest imports as the start-up profile.

Prints a table; ``--record`` also writes it into the "## Language server" section of
benchmarks/RESULTS.md. Set-up: ``bash benchmarks/lsp_setup.sh`` (yaml-language-server).
It asserts nothing: it reports figures and which goals they meet.

floe_core and floe_lsp are byte-compiled first, as an installed package is (pip compiles
at install time): with ``PYTHONDONTWRITEBYTECODE`` set, every start would otherwise compile
their sources again, which no user's editor pays.
"""

from __future__ import annotations

import argparse
import compileall
import cProfile
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generate_floe_yaml import generate, model_names, unpacked_tuva
from lsp_client import PUBLISH_DIAGNOSTICS, LspClient, LspError, Notification

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "benchmarks" / ".generated"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
SECTION = "## Language server"
SCHEMA = REPO / "schemas" / "floe.schema.json"
YAML_LS = REPO / "benchmarks" / "node" / "node_modules" / "yaml-language-server" / "bin"
WAIT_S = 120.0
SCHEDULE_KEY = "      enabled:"
KEY_TYPO = "      enabeld:"

CLIENT_CAPABILITIES: dict[str, Any] = {
    "general": {"positionEncodings": ["utf-16"]},
    "workspace": {
        "configuration": True,
        "didChangeConfiguration": {"dynamicRegistration": False},
        "workspaceFolders": True,
        "didChangeWatchedFiles": {"dynamicRegistration": True},
    },
    "textDocument": {
        "synchronization": {"dynamicRegistration": False, "didSave": True},
        "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "completion": {
            "completionItem": {
                "snippetSupport": True,
                "documentationFormat": ["markdown", "plaintext"],
            }
        },
        "inlayHint": {},
    },
}


@dataclass(frozen=True)
class Server:
    """How to start one language server and what to tell it."""

    name: str
    command: list[str]
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class Figures:
    """Every measurement of one run, in seconds."""

    start_to_diagnostics: dict[str, list[float]] = field(default_factory=dict)
    initialize: dict[str, list[float]] = field(default_factory=dict)
    protocol_import: list[float] = field(default_factory=list)
    change_to_diagnostics: dict[str, list[float]] = field(default_factory=dict)
    server_overhead: list[float] = field(default_factory=list)
    diagnostics_on_typo: dict[str, int] = field(default_factory=dict)
    requests: dict[str, list[float]] = field(default_factory=dict)
    imports: ImportProfile | None = None
    core_analysis: list[float] = field(default_factory=list)
    core_hot: list[tuple[float, str]] = field(default_factory=list)
    server_hot: list[tuple[float, int, str]] = field(default_factory=list)
    lines: int = 0
    load_before: str = ""
    load_after: str = ""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _p90(values: Sequence[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def prepare(workspace: Path) -> Path:
    """Write the generated floe.yaml into ``workspace`` (the tuva manifest stays unpacked in
    benchmarks/.generated/); return its path.

    The workspace must not sit below a folder whose name starts with a dot:
    yaml-language-server's ``**`` globs skip such folders, and it would then silently
    validate nothing.
    """
    manifest = unpacked_tuva(GENERATED)
    inner, leaves = model_names(manifest)
    floe_yaml = workspace / "floe.yaml"
    floe_yaml.write_text(generate(inner, leaves, str(manifest)), encoding="utf-8")
    return floe_yaml


def floe_server() -> Server:
    """``floe-lsp --stdio`` from this interpreter's environment."""
    script = Path(sys.executable).parent / "floe-lsp"
    return Server("floe-lsp", [str(script), "--stdio"])


def yaml_server(schema: Path) -> Server:
    """yaml-language-server validating floe.yaml against the floe JSON Schema."""
    settings = {
        "yaml": {
            "validate": True,
            "hover": True,
            "completion": True,
            "schemas": {schema.as_uri(): ["floe.yaml"]},
            "schemaStore": {"enable": False},
        }
    }
    return Server(
        "yaml-language-server", ["node", str(YAML_LS / "yaml-language-server"), "--stdio"], settings
    )


def _for(uri: str, version: int | None = None) -> Callable[[Any], bool]:
    def matches(params: Any) -> bool:
        if params.get("uri") != uri:
            return False
        published = params.get("version")
        return version is None or published is None or published == version

    return matches


class Session:
    """One server with the benchmark file open in it."""

    def __init__(self, server: Server, floe_yaml: Path, stderr: Path) -> None:
        self.server = server
        self.path = floe_yaml
        self.uri = floe_yaml.as_uri()
        self.lines = floe_yaml.read_text(encoding="utf-8").splitlines()
        self.version = 1
        self.client = LspClient(
            server.command, cwd=floe_yaml.parent, settings=server.settings, stderr_path=stderr
        )
        started = self.client.started
        self.capabilities = self.client.initialize(floe_yaml.parent, CLIENT_CAPABILITIES)
        self.initialized = time.perf_counter() - started
        if server.settings:
            self.client.notify("workspace/didChangeConfiguration", {"settings": server.settings})
        self.client.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": self.uri,
                    "languageId": "yaml",
                    "version": self.version,
                    "text": "\n".join(self.lines) + "\n",
                }
            },
        )
        first = self.client.wait_for(
            PUBLISH_DIAGNOSTICS, _for(self.uri, self.version), timeout=WAIT_S
        )
        self.first_diagnostics = first.received - started

    def _incremental(self) -> bool:
        sync = self.capabilities.get("textDocumentSync", 1)
        kind = sync.get("change", 1) if isinstance(sync, dict) else sync
        return kind == 2

    def replace_line(self, number: int, text: str) -> Notification:
        """Replace one line, send didChange, and wait for the new version's diagnostics."""
        old = self.lines[number]
        self.lines[number] = text
        self.version += 1
        if self._incremental():
            change: dict[str, Any] = {
                "range": {
                    "start": {"line": number, "character": 0},
                    "end": {"line": number, "character": len(old)},
                },
                "text": text,
            }
        else:
            change = {"text": "\n".join(self.lines) + "\n"}
        self.client.drain()
        sent = self.client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": self.uri, "version": self.version},
                "contentChanges": [change],
            },
        )
        note = self.client.wait_for(
            PUBLISH_DIAGNOSTICS, _for(self.uri, self.version), timeout=WAIT_S
        )
        return Notification(note.method, note.params, note.received - sent)

    def analysis_seconds(self) -> float | None:
        """How long the server's latest analysis took, when it says (``floe/status``)."""
        if self.server.name != "floe-lsp":
            return None
        try:
            status = self.client.request("floe/status", {})
        except LspError:
            return None
        seconds = status.get("lastAnalysisSeconds") if isinstance(status, dict) else None
        return float(seconds) if isinstance(seconds, int | float) else None

    def position(self, line: int, character: int) -> dict[str, Any]:
        """TextDocumentPositionParams for this document."""
        return {
            "textDocument": {"uri": self.uri},
            "position": {"line": line, "character": character},
        }

    def close(self) -> None:
        """Stop the server."""
        self.client.close()


def key_lines(lines: Sequence[str]) -> list[int]:
    """The lines of the schedules' ``enabled:`` keys, where the edits happen."""
    return [i for i, line in enumerate(lines) if line.startswith(SCHEDULE_KEY)]


def misspelt(line: str) -> str:
    """The line with its ``enabled`` key misspelt (an unknown key to both servers)."""
    return line.replace(SCHEDULE_KEY, KEY_TYPO, 1)


@dataclass
class Changes:
    """The didChange measurements of one server."""

    latencies: list[float] = field(default_factory=list)
    overheads: list[float] = field(default_factory=list)
    on_typo: int = 0


def measure_changes(session: Session, edits: int, pause: float) -> Changes:
    """Latencies of ``edits`` edits (a key typo, then its correction, on schedule after
    schedule), how many diagnostics the last typo produced, compared with the unedited
    file's (to show the server really validated the key), and for a server that reports
    its analysis time in ``floe/status`` (floe-lsp), each latency minus that time."""
    targets = key_lines(session.lines)
    found = Changes()
    for edit in range(edits):
        line = targets[(edit // 2 * 37) % len(targets)]
        original = session.lines[line]
        text = misspelt(original) if edit % 2 == 0 else original.replace(KEY_TYPO, SCHEDULE_KEY)
        note = session.replace_line(line, text)
        if edit % 2 == 0:
            found.on_typo = len(note.params.get("diagnostics", []))
        found.latencies.append(note.received)
        analysis = session.analysis_seconds()
        if analysis is not None:
            found.overheads.append(note.received - analysis)
        time.sleep(pause)
    return found


def wait_for_manifest(session: Session, line: int, character: int, timeout: float = 30) -> None:
    """Hover on a dbt model until the manifest is loaded (it loads off the request path)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        hover = session.client.request("textDocument/hover", session.position(line, character))
        if hover and "dbt" in json.dumps(hover):
            return
        time.sleep(0.1)
    print(f"warning: no dbt hover after {timeout} s; measuring anyway", file=sys.stderr)


def measure_requests(session: Session, count: int) -> dict[str, list[float]]:
    """Completion and hover latencies at varied places of the file."""
    lines = session.lines
    job_refs = [i for i, text in enumerate(lines) if text.startswith("      job: ")]
    crons = [i for i, text in enumerate(lines) if text.startswith('      cron_schedule: "')]
    models = [i for i, text in enumerate(lines) if text.startswith('        - "+')]
    wait_for_manifest(session, models[0], len('        - "+') + 1)
    places: dict[str, tuple[str, list[int], int]] = {
        "completion: job names after 'job: '": ("textDocument/completion", job_refs, 11),
        "completion: dbt models in a selection": ("textDocument/completion", models, 12),
        "hover: cron (words + next fire times)": ("textDocument/hover", crons, 23),
        "hover: dbt model (tuva manifest)": ("textDocument/hover", models, 13),
    }
    figures: dict[str, list[float]] = {}
    for label, (method, candidates, character) in places.items():
        timings = []
        for index in range(count):
            line = candidates[(index * 53) % len(candidates)]
            _result, took = session.client.request_timed(method, session.position(line, character))
            timings.append(took)
        figures[label] = timings
    return figures


def measure_startup(
    server: Server, floe_yaml: Path, runs: int, logs: Path
) -> tuple[list[float], list[float]]:
    """Spawn -> first publishDiagnostics, and spawn -> initialize response, over ``runs``."""
    first, initialized = [], []
    for run in range(runs):
        session = Session(server, floe_yaml, logs / f"{server.name}-start-{run}.log")
        first.append(session.first_diagnostics)
        initialized.append(session.initialized)
        session.close()
    return first, initialized


def measure_protocol_import(runs: int) -> list[float]:
    """A fresh ``python -c "import lsprotocol.types"`` process, ``runs`` times: the part of
    a start that every pygls server pays before a line of its own code runs."""
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import lsprotocol.types"], check=True)
        durations.append(time.perf_counter() - started)
    return durations


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MiB; 0 when unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


@dataclass(frozen=True)
class ImportProfile:
    """What a whole floe-lsp session imported, and what the server says about dagster."""

    dagster_modules: list[str]
    by_package: list[tuple[int, str]]
    module_count: int
    peak_rss_mib: float
    status_dagster: bool | None


def import_profile(floe_yaml: Path, logs: Path) -> ImportProfile:
    """Run a whole floe-lsp session (open, hover, completion, edit) under
    ``python -X importtime``: the dagster modules it imported (must be none), import time
    by package, how many modules, peak RSS, and the server's own ``floe/status`` answer."""
    server = floe_server()
    log = logs / "floe-lsp-importtime.log"
    traced = Server(server.name, [sys.executable, "-X", "importtime", *server.command])
    session = Session(traced, floe_yaml, log)
    models = [i for i, text in enumerate(session.lines) if text.startswith('        - "+')]
    wait_for_manifest(session, models[0], 13)
    session.client.request("textDocument/completion", session.position(models[0], 12))
    first_key = key_lines(session.lines)[0]
    session.replace_line(first_key, misspelt(session.lines[first_key]))
    try:
        status = session.client.request("floe/status", {})
    except LspError:
        status = None
    rss = peak_rss_mib(session.client.process.pid)
    session.close()
    own_time: dict[str, int] = {}
    modules = set()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            module = match.group(2)
            modules.add(module)
            package = module.split(".")[0]
            own_time[package] = own_time.get(package, 0) + int(match.group(1))
    return ImportProfile(
        dagster_modules=sorted(m for m in modules if m.split(".")[0].startswith("dagster")),
        by_package=sorted(((t, p) for p, t in own_time.items()), reverse=True)[:10],
        module_count=len(modules),
        peak_rss_mib=rss,
        status_dagster=status.get("dagsterImported") if isinstance(status, dict) else None,
    )


def core_profile(floe_yaml: Path, runs: int = 3) -> tuple[list[float], list[tuple[float, str]]]:
    """In-process ``floe_core.analyze`` of the file after a key typo in a schedule, given the
    previous analysis (what a didChange triggers in the server), with a warm project cache:
    its durations, and the floe_core functions that take the most cumulative time in one
    profiled run."""
    from floe_core import AnalysisContext, analyze
    from floe_core.project_cache import ProjectCache

    text = floe_yaml.read_text(encoding="utf-8")
    lines = text.split("\n")
    typo = key_lines(lines)[len(key_lines(lines)) // 2]
    lines[typo] = misspelt(lines[typo])
    edited = "\n".join(lines)
    cache = ProjectCache()
    previous = analyze(text, AnalysisContext(path=floe_yaml, cache=cache))
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        analyze(edited, AnalysisContext(path=floe_yaml, cache=cache), previous)
        durations.append(time.perf_counter() - started)
    profiler = cProfile.Profile()
    profiler.runcall(analyze, edited, AnalysisContext(path=floe_yaml, cache=cache), previous)
    stats = pstats.Stats(profiler).stats
    core = str(REPO / "floe_core")
    hot = [
        (cumulative, f"{Path(file).relative_to(REPO)}:{line} {name}")
        for (file, line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items()
        if file.startswith(core) and name not in {"analyze", "_analyze"}
    ]
    return durations, sorted(hot, reverse=True)[:10]


def server_profile(floe_yaml: Path, requests: int, logs: Path) -> list[tuple[float, int, str]]:
    """Run floe-lsp under cProfile through an edit and the same requests, and return the
    floe_lsp / floe_core functions with the most cumulative time: (seconds, calls, where).
    cProfile sees only the thread answering requests (analyses run in worker threads:
    :func:`core_profile` covers them) and slows it down; the proportions are what count."""
    output = logs / "floe-lsp.prof"
    command = floe_server().command
    traced = Server("floe-lsp", [sys.executable, "-m", "cProfile", "-o", str(output), *command])
    session = Session(traced, floe_yaml, logs / "floe-lsp-cprofile.log")
    measure_changes(session, 2, pause=0.0)
    measure_requests(session, requests)
    session.close()
    ours = (str(REPO / "floe_lsp"), str(REPO / "floe_core"))
    stats = pstats.Stats(str(output)).stats
    hot = [
        (cumulative, calls, f"{Path(file).relative_to(REPO)}:{line} {name}")
        for (file, line, name), (_cc, calls, _tt, cumulative, _callers) in stats.items()
        if file.startswith(ours) and name not in {"main", "<module>", "run"}
    ]
    return sorted(hot, reverse=True)[:20]


def _status(dagster_imported: bool | None) -> str:
    if dagster_imported is None:
        return "nothing (no floe/status)"
    return "imported" if dagster_imported else "not imported"


def verdict(value: float, goal: float) -> str:
    """'meets' or 'MISSES' the goal (lower is better)."""
    return "meets" if value <= goal else "MISSES"


def table(figures: Figures, edits: int, requests: int) -> str:
    """The results as a markdown table plus the start-up profile."""
    floe = figures.change_to_diagnostics.get("floe-lsp", [])
    yaml_ls = figures.change_to_diagnostics.get("yaml-language-server", [])
    rows = [
        "| measurement | median | p90 | goal | |",
        "|---|---|---|---|---|",
    ]
    for name, values in figures.change_to_diagnostics.items():
        goal = "<= 50 ms" if name == "floe-lsp" else "(reference)"
        mark = verdict(_median(values), 0.050) if name == "floe-lsp" else ""
        rows.append(
            f"| didChange -> publishDiagnostics, {name} ({edits} edits) | "
            f"{_ms(_median(values))} | {_ms(_p90(values))} | {goal} | {mark} |"
        )
    if figures.server_overhead:
        rows.append(
            f"| floe-lsp's own overhead per edit (latency minus its analysis time, "
            f"floe/status) | {_ms(_median(figures.server_overhead))} | "
            f"{_ms(_p90(figures.server_overhead))} | | |"
        )
    if floe and yaml_ls:
        ratio = _median(floe) / _median(yaml_ls)
        rows.append(
            f"| ratio floe-lsp / yaml-language-server | {ratio:.2f} | | <= 0.2 "
            f"| {verdict(ratio, 0.2)} |"
        )
    for label, values in figures.requests.items():
        rows.append(
            f"| {label} ({requests} requests) | {_ms(_median(values))} | {_ms(_p90(values))} "
            f"| <= 10 ms | {verdict(_median(values), 0.010)} |"
        )
    for name, values in figures.start_to_diagnostics.items():
        goal, mark = (
            ("<= 0.7 s", verdict(_median(values), 0.7))
            if name == "floe-lsp"
            else ("(reference)", "")
        )
        rows.append(
            f"| start -> first diagnostics, {name} ({len(values)} starts) | "
            f"{_median(values):.3f} s | {max(values):.3f} s (max) | {goal} | {mark} |"
        )
    for name, values in figures.initialize.items():
        rows.append(f"| start -> initialize response, {name} | {_median(values):.3f} s | | | |")
    if figures.protocol_import:
        rows.append(
            "| a process that only imports lsprotocol.types (pygls' protocol types; every "
            f"pygls server pays it) | {_median(figures.protocol_import):.3f} s | "
            f"{max(figures.protocol_import):.3f} s (max) | | |"
        )
    notes = [
        "",
        "Diagnostics published after a key typo: "
        + ", ".join(f"{k}: {v}" for k, v in figures.diagnostics_on_typo.items())
        + " (a server that publishes none did not validate the file).",
    ]
    imports = figures.imports
    if imports is not None:
        dagster = ", ".join(imports.dagster_modules) or "none"
        clean = not imports.dagster_modules and not imports.status_dagster
        rows.append(
            f"| dagster modules imported by the server (-X importtime; floe/status says "
            f"{_status(imports.status_dagster)}) | {dagster} | | none | "
            f"{'meets' if clean else 'MISSES'} |"
        )
        notes += [
            f"floe-lsp imported {imports.module_count} modules; peak RSS "
            f"{imports.peak_rss_mib:.0f} MiB. Import time by package (the modules' own time, "
            "summed per top-level package):",
            "",
        ]
        notes += [f"- {name}: {micros / 1000:.0f} ms" for micros, name in imports.by_package]
    notes += [
        "",
        f"In-process `floe_core.analyze` of the file after a key typo in a schedule, given "
        "the previous analysis (the server re-parses only the edited entity), warm project "
        "cache (what a didChange costs before any protocol work): median "
        f"{_ms(_median(figures.core_analysis))} over {len(figures.core_analysis)} runs. "
        "Where one profiled run spends it (cumulative, "
        "cProfile adds overhead):",
        "",
    ]
    notes += [f"- `{where}`: {_ms(seconds)}" for seconds, where in figures.core_hot]
    if figures.server_hot:
        notes += [
            "",
            f"floe-lsp under cProfile through 2 edits and the same {requests} requests per "
            "kind (cumulative seconds over the whole session, calls; cProfile sees the thread "
            "that answers requests, not the analyses running in worker threads, which the "
            "in-process profile above covers):",
            "",
        ]
        notes += [
            f"- `{where}`: {seconds:.2f} s, {calls} calls"
            for seconds, calls, where in figures.server_hot
        ]
    return "\n".join(rows + notes)


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])
    except OSError:
        return "unknown"


def _busy_note(figures: Figures) -> str:
    """A warning when other work shared the cores, which inflates every absolute figure."""
    try:
        load = float(figures.load_before.split()[0])
    except (IndexError, ValueError):
        return ""
    cores = os.cpu_count() or 1
    if load <= cores:
        return ""
    return (
        f" The machine was busy (load {load:.1f} on {cores} cores, from other work running at "
        "the same time): the absolute figures are inflated; the floe / yaml-language-server "
        "ratio, measured in the same run, is the more trustworthy figure."
    )


def record(text: str, figures: Figures) -> None:
    """Write ``text`` as the "## Language server" section of benchmarks/RESULTS.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"{SECTION}\n\n"
        f"`python benchmarks/lsp_latency.py --record` on {stamp}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, node {_node_version()}; the generated floe.yaml "
        f"has {figures.lines} lines (benchmarks/generate_floe_yaml.py: 500 jobs, 500 schedules, "
        "40 sensors, 20 backfills, partitions of every type) and the tuva manifest (708 "
        "models). "
        "Measured from the client side over stdio. Load average (1, 5, 15 min) before: "
        f"{figures.load_before}, after: {figures.load_after}.{_busy_note(figures)}\n\n"
        f"{text}\n"
    )
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(existing):
        updated = pattern.sub(lambda _m: section + "\n", existing, count=1)
    else:
        updated = existing.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return "missing"
    return subprocess.run(
        [node, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run every measurement, print the table, and record it when asked."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=30, help="didChange edits per server")
    parser.add_argument("--requests", type=int, default=30, help="completions/hovers per kind")
    parser.add_argument("--starts", type=int, default=5, help="cold starts of floe-lsp")
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between edits")
    parser.add_argument("--record", action="store_true", help="write benchmarks/RESULTS.md")
    parser.add_argument(
        "--profile-server",
        action="store_true",
        help="also run floe-lsp under cProfile and list where its time goes",
    )
    args = parser.parse_args(argv)

    logs = GENERATED / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="floe-lsp-bench-") as workspace:
        figures = run(prepare(Path(workspace)), logs, args)
    text = table(figures, args.edits, args.requests)
    print(text)
    if args.record:
        record(text, figures)
        print(f"\nrecorded in {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 0


def run(floe_yaml: Path, logs: Path, args: argparse.Namespace) -> Figures:
    """Every measurement, server by server."""
    servers = [floe_server()]
    if (YAML_LS / "yaml-language-server").exists():
        servers.append(yaml_server(SCHEMA))
    else:
        print(
            "yaml-language-server is not installed: run `bash benchmarks/lsp_setup.sh`",
            file=sys.stderr,
        )

    for package in ("floe_core", "floe_lsp"):
        compileall.compile_dir(REPO / package, quiet=1)
    figures = Figures(lines=len(floe_yaml.read_text(encoding="utf-8").splitlines()))
    figures.load_before = _load_average()
    for server in servers:
        print(f"{server.name}: cold starts", file=sys.stderr)
        starts = args.starts if server.name == "floe-lsp" else 2
        figures.start_to_diagnostics[server.name], figures.initialize[server.name] = (
            measure_startup(server, floe_yaml, starts, logs)
        )
        if server.name == "floe-lsp":
            figures.protocol_import = measure_protocol_import(starts)
        print(f"{server.name}: {args.edits} edits", file=sys.stderr)
        session = Session(server, floe_yaml, logs / f"{server.name}.log")
        try:
            changes = measure_changes(session, args.edits, args.pause)
            figures.change_to_diagnostics[server.name] = changes.latencies
            figures.diagnostics_on_typo[server.name] = changes.on_typo
            if changes.overheads:
                figures.server_overhead = changes.overheads
            if changes.on_typo == 0:
                print(
                    f"warning: {server.name} published no diagnostic for a misspelt key: it did "
                    "not validate the file, so its latency means nothing",
                    file=sys.stderr,
                )
            if server.name == "floe-lsp":
                print(f"{server.name}: {args.requests} requests per kind", file=sys.stderr)
                figures.requests = measure_requests(session, args.requests)
        finally:
            session.close()
    print("floe-lsp: import profile", file=sys.stderr)
    figures.imports = import_profile(floe_yaml, logs)
    print("floe_core: in-process profile", file=sys.stderr)
    figures.core_analysis, figures.core_hot = core_profile(floe_yaml)
    if args.profile_server:
        print("floe-lsp: under cProfile", file=sys.stderr)
        figures.server_hot = server_profile(floe_yaml, args.requests, logs)
    figures.load_after = _load_average()
    return figures


if __name__ == "__main__":
    raise SystemExit(main())
