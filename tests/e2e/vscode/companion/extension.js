// Test companion for the floe extension: runs inside real VS Code (code-server), uses only
// the public VS Code API, and records what the floe extension and floe-lsp answered.
"use strict";
const fs = require("node:fs");
const vscode = require("vscode");

const FLOE_EXTENSION_ID = "floe.floe-vscode";

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes; returns the last value. */
async function poll(probe, timeoutMs, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    try {
      value = await probe();
    } catch (error) {
      value = undefined;
    }
    if (value || Date.now() > deadline) {
      return value;
    }
    await sleep(intervalMs);
  }
}

function hoverText(hovers) {
  const parts = [];
  for (const hover of hovers || []) {
    for (const content of hover.contents) {
      parts.push(typeof content === "string" ? content : content.value);
    }
  }
  return parts.join("\n---\n");
}

function locations(result) {
  const list = Array.isArray(result) ? result : result ? [result] : [];
  return list.map((item) => {
    const uri = item.targetUri || item.uri;
    const range = item.targetSelectionRange || item.targetRange || item.range;
    return { path: uri.fsPath, line: range.start.line, character: range.start.character };
  });
}

function diagnosticsOf(uri) {
  return vscode.languages.getDiagnostics(uri).map((d) => ({
    source: d.source,
    message: d.message,
    line: d.range.start.line,
    character: d.range.start.character,
    severity: vscode.DiagnosticSeverity[d.severity],
  }));
}

async function replaceAll(editor, text) {
  const document = editor.document;
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  await editor.edit((edit) => edit.replace(whole, text));
}

function save(spec, results) {
  const tmp = `${spec.results}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, spec.results);
}

async function run(spec, results) {
  const step = (name) => {
    results.steps.push(`${new Date().toISOString()} ${name}`);
    save(spec, results); // partial results survive a hang
  };
  const floe = vscode.extensions.getExtension(FLOE_EXTENSION_ID);
  results.installed = floe !== undefined;
  if (!floe) {
    results.installedExtensions = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith("vscode."));
    return;
  }

  step("open the floe file");
  const uri = vscode.Uri.file(spec.file);
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  const original = document.getText();
  results.languageId = document.languageId;

  step("wait for activation");
  results.activated = Boolean(await poll(() => floe.isActive, 60000));
  if (!results.activated) {
    return;
  }
  const api = floe.exports;
  const status = await poll(() => {
    const s = api.status();
    return s.state === "running" || s.state === "failed" ? s : undefined;
  }, 120000);
  results.status = status || api.status();
  step(`server state: ${results.status.state}`);
  if (results.status.state !== "running") {
    return;
  }

  step("hover on the cron expression");
  const cronPosition = new vscode.Position(spec.cron.line, spec.cron.character);
  results.hover = await poll(async () => hoverText(await vscode.commands.executeCommand("vscode.executeHoverProvider", uri, cronPosition)), 20000, 500);
  results.hover = results.hover || "";

  step("definition of the job reference");
  const referencePosition = new vscode.Position(spec.reference.line, spec.reference.character + 1);
  results.definition = locations(
    await poll(async () => {
      const found = await vscode.commands.executeCommand("vscode.executeDefinitionProvider", uri, referencePosition);
      return found && found.length > 0 ? found : undefined;
    }, 15000, 500),
  );

  step("break the job reference");
  const referenceRange = new vscode.Range(spec.reference.line, spec.reference.character, spec.reference.line, spec.reference.endCharacter);
  await editor.edit((edit) => edit.replace(referenceRange, spec.reference.typo));
  const started = Date.now();
  const found = await poll(
    () => diagnosticsOf(uri).find((d) => d.source === "floe" && d.message.includes(spec.reference.typo)),
    60000,
  );
  results.brokenReferenceMs = found ? Date.now() - started : null;
  results.diagnostics = diagnosticsOf(uri);

  step("complete after `job: `");
  await replaceAll(editor, original);
  const insertAt = new vscode.Position(spec.completion.afterLine + 1, 0);
  await editor.edit((edit) => edit.insert(insertAt, spec.completion.text));
  const completionPosition = new vscode.Position(spec.completion.line, spec.completion.character);
  results.completionLine = editor.document.lineAt(spec.completion.line).text;
  const list = await poll(async () => {
    const answer = await vscode.commands.executeCommand("vscode.executeCompletionItemProvider", uri, completionPosition);
    return answer && answer.items.length > 0 ? answer : undefined;
  }, 20000, 500);
  results.completion = (list ? list.items : []).map((item) => ({
    label: typeof item.label === "string" ? item.label : item.label.label,
    kind: item.kind === undefined ? null : vscode.CompletionItemKind[item.kind],
    detail: item.detail || null,
  }));

  step("floe: Restart server");
  await vscode.commands.executeCommand("floe.restartServer");
  results.afterRestartCommand = (await poll(() => (api.status().state === "running" ? api.status() : undefined), 60000)) || api.status();

  if (spec.pythonWithoutFloe) {
    step("switch floe.server.pythonPath to an interpreter without floe");
    const configuration = vscode.workspace.getConfiguration("floe");
    const before = configuration.inspect("server.pythonPath").globalValue;
    await configuration.update("server.pythonPath", spec.pythonWithoutFloe, vscode.ConfigurationTarget.Global);
    results.withoutFloe = (await poll(() => (api.status().state === "failed" ? api.status() : undefined), 60000)) || api.status();
    step("switch it back");
    await configuration.update("server.pythonPath", before, vscode.ConfigurationTarget.Global);
    results.afterSwitchBack = (await poll(() => (api.status().state === "running" ? api.status() : undefined), 60000)) || api.status();
    await vscode.commands.executeCommand("notifications.clearAll");
  }

  if (spec.brokenServer) {
    step("point floe.server.path at a server that exits at once");
    const configuration = vscode.workspace.getConfiguration("floe");
    await configuration.update("server.path", spec.brokenServer, vscode.ConfigurationTarget.Global);
    results.brokenServer = (await poll(() => (api.status().state === "failed" ? api.status() : undefined), 90000)) || api.status();
    step("clear floe.server.path");
    await configuration.update("server.path", undefined, vscode.ConfigurationTarget.Global);
    results.afterBrokenServer = (await poll(() => (api.status().state === "running" ? api.status() : undefined), 60000)) || api.status();
    await vscode.commands.executeCommand("notifications.clearAll");
  }

  step("leave the broken reference and the cron hover on screen");
  await replaceAll(editor, original);
  await editor.edit((edit) => edit.replace(referenceRange, spec.reference.typo));
  await poll(() => diagnosticsOf(uri).some((d) => d.message.includes(spec.reference.typo)), 20000);
  await vscode.commands.executeCommand("workbench.actions.view.problems");
  await vscode.window.showTextDocument(editor.document, { preserveFocus: false, preview: false });
  editor.selection = new vscode.Selection(cronPosition, cronPosition);
  editor.revealRange(new vscode.Range(cronPosition, cronPosition), vscode.TextEditorRevealType.InCenter);
  await vscode.commands.executeCommand("editor.action.showHover");
  await sleep(1500);
}

exports.activate = async function activate() {
  const specPath = process.env.FLOE_E2E_SPEC;
  if (!specPath) {
    return;
  }
  const spec = JSON.parse(fs.readFileSync(specPath, "utf8"));
  const results = { steps: [], startedAt: new Date().toISOString() };
  try {
    await run(spec, results);
  } catch (error) {
    results.error = String((error && error.stack) || error);
  }
  results.done = true;
  save(spec, results);
};

exports.deactivate = function deactivate() {};
