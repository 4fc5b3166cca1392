/**
 * Entry point of the floe VS Code extension: a thin client that starts floe-lsp for
 * floe.yaml / floe.yml / *.floe.yaml files. The files keep the `yaml` language id, so
 * other YAML tooling keeps working; the client selects them by file-name pattern.
 */
import * as vscode from "vscode";
import { type FloeExtensionApi, ServerController } from "./vscode/controller";
import { registerSchemaContributor } from "./vscode/yamlExtension";

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<FloeExtensionApi> {
  const log = vscode.window.createOutputChannel("floe", { log: true });
  const server = new ServerController(log);
  controller = server;
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand("floe.restartServer", () => server.restart("“floe: Restart server” was run")),
    vscode.commands.registerCommand("floe.showOutput", () => log.show()),
  );
  // Registered before the server starts, so the YAML extension never validates a floe
  // file with the full schema while floe-lsp is about to serve it.
  await registerSchemaContributor(context, () => server.serves(), log);
  void server.startIfNeeded();
  return {
    status: () => server.status(),
    onDidChangeStatus: server.onDidChangeStatus,
    restart: () => server.restart("restart requested through the extension API"),
  };
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
