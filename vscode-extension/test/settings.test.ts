import * as assert from "node:assert/strict";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_SETTINGS, expandPath, readSettings, RESTART_SETTINGS, toServerSettings } from "../src/settings";

function getter(values: Record<string, unknown>) {
  return (key: string): unknown => values[key];
}

describe("readSettings", () => {
  it("defaults every setting when nothing is set", () => {
    const { settings, problems } = readSettings(getter({}));
    assert.deepEqual(settings, { ...DEFAULT_SETTINGS, extraPythonRoots: [], features: {} });
    assert.deepEqual(problems, []);
  });

  it("reads and trims valid values", () => {
    const { settings, problems } = readSettings(
      getter({
        "server.path": " /opt/floe/bin/floe-lsp ",
        "server.pythonPath": "python3.11",
        manifestPath: "dbt/target/manifest.json",
        envFile: ".env",
        extraPythonRoots: ["src", " lib "],
        features: { hover: false, completion: true },
        "trace.server": "verbose",
      }),
    );
    assert.deepEqual(problems, []);
    assert.equal(settings.serverPath, "/opt/floe/bin/floe-lsp");
    assert.equal(settings.pythonPath, "python3.11");
    assert.deepEqual(settings.extraPythonRoots, ["src", "lib"]);
    assert.deepEqual(settings.features, { hover: false, completion: true });
    assert.equal(settings.trace, "verbose");
  });

  const badValues: [string, Record<string, unknown>, RegExp][] = [
    ["server.path not a string", { "server.path": 42 }, /floe\.server\.path must be a string, got 42/],
    ["roots not a list", { extraPythonRoots: "src" }, /floe\.extraPythonRoots must be a list/],
    ["root entry not a string", { extraPythonRoots: ["ok", 3] }, /entries must be non-empty strings; ignoring 3/],
    ["feature not a boolean", { features: { hover: "yes" } }, /floe\.features\.hover must be true or false/],
    ["features not an object", { features: [true] }, /floe\.features must be an object of booleans/],
    ["unknown trace level", { "trace.server": "loud" }, /floe\.trace\.server must be one of off, messages, verbose/],
  ];
  for (const [name, values, message] of badValues) {
    it(`reports a problem and uses the default: ${name}`, () => {
      const { settings, problems } = readSettings(getter(values));
      assert.equal(problems.length, 1, problems.join("\n"));
      assert.match(problems[0] ?? "", message);
      assert.equal(settings.trace, "off");
      assert.equal(settings.serverPath, "");
    });
  }

  it("keeps the valid part of a partly bad value", () => {
    const { settings } = readSettings(getter({ extraPythonRoots: ["ok", 3], features: { a: true, b: 1 } }));
    assert.deepEqual(settings.extraPythonRoots, ["ok"]);
    assert.deepEqual(settings.features, { a: true });
  });
});

describe("expandPath", () => {
  const folder = path.join(os.tmpdir(), "ws");
  const cases: [string, string, string][] = [
    ["bare command stays for PATH lookup", "python3", "python3"],
    ["workspace variable", "${workspaceFolder}/.venv/bin/python", path.join(folder, ".venv/bin/python")],
    ["relative path against the folder", ".venv/bin/python", path.join(folder, ".venv/bin/python")],
    ["nested relative path", "tools/floe-lsp", path.join(folder, "tools/floe-lsp")],
    ["home", "~/bin/floe-lsp", path.join("/home/u", "bin/floe-lsp")],
    ["userHome variable", "${userHome}/x", "/home/u/x"],
    ["absolute stays", "/usr/bin/python3", "/usr/bin/python3"],
    ["empty stays empty", "", ""],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(expandPath(input, folder, "/home/u"), expected));
  }
});

describe("toServerSettings", () => {
  it("leaves out empty paths and resolves the others", () => {
    const { settings } = readSettings(getter({ manifestPath: "dbt/target/manifest.json", extraPythonRoots: ["src"] }));
    assert.deepEqual(toServerSettings(settings, "/ws"), {
      manifestPath: "/ws/dbt/target/manifest.json",
      extraPythonRoots: ["/ws/src"],
      features: {},
    });
  });

  it("carries the features and expands variables", () => {
    const { settings } = readSettings(getter({ envFile: "${workspaceFolder}/.env.dev", features: { hover: false } }));
    assert.deepEqual(toServerSettings(settings, "/ws"), { envFile: "/ws/.env.dev", extraPythonRoots: [], features: { hover: false } });
  });

  it("never sends the extension's own settings to the server", () => {
    const { settings } = readSettings(getter({ "server.path": "/x", "trace.server": "verbose" }));
    assert.deepEqual(Object.keys(toServerSettings(settings, "/ws")).sort(), ["extraPythonRoots", "features"]);
  });
});

describe("RESTART_SETTINGS", () => {
  it("restarts for every contributed setting except trace", async () => {
    const manifest = (await import("node:fs")).readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8");
    const contributed = Object.keys(JSON.parse(manifest).contributes.configuration.properties as Record<string, unknown>);
    assert.deepEqual([...RESTART_SETTINGS, "floe.trace.server"].sort(), contributed.sort());
  });
});
