"""Regenerate target/manifest.json of the example dbt project with a real ``dbt parse``.

The manifest is committed (floe reads it, never dbt), trimmed of what floe does not read:
the macros and docs of dbt itself (half a megabyte), and run-specific metadata
(invocation id, generation time), so that regenerating it is reproducible. Run it with the
runtime extra installed: ``python examples/shop/dbt/build_manifest.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "target"
DROPPED = ("macros", "docs")
VOLATILE = ("invocation_id", "generated_at", "invocation_started_at", "user_id")


def main() -> int:
    """Parse the project, trim the manifest, remove dbt's other artifacts."""
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(dbt), "parse", "--profiles-dir", str(HERE), "--project-dir", str(HERE)]
    subprocess.run(command, check=True, env=env, cwd=HERE)
    manifest_path = TARGET / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for key in DROPPED:
        manifest[key] = {}
    for key in VOLATILE:
        manifest["metadata"].pop(key, None)
    for node in [*manifest["nodes"].values(), *manifest["sources"].values()]:
        node.pop("created_at", None)
        node.pop("root_path", None)
        node.pop("build_path", None)
    for path in TARGET.iterdir():
        if path != manifest_path:
            path.unlink() if path.is_file() else shutil.rmtree(path)
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    manifest_path.write_text(text, encoding="utf-8")
    logs = HERE / "logs"
    if logs.exists():
        shutil.rmtree(logs)
    print(f"wrote {manifest_path} ({len(text):,} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
