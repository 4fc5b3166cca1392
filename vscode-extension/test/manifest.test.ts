/** The contributions users see: settings with scope and description, commands, activation. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"));

describe("package.json", () => {
  const properties = manifest.contributes.configuration.properties as Record<string, Record<string, unknown>>;

  it("contributes the documented settings", () => {
    assert.deepEqual(Object.keys(properties).sort(), [
      "floe.envFile",
      "floe.extraPythonRoots",
      "floe.features",
      "floe.manifestPath",
      "floe.server.path",
      "floe.server.pythonPath",
      "floe.trace.server",
    ]);
  });

  for (const [name, schema] of Object.entries(properties)) {
    it(`${name} has a scope, a description and a default`, () => {
      assert.ok(typeof schema.scope === "string", "scope");
      assert.ok(typeof (schema.description ?? schema.markdownDescription) === "string", "description");
      assert.ok("default" in schema, "default");
    });
  }

  it("keeps executables out of untrusted workspaces", () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ["floe.server.path", "floe.server.pythonPath"]);
    assert.equal(properties["floe.server.path"]?.scope, "machine-overridable");
  });

  it("has the restart command as “floe: Restart server”", () => {
    const restart = manifest.contributes.commands.find((c: { command: string }) => c.command === "floe.restartServer");
    assert.equal(`${restart.category}: ${restart.title}`, "floe: Restart server");
  });

  it("activates on floe files and workspaces that contain them, without a language of its own", () => {
    assert.deepEqual(manifest.activationEvents, [
      "workspaceContains:**/floe.yaml",
      "workspaceContains:**/floe.yml",
      "workspaceContains:**/*.floe.yaml",
      "onLanguage:yaml",
    ]);
    assert.equal(manifest.contributes.languages, undefined);
  });

  it("is packaged as floe-vscode-<version>.vsix with the schema", () => {
    assert.equal(manifest.name, "floe-vscode");
    assert.match(manifest.scripts.package, /--out floe-vscode-\$\{npm_package_version\}\.vsix/);
    assert.equal(manifest.contributes.yamlValidation[0].url, "./schemas/floe.schema.json");
    assert.ok(fs.readFileSync(path.join(__dirname, "..", "..", ".vscodeignore"), "utf8").includes("!schemas/floe.schema.json"));
  });
});
