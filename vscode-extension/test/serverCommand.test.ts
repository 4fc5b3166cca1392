import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { describeLaunch, findOnPath, installCommand, resolveServerLaunch, shellQuote } from "../src/serverCommand";

let root: string;
let bin: string;
let otherBin: string;
let workspace: string;

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "#!/bin/sh\nexit 0\n");
  fs.chmodSync(file, 0o755);
  return file;
}

before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "floe-resolve-"));
  bin = path.join(root, "bin");
  otherBin = path.join(root, "other-bin");
  workspace = path.join(root, "ws");
  executable(path.join(bin, "python3"));
  executable(path.join(bin, "floe-lsp"));
  executable(path.join(otherBin, "python3"));
  executable(path.join(root, "venv", "bin", "python"));
  executable(path.join(workspace, ".venv", "bin", "python"));
  fs.writeFileSync(path.join(bin, "not-executable"), "");
  fs.mkdirSync(path.join(bin, "a-directory"));
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe("resolveServerLaunch", () => {
  it("floe.server.path wins over every interpreter", () => {
    const result = resolveServerLaunch({
      serverPath: path.join(bin, "floe-lsp"),
      pythonPath: path.join(root, "venv", "bin", "python"),
      pythonExtensionInterpreter: path.join(otherBin, "python3"),
      envPath: bin,
    });
    assert.deepEqual(result, { ok: true, launch: { command: path.join(bin, "floe-lsp"), args: ["--stdio"], source: "floe.server.path" } });
  });

  it("floe.server.path may be a bare name found on PATH", () => {
    const result = resolveServerLaunch({ serverPath: "floe-lsp", pythonPath: "", envPath: bin });
    assert.ok(result.ok);
    assert.equal(result.launch.command, path.join(bin, "floe-lsp"));
  });

  it("floe.server.pythonPath runs the module with --stdio", () => {
    const python = path.join(root, "venv", "bin", "python");
    const result = resolveServerLaunch({ serverPath: "", pythonPath: python, pythonExtensionInterpreter: path.join(otherBin, "python3"), envPath: bin });
    assert.deepEqual(result, {
      ok: true,
      launch: { command: python, args: ["-m", "floe_lsp", "--stdio"], source: "floe.server.pythonPath", python },
    });
  });

  it("floe.server.pythonPath relative to the workspace folder", () => {
    const result = resolveServerLaunch({ serverPath: "", pythonPath: ".venv/bin/python", workspaceFolder: workspace, envPath: bin });
    assert.ok(result.ok);
    assert.equal(result.launch.python, path.join(workspace, ".venv", "bin", "python"));
  });

  it("the Python extension's interpreter comes before PATH", () => {
    const python = path.join(otherBin, "python3");
    const result = resolveServerLaunch({ serverPath: "", pythonPath: "", pythonExtensionInterpreter: python, envPath: bin });
    assert.ok(result.ok);
    assert.equal(result.launch.source, "Python extension");
    assert.equal(result.launch.command, python);
  });

  it("python3 on PATH is the last resort", () => {
    const result = resolveServerLaunch({ serverPath: "", pythonPath: "", envPath: [path.join(root, "missing"), bin].join(path.delimiter) });
    assert.ok(result.ok);
    assert.equal(result.launch.source, "PATH");
    assert.equal(result.launch.command, path.join(bin, "python3"));
  });

  it("falls back to PATH when the Python extension names a missing interpreter", () => {
    const result = resolveServerLaunch({ serverPath: "", pythonPath: "", pythonExtensionInterpreter: path.join(root, "gone", "python"), envPath: bin });
    assert.ok(result.ok);
    assert.equal(result.launch.source, "PATH");
  });

  const errors: [string, { serverPath: string; pythonPath: string; pythonExtensionInterpreter?: string }, string, RegExp][] = [
    ["a missing floe.server.path", { serverPath: "/nope/floe-lsp", pythonPath: "" }, "floe.server.path", /floe\.server\.path is "\/nope\/floe-lsp", which is not an executable file/],
    ["a non-executable floe.server.path", { serverPath: "BIN/not-executable", pythonPath: "" }, "floe.server.path", /not an executable file/],
    ["a directory as floe.server.path", { serverPath: "BIN/a-directory", pythonPath: "" }, "floe.server.path", /not an executable file/],
    ["a missing floe.server.pythonPath", { serverPath: "", pythonPath: "/nope/python" }, "floe.server.pythonPath", /floe\.server\.pythonPath is "\/nope\/python", which is not an executable Python interpreter/],
  ];
  for (const [name, input, setting, message] of errors) {
    it(`reports ${name} instead of falling through`, () => {
      const result = resolveServerLaunch({
        serverPath: input.serverPath.replace("BIN", bin),
        pythonPath: input.pythonPath,
        envPath: bin,
      });
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.setting, setting);
        assert.match(result.reason, message);
      }
    });
  }

  it("says what it tried when no interpreter exists at all", () => {
    const result = resolveServerLaunch({ serverPath: "", pythonPath: "", pythonExtensionInterpreter: "/gone/python", envPath: path.join(root, "missing") });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.reason, /the Python extension's interpreter "\/gone\/python" does not exist and python3 is not on PATH/);
    }
  });
});

describe("findOnPath", () => {
  it("returns the first executable match", () => {
    assert.equal(findOnPath("python3", [otherBin, bin].join(path.delimiter)), path.join(otherBin, "python3"));
    assert.equal(findOnPath("not-executable", bin), undefined);
    assert.equal(findOnPath("python3", ""), undefined);
  });
});

describe("installCommand", () => {
  it("names the exact interpreter", () => {
    assert.equal(installCommand("/work/.venv/bin/python", "linux"), "/work/.venv/bin/python -m pip install floe");
  });
  it("quotes paths with spaces", () => {
    assert.equal(installCommand("/Users/a b/py", "darwin"), "'/Users/a b/py' -m pip install floe");
    assert.equal(installCommand("C:\\Program Files\\Python311\\python.exe", "win32"), '"C:\\Program Files\\Python311\\python.exe" -m pip install floe');
  });
  it("quotes single quotes for a POSIX shell", () => {
    assert.equal(shellQuote("it's", "linux"), `'it'\\''s'`);
  });
});

describe("describeLaunch", () => {
  it("prints the command line", () => {
    assert.equal(describeLaunch({ command: "/p/python", args: ["-m", "floe_lsp", "--stdio"], source: "PATH", python: "/p/python" }), "/p/python -m floe_lsp --stdio");
  });
});
