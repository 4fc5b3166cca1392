/**
 * The floe-lsp process, spawned by the extension itself rather than by
 * vscode-languageclient, so that when it dies the user is told how (exit code or signal)
 * and with the last lines it wrote to stderr, instead of a bare "connection closed".
 */
import { type ChildProcess, spawn } from "node:child_process";

const TAIL_LINES = 5;

export class ServerProcess {
  readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private partial = "";
  private exit: string | undefined;
  private readonly exited: Promise<void>;

  constructor(command: string, args: readonly string[], options: { cwd?: string | undefined; env?: NodeJS.ProcessEnv }, onStderr: (text: string) => void) {
    this.child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (text: string) => {
      onStderr(text);
      const lines = (this.partial + text).split(/\r?\n/);
      this.partial = lines.pop() ?? "";
      this.remember(lines);
    });
    this.exited = new Promise((resolve) => {
      this.child.on("error", (error) => {
        this.exit ??= `could not be run (${error.message})`;
        resolve();
      });
      this.child.on("exit", (code, signal) => {
        this.exit = signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? "?"}`;
        resolve();
      });
    });
  }

  private remember(lines: string[]): void {
    for (const line of lines) {
      if (line.trim() !== "") {
        this.tail.push(line.trim());
      }
    }
    this.tail.splice(0, Math.max(0, this.tail.length - TAIL_LINES));
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves true once the process has exited, false if it still runs after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  }

  /** SIGTERM, then SIGKILL when it is still there after `graceMs`. */
  async terminate(graceMs = 2000): Promise<void> {
    if (!this.running) {
      return;
    }
    this.child.kill("SIGTERM");
    if (!(await this.waitForExit(graceMs))) {
      this.child.kill("SIGKILL");
      await this.waitForExit(graceMs);
    }
  }

  /** How the process ended and what it said last, e.g. `exited with code 1: ModuleNotFoundError: ...`. */
  summary(): string {
    const said = [...this.tail, this.partial.trim()].filter((line) => line !== "");
    const how = this.exit ?? "is still running";
    return said.length > 0 ? `${how}: ${said.slice(-2).join(" | ")}` : how;
  }
}
