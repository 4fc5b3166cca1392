/**
 * Owns the floe-lsp client: decides how to launch it, probes the interpreter, starts,
 * restarts and stops it, and shows its state in the status bar and in notifications.
 * Starts lazily, when a floe file is open or the workspace contains one.
 */
import * as vscode from "vscode";
import {
  CloseAction,
  type CloseHandlerResult,
  ErrorAction,
  type ErrorHandler,
  LanguageClient,
  type LanguageClientOptions,
  type Message,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";
import { probeFloe } from "../probe";
import { FLOE_FILE_PATTERNS, isFloeFileName } from "../schemaAssociation";
import { describeLaunch, type LaunchSource, resolveServerLaunch, type SettingToFix } from "../serverCommand";
import { ServerProcess } from "../serverProcess";
import { RESTART_SETTINGS, readSettings, type ServerSettings, toServerSettings } from "../settings";
import { isPythonExtensionInstalled, onDidChangePythonInterpreter, pythonExtensionInterpreter } from "./pythonExtension";

export type ServerState = "idle" | "starting" | "running" | "failed";

export interface FloeStatus {
  state: ServerState;
  /** Why the server is in this state, in words for the user. */
  detail: string;
  /** The command line, once resolved. */
  command?: string;
  source?: LaunchSource;
  floeVersion?: string | null;
}

/** What the extension exports; used by the end-to-end test and other extensions. */
export interface FloeExtensionApi {
  status(): FloeStatus;
  readonly onDidChangeStatus: vscode.Event<FloeStatus>;
  restart(): Promise<void>;
}

const FLOE_GLOB = "**/{floe.yaml,floe.yml,*.floe.yaml}";
const EXCLUDE_GLOB = "**/{node_modules,.venv,.git}/**";

export class ServerController implements vscode.Disposable, FloeExtensionApi {
  private client: LanguageClient | undefined;
  private process: ServerProcess | undefined;
  private current: FloeStatus = { state: "idle", detail: "waiting for a floe.yaml to open" };
  private readonly statusItem: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<FloeStatus>();
  private readonly disposables: vscode.Disposable[] = [];
  private queue: Promise<void> = Promise.resolve();
  private stopping = false;
  private lastNotified: string | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  readonly onDidChangeStatus = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.statusItem = vscode.window.createStatusBarItem("floe.status", vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = "floe language server";
    this.statusItem.command = "floe.showOutput";
    this.disposables.push(
      this.statusItem,
      this.changed,
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (this.current.state === "idle" && isFloeDocument(document)) {
          this.setStatus({ state: "starting", detail: "starting floe-lsp" }); // later opens wait for this start
          void this.enqueue(() => this.start());
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (this.current.state !== "idle" && RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) {
          this.scheduleRestart("settings changed");
        }
      }),
    );
    void onDidChangePythonInterpreter(() => {
      if (this.current.state !== "idle" && this.followsPythonExtension()) {
        this.scheduleRestart("the Python extension's interpreter changed");
      }
    }).then((disposable) => this.disposables.push(disposable));
  }

  status(): FloeStatus {
    return { ...this.current };
  }

  /** True unless floe-lsp failed: then the YAML extension gets the full schema instead. */
  serves(): boolean {
    return this.current.state !== "failed";
  }

  /** Starts the server when a floe file is open or the workspace contains one. */
  async startIfNeeded(): Promise<void> {
    if (this.current.state !== "idle") {
      return;
    }
    const open = vscode.workspace.textDocuments.some(isFloeDocument);
    const inWorkspace = open || (await vscode.workspace.findFiles(FLOE_GLOB, EXCLUDE_GLOB, 1)).length > 0;
    if (inWorkspace && this.current.state === "idle") {
      this.setStatus({ state: "starting", detail: "starting floe-lsp" });
      await this.enqueue(() => this.start());
    }
  }

  restart(why = "restart requested"): Promise<void> {
    this.lastNotified = undefined;
    return this.enqueue(async () => {
      this.log.info(`restarting floe-lsp: ${why}`);
      await this.stop();
      await this.start();
    });
  }

  async dispose(): Promise<void> {
    clearTimeout(this.restartTimer);
    await this.enqueue(() => this.stop());
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  private scheduleRestart(why: string): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(why), 300);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task, task);
    this.queue = run.catch((error: unknown) => this.log.error(`floe: ${String(error)}`));
    return this.queue;
  }

  private followsPythonExtension(): boolean {
    const { settings } = readSettings((key) => vscode.workspace.getConfiguration("floe", this.scope()).get(key));
    return settings.serverPath === "" && settings.pythonPath === "";
  }

  private scope(): vscode.Uri | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri;
  }

  private serverSettings(scopeUri?: string): ServerSettings {
    const scope = scopeUri !== undefined ? vscode.Uri.parse(scopeUri) : this.scope();
    const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
    const configuration = vscode.workspace.getConfiguration("floe", scope);
    const { settings, problems } = readSettings((key) => configuration.get(key));
    for (const problem of problems) {
      this.log.warn(problem);
    }
    return toServerSettings(settings, folder?.uri.fsPath);
  }

  private async start(): Promise<void> {
    if (this.client !== undefined) {
      return;
    }
    this.setStatus({ state: "starting", detail: "starting floe-lsp" });
    const scope = this.scope();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const configuration = vscode.workspace.getConfiguration("floe", scope);
    const { settings, problems } = readSettings((key) => configuration.get(key));
    for (const problem of problems) {
      this.log.warn(problem);
    }

    const fromPythonExtension =
      settings.serverPath === "" && settings.pythonPath === "" ? await pythonExtensionInterpreter(scope, this.log) : undefined;
    const resolution = resolveServerLaunch({
      serverPath: settings.serverPath,
      pythonPath: settings.pythonPath,
      pythonExtensionInterpreter: fromPythonExtension,
      workspaceFolder: folder,
    });
    if (!resolution.ok) {
      this.fail(resolution.reason, { setting: resolution.setting });
      return;
    }
    const { launch } = resolution;
    const command = describeLaunch(launch);
    this.log.info(`floe-lsp command (from ${launch.source}): ${command}`);

    let floeVersion: string | null | undefined;
    if (launch.python !== undefined) {
      const probe = await probeFloe(launch.python, { cwd: folder });
      if (probe.kind === "not-installed") {
        this.fail(probe.message, { command, source: launch.source, installCommand: probe.installCommand, setting: "floe.server.pythonPath" });
        return;
      }
      if (probe.kind === "failed") {
        this.fail(probe.message, { command, source: launch.source, setting: "floe.server.pythonPath" });
        return;
      }
      floeVersion = probe.floeVersion;
      this.log.info(`Python ${probe.pythonVersion} at ${probe.python} has floe ${probe.floeVersion ?? "(version unknown)"}`);
    }

    // Spawned here, not by the client, to know how the process ended (see serverProcess.ts).
    const serverOptions: ServerOptions = async () => {
      const server = new ServerProcess(launch.command, launch.args, { cwd: folder, env: { ...process.env, PYTHONUNBUFFERED: "1" } }, (text) =>
        this.log.append(text),
      );
      this.process = server;
      return server.child;
    };
    const client = new LanguageClient("floe", "floe language server", serverOptions, this.clientOptions());
    this.client = client;
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped && !this.stopping && this.client === client && this.current.state === "running") {
        this.setStatus({ ...this.current, state: "starting", detail: "floe-lsp stopped; restarting it" });
      } else if (event.newState === State.Running && this.client === client) {
        this.setStatus({ state: "running", detail: "floe-lsp is running", command, source: launch.source, floeVersion });
      }
    });
    try {
      await client.start();
      this.setStatus({ state: "running", detail: "floe-lsp is running", command, source: launch.source, floeVersion });
      this.lastNotified = undefined;
      this.log.info("floe-lsp is running");
    } catch (error) {
      this.client = undefined;
      this.stopping = true;
      const server = this.process;
      const ended = (await server?.waitForExit(1000)) === true;
      try {
        await client.dispose(2000);
      } catch {
        // the process is gone already
      } finally {
        this.stopping = false;
      }
      await server?.terminate();
      const why = ended && server !== undefined ? server.summary() : errorText(error);
      this.fail(`floe-lsp did not start: ${command} ${why}`, { command, source: launch.source, showLog: true });
    }
  }

  private clientOptions(): LanguageClientOptions {
    const errorHandler = (client: () => LanguageClient | undefined): ErrorHandler => {
      let defaultHandler: ErrorHandler | undefined;
      const fallback = (): ErrorHandler => {
        defaultHandler ??= client()?.createDefaultErrorHandler(4) ?? {
          error: () => ({ action: ErrorAction.Continue }),
          closed: () => ({ action: CloseAction.DoNotRestart }),
        };
        return defaultHandler;
      };
      return {
        error: (error: Error, message: Message | undefined, count: number | undefined) => fallback().error(error, message, count),
        closed: async (): Promise<CloseHandlerResult> => {
          const result = await fallback().closed();
          if (result.action === CloseAction.DoNotRestart && !this.stopping) {
            const { command, source } = this.current;
            const how = this.process?.summary() ?? "it exited";
            this.fail(`floe-lsp stopped and is not restarted (it ${how}); ${result.message ?? ""}`.trim(), { showLog: true, command, source });
            return { ...result, handled: true }; // notified above, with a Restart button
          }
          return result;
        },
      };
    };
    return {
      documentSelector: FLOE_FILE_PATTERNS.map((pattern) => ({ scheme: "file", pattern })),
      outputChannel: this.log,
      diagnosticCollectionName: "floe",
      initializationOptions: () => this.serverSettings(),
      initializationFailedHandler: (error) => {
        this.log.error(`floe-lsp failed to initialize: ${errorText(error)}`);
        return false;
      },
      errorHandler: errorHandler(() => this.client),
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answer = await next(params, token);
            if (!Array.isArray(answer)) {
              return answer;
            }
            return params.items.map((item, index) => (item.section === "floe" ? this.serverSettings(item.scopeUri) : answer[index]));
          },
        },
      },
    };
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    this.stopping = true;
    try {
      await client.stop(3000);
    } catch (error) {
      this.log.warn(`floe-lsp did not stop cleanly: ${errorText(error)}`);
    } finally {
      this.stopping = false;
    }
    if (this.process?.running === true && !(await this.process.waitForExit(2000))) {
      this.log.warn("floe-lsp did not exit after the exit notification; terminating it");
      await this.process.terminate();
    }
    this.process = undefined;
    this.setStatus({ state: "idle", detail: "floe-lsp stopped" });
  }

  private fail(
    reason: string,
    options: {
      command?: string | undefined;
      source?: LaunchSource | undefined;
      installCommand?: string;
      setting?: SettingToFix;
      showLog?: boolean;
      notify?: boolean;
    },
  ): void {
    this.log.error(reason);
    this.setStatus({ state: "failed", detail: reason, command: options.command, source: options.source });
    if (this.lastNotified === reason || options.notify === false) {
      return;
    }
    this.lastNotified = reason;
    void this.notify(reason, options);
  }

  private async notify(reason: string, options: { installCommand?: string; setting?: SettingToFix; showLog?: boolean }): Promise<void> {
    const actions: string[] = [];
    if (options.installCommand !== undefined) {
      actions.push("Install in terminal", "Copy install command");
    }
    if (options.setting !== undefined && isPythonExtensionInstalled() && options.setting === "floe.server.pythonPath") {
      actions.push("Select interpreter");
    }
    if (options.setting !== undefined) {
      actions.push("Open settings");
    }
    if (options.showLog === true) {
      actions.push("Show log", "Restart");
    }
    const choice = await vscode.window.showErrorMessage(reason, ...actions);
    switch (choice) {
      case "Install in terminal": {
        const terminal = vscode.window.createTerminal("floe: install");
        terminal.show();
        terminal.sendText(options.installCommand ?? "");
        const done = vscode.window.onDidCloseTerminal((closed) => {
          if (closed === terminal) {
            done.dispose();
            void this.restart("the install terminal closed");
          }
        });
        void vscode.window.showInformationMessage("floe restarts its server when the install terminal closes; or run “floe: Restart server”.");
        break;
      }
      case "Copy install command":
        await vscode.env.clipboard.writeText(options.installCommand ?? "");
        break;
      case "Select interpreter":
        await vscode.commands.executeCommand("python.setInterpreter");
        break;
      case "Open settings":
        await vscode.commands.executeCommand("workbench.action.openSettings", options.setting ?? "floe.server");
        break;
      case "Show log":
        this.log.show();
        break;
      case "Restart":
        await this.restart("restart chosen in the notification");
        break;
      default:
        break;
    }
  }

  private setStatus(status: FloeStatus): void {
    this.current = status;
    const item = this.statusItem;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendText(status.detail);
    if (status.command !== undefined) {
      tooltip.appendMarkdown("\n\n");
      tooltip.appendCodeblock(status.command, "shell");
      tooltip.appendText(`from ${status.source ?? "?"}${status.floeVersion ? `, floe ${status.floeVersion}` : ""}`);
    }
    tooltip.appendMarkdown("\n\nClick for the server log.");
    item.tooltip = tooltip;
    item.backgroundColor = undefined;
    switch (status.state) {
      case "idle":
        item.text = "$(circle-outline) floe";
        break;
      case "starting":
        item.text = "$(sync~spin) floe";
        break;
      case "running":
        item.text = "$(check) floe";
        break;
      case "failed":
        item.text = "$(error) floe";
        item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
        break;
    }
    item.accessibilityInformation = { label: `floe: ${status.detail}` };
    if (status.state !== "idle" || this.client !== undefined) {
      item.show();
    }
    this.changed.fire({ ...status });
  }
}

function isFloeDocument(document: vscode.TextDocument): boolean {
  return document.uri.scheme === "file" && isFloeFileName(document.uri.fsPath);
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  if (typeof error === "object" && error !== null && "message" in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}
