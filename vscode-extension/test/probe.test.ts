import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { interpretProbe, probeFloe } from "../src/probe";
import { findOnPath } from "../src/serverCommand";

const python = findOnPath("python3");
let root: string;

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "floe-probe-"));
  fs.mkdirSync(path.join(root, "with", "floe_lsp"), { recursive: true });
  fs.writeFileSync(path.join(root, "with", "floe_lsp", "__init__.py"), "raise SystemExit('the probe must not import floe_lsp')\n");
  fs.mkdirSync(path.join(root, "without"));
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

function envWith(pythonPath: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, PYTHONPATH: pythonPath, PYTHONNOUSERSITE: "1" };
}

describe("probeFloe with a real interpreter", { skip: python === undefined ? "python3 is not on PATH" : false }, () => {
  it("finds floe_lsp without importing it", async () => {
    const result = await probeFloe(python ?? "", { env: envWith(path.join(root, "with")), cwd: root });
    assert.equal(result.kind, "ok", JSON.stringify(result));
  });

  it("offers the exact install command when floe_lsp is missing", async (t) => {
    const probe = await probeFloe(python ?? "", { env: envWith(path.join(root, "without")), cwd: root });
    if (probe.kind === "ok") {
      t.skip(`${python} has floe installed system-wide`);
      return;
    }
    assert.equal(probe.kind, "not-installed", JSON.stringify(probe));
    if (probe.kind === "not-installed") {
      assert.equal(probe.installCommand, `${python} -m pip install floe`);
      assert.match(probe.message, /floe is not installed in the Python interpreter .* Install it with: .* -m pip install floe/);
    }
  });

  it("reports an interpreter that does not exist", async () => {
    const result = await probeFloe(path.join(root, "no-python"), { timeoutMs: 5000 });
    assert.equal(result.kind, "failed");
    if (result.kind === "failed") {
      assert.match(result.message, /cannot run the Python interpreter .*no-python \(ENOENT\)/);
    }
  });

  it("reports an interpreter that is not Python", async () => {
    const fake = path.join(root, "fake-python");
    fs.writeFileSync(fake, "#!/bin/sh\necho 'this is not python' >&2\nexit 2\n");
    fs.chmodSync(fake, 0o755);
    const result = await probeFloe(fake, { timeoutMs: 5000 });
    assert.equal(result.kind, "failed");
    if (result.kind === "failed") {
      assert.match(result.message, /could not be queried for floe: this is not python/);
    }
  });
});

describe("interpretProbe", () => {
  it("warns about a Python older than floe supports", () => {
    const result = interpretProbe("/usr/bin/python3", null, '{"floe_lsp": false, "floe": null, "python": "3.9.2", "executable": "/usr/bin/python3"}\n', "");
    assert.equal(result.kind, "not-installed");
    if (result.kind === "not-installed") {
      assert.match(result.message, /\(Python 3\.9\.2\).* floe needs Python 3\.11 or newer: choose another interpreter\./);
    }
  });

  it("reads the floe version", () => {
    const result = interpretProbe("/p", null, 'noise\n{"floe_lsp": true, "floe": "0.1.0", "python": "3.11.9", "executable": "/p"}', "");
    assert.deepEqual(result, { kind: "ok", python: "/p", pythonVersion: "3.11.9", floeVersion: "0.1.0" });
  });

  it("reports a time-out", () => {
    const error = Object.assign(new Error("timeout"), { killed: true, code: null });
    assert.equal(interpretProbe("/p", error, "", "").kind, "failed");
  });
});
