/**
 * The duplicate-diagnostics design, checked against the real yaml-language-server (the
 * server inside the YAML extension). This test plays the YAML extension's client side:
 * it sends the static yamlValidation association, registers the custom schema request
 * like the extension API does, and answers `custom/schema/request` / `custom/schema/content`
 * with the floe extension's own functions.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { after, describe, it } from "node:test";
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import {
  CONTRIBUTOR_SCHEME,
  contributedSchemaFor,
  documentationOnlySchema,
  DOCS_SCHEMA_URI,
  FLOE_FILE_PATTERNS,
  isFloeFileName,
  isFloeUri,
} from "../src/schemaAssociation";

const extensionRoot = path.join(__dirname, "..", "..");
const fixtures = path.join(extensionRoot, "test", "fixtures");
const realSchema = path.join(extensionRoot, "..", "schemas", "floe.schema.json");

interface Diagnostic {
  message: string;
  source?: string;
  range: { start: { line: number; character: number } };
}

class YamlLanguageServer {
  private readonly process: ChildProcess;
  readonly connection: MessageConnection;
  private readonly diagnostics = new Map<string, Diagnostic[][]>();
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly schemaFile: string,
    private readonly floeLspServes: boolean | undefined,
  ) {
    const bin = path.join(extensionRoot, "node_modules", "yaml-language-server", "bin", "yaml-language-server");
    this.process = spawn(process.execPath, [bin, "--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
    const { stdout, stdin } = this.process;
    if (stdout === null || stdin === null) {
      throw new Error("yaml-language-server has no stdio");
    }
    this.connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onRequest("workspace/configuration", (params: { items: { section?: string }[] }) =>
      params.items.map((item) =>
        item.section === "yaml" ? { validate: true, hover: true, completion: true, schemaStore: { enable: false }, format: { enable: false } } : {},
      ),
    );
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onRequest("window/workDoneProgress/create", () => null);
    // What vscode-yaml does with registered contributors: ask each, keep the answers.
    this.connection.onRequest("custom/schema/request", (resource: string) => {
      const uri = this.floeLspServes === undefined ? undefined : contributedSchemaFor(resource, this.floeLspServes);
      return uri === undefined ? [] : [uri];
    });
    this.connection.onRequest("custom/schema/content", (uri: string) => {
      assert.equal(new URL(uri).protocol, `${CONTRIBUTOR_SCHEME}:`);
      return JSON.stringify(documentationOnlySchema(JSON.parse(fs.readFileSync(this.schemaFile, "utf8"))));
    });
    this.connection.onNotification("textDocument/publishDiagnostics", (params: { uri: string; diagnostics: Diagnostic[] }) => {
      const list = this.diagnostics.get(params.uri) ?? [];
      list.push(params.diagnostics);
      this.diagnostics.set(params.uri, list);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    this.connection.listen();
  }

  async start(root: string): Promise<void> {
    const rootUri = pathToFileURL(root).href;
    await this.connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: "ws" }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { hover: { contentFormat: ["markdown", "plaintext"] }, publishDiagnostics: {} },
      },
      initializationOptions: {},
    });
    await this.connection.sendNotification("initialized", {});
    // package.json's yamlValidation, as the YAML extension forwards it.
    await this.connection.sendNotification("json/schemaAssociations", [
      { fileMatch: ["floe.yaml", "floe.yml", "*.floe.yaml"], uri: pathToFileURL(this.schemaFile).href },
    ]);
    if (this.floeLspServes !== undefined) {
      await this.connection.sendNotification("yaml/registerCustomSchemaRequest");
    }
    await this.connection.sendNotification("workspace/didChangeConfiguration", { settings: null });
  }

  /**
   * Opens a document and returns its diagnostics: the first non-empty publication when
   * `expectSome`, else the last one once publications have stopped for a while.
   */
  async diagnosticsOf(file: string, text: string, expectSome: boolean): Promise<Diagnostic[]> {
    const uri = pathToFileURL(file).href;
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const deadline = Date.now() + 30000;
    let seen = 0;
    for (;;) {
      const list = this.diagnostics.get(uri) ?? [];
      if (expectSome) {
        const some = list.find((published) => published.length > 0);
        if (some !== undefined) {
          return some;
        }
      } else if (list.length > seen) {
        seen = list.length;
        await new Promise((resolve) => setTimeout(resolve, 1500)); // a later publication may follow
        if ((this.diagnostics.get(uri) ?? []).length === seen) {
          return list[list.length - 1] ?? [];
        }
        continue;
      }
      if (Date.now() > deadline) {
        return list[list.length - 1] ?? [];
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 500);
      });
    }
  }

  latest(file: string): Diagnostic[] {
    const list = this.diagnostics.get(pathToFileURL(file).href) ?? [];
    return list[list.length - 1] ?? [];
  }

  async hover(file: string, line: number, character: number): Promise<string> {
    const result = (await this.connection.sendRequest("textDocument/hover", {
      textDocument: { uri: pathToFileURL(file).href },
      position: { line, character },
    })) as { contents: { value: string } | string } | null;
    if (result === null) {
      return "";
    }
    return typeof result.contents === "string" ? result.contents : result.contents.value;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest("shutdown"), new Promise((resolve) => setTimeout(resolve, 2000))]);
      await this.connection.sendNotification("exit");
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}

const servers: YamlLanguageServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

async function diagnose(schemaFile: string, floeLspServes: boolean | undefined, documentFile: string, text: string, expectSome: boolean) {
  const server = new YamlLanguageServer(schemaFile, floeLspServes);
  servers.push(server);
  await server.start(path.dirname(documentFile));
  const diagnostics = await server.diagnosticsOf(documentFile, text, expectSome);
  return { server, diagnostics };
}

const fixtureSchema = path.join(fixtures, "floe-like.schema.json");
const invalidText = fs.readFileSync(path.join(fixtures, "invalid.floe.yaml"), "utf8");
const documentFile = path.join(fixtures, "ws", "floe.yaml"); // never written: the text is sent

describe("yaml-language-server with floe's schema association", { timeout: 120000 }, () => {
  it("validates with the full schema when floe-lsp is not serving (the failure fallback)", async () => {
    const { diagnostics } = await diagnose(fixtureSchema, false, documentFile, invalidText, true);
    const messages = diagnostics.map((d) => d.message).join("\n");
    assert.ok(diagnostics.length >= 5, `expected schema diagnostics, got:\n${messages}`);
    assert.match(messages, /colour|not allowed/i);
  });

  it("validates with the full schema without the floe extension's contributor at all", async () => {
    const { diagnostics } = await diagnose(fixtureSchema, undefined, documentFile, invalidText, true);
    assert.ok(diagnostics.length >= 5, diagnostics.map((d) => d.message).join("\n"));
  });

  it("reports nothing from the schema while floe-lsp serves the file, and still documents it", async () => {
    const { server, diagnostics } = await diagnose(fixtureSchema, true, documentFile, invalidText, false);
    assert.deepEqual(
      diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`),
      [],
      "yaml-language-server repeated diagnostics that floe-lsp owns",
    );
    // the hover comes from the docs-only schema: it was applied, not merely late
    const hover = await server.hover(documentFile, invalidText.split("\n").findIndex((l) => l.includes("job: bronze_refresh")), 8);
    assert.match(hover, /Name of the job this schedule runs/);
    assert.deepEqual(server.latest(documentFile), []);
  });

  it("leaves YAML files that are not floe files alone", async () => {
    const other = path.join(fixtures, "ws", "docker-compose.yaml");
    const { server, diagnostics } = await diagnose(fixtureSchema, true, other, invalidText, false);
    assert.deepEqual(diagnostics, []);
    assert.equal(await server.hover(other, 0, 1), "", "no schema at all applies to other YAML files");
  });

  it("the real floe.schema.json also yields no diagnostics while floe-lsp serves", { skip: fs.existsSync(realSchema) ? false : `${realSchema} not generated yet` }, async () => {
    const full = await diagnose(realSchema, false, documentFile, invalidText, true);
    assert.ok(full.diagnostics.length > 0, "the real schema should reject the invalid fixture");
    const served = await diagnose(realSchema, true, documentFile, invalidText, false);
    assert.deepEqual(served.diagnostics.map((d) => d.message), []);
    const hover = await served.server.hover(documentFile, 1, 3);
    assert.ok(hover.length > 0, "the docs-only copy of the real schema documents `orchestration`");
    assert.deepEqual(served.server.latest(documentFile), []);
  });
});

describe("documentationOnlySchema", () => {
  const stripped = documentationOnlySchema(JSON.parse(fs.readFileSync(fixtureSchema, "utf8"))) as Record<string, any>;

  it("keeps properties named like keywords", () => {
    const batch = stripped.$defs.BatchJob.properties;
    assert.deepEqual(Object.keys(batch).sort(), ["description", "required", "selection", "type"]);
    assert.equal(batch.required.description, "A field that happens to be called required.");
  });

  it("drops every validating keyword and keeps the docs", () => {
    const text = JSON.stringify(stripped);
    for (const keyword of ['"required":[', '"additionalProperties":false', '"minItems"', '"pattern"', '"maxLength"', '"format"', '"oneOf"', '"$id"', '"minimum"']) {
      assert.ok(!text.includes(keyword), `${keyword} left in ${text}`);
    }
    assert.equal(stripped.$defs.Schedule.properties.job.description, "Name of the job this schedule runs.");
    assert.equal(stripped.$defs.Schedule.properties.enabled.default, true);
  });

  it("turns enums and consts into examples for completion", () => {
    assert.deepEqual(stripped.$defs.Schedule.properties.timezone.examples, ["UTC", "Europe/Paris"]);
    assert.deepEqual(stripped.$defs.BatchJob.properties.type.examples, ["batch"]);
  });

  it("keeps the structure of maps and unions", () => {
    assert.deepEqual(stripped.$defs.Orchestration.properties.jobs.additionalProperties, { $ref: "#/$defs/Job" });
    assert.equal(stripped.$defs.Job.anyOf.length, 2);
  });

  it("keeps a oneOf next to an anyOf as a separate constraint", () => {
    const result = documentationOnlySchema({ anyOf: [{ description: "a" }], oneOf: [{ description: "b" }] }) as Record<string, unknown>;
    assert.deepEqual(result, { anyOf: [{ description: "a" }], allOf: [{ anyOf: [{ description: "b" }] }] });
  });
});

describe("floe file names", () => {
  const cases: [string, boolean][] = [
    ["/ws/floe.yaml", true],
    ["/ws/demo/floe.yml", true],
    ["/ws/prod.floe.yaml", true],
    ["C:\\ws\\floe.yaml", true],
    ["/ws/.floe.yaml", false],
    ["/ws/floe.yaml.bak", false],
    ["/ws/notfloe.yaml", false],
    ["/ws/floe.json", false],
  ];
  for (const [name, expected] of cases) {
    it(`${name} -> ${expected}`, () => assert.equal(isFloeFileName(name), expected));
  }

  it("matches URIs as the YAML extension passes them", () => {
    assert.equal(isFloeUri("file:///ws/my%20project/floe.yaml"), true);
    assert.equal(isFloeUri("file:///ws/floe.yaml?ref=HEAD"), true);
    assert.equal(isFloeUri("file:///ws/values.yaml"), false);
  });

  it("answers the docs schema only while floe-lsp serves", () => {
    assert.equal(contributedSchemaFor("file:///ws/floe.yaml", true), DOCS_SCHEMA_URI);
    assert.equal(contributedSchemaFor("file:///ws/floe.yaml", false), undefined);
    assert.equal(contributedSchemaFor("file:///ws/other.yaml", true), undefined);
  });

  it("uses the same patterns as package.json", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(extensionRoot, "package.json"), "utf8"));
    const yamlValidation = manifest.contributes.yamlValidation[0].fileMatch.map((p: string) => `**/${p}`);
    assert.deepEqual(yamlValidation, [...FLOE_FILE_PATTERNS]);
  });
});
