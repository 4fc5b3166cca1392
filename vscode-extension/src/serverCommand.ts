/**
 * Decides how to start floe-lsp: which executable, which arguments, and why.
 *
 * Order: `floe.server.path` (an executable) wins, then `floe.server.pythonPath`
 * (`<python> -m floe_lsp --stdio`), then the interpreter chosen in the Python extension,
 * then `python3` on PATH. An explicit setting that points nowhere is an error, never a
 * silent fall-through to the next source. Pure apart from file-system checks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expandPath } from "./settings";

export type LaunchSource = "floe.server.path" | "floe.server.pythonPath" | "Python extension" | "PATH";

export interface ServerLaunch {
  command: string;
  args: string[];
  source: LaunchSource;
  /** The interpreter, when the server runs as `python -m floe_lsp`; probed before start. */
  python?: string;
}

export type SettingToFix = "floe.server.path" | "floe.server.pythonPath";

export type LaunchResolution =
  | { ok: true; launch: ServerLaunch }
  | { ok: false; reason: string; setting: SettingToFix };

export interface ResolveInput {
  serverPath: string;
  pythonPath: string;
  /** The Python extension's interpreter for the workspace, when that extension is installed. */
  pythonExtensionInterpreter?: string | undefined;
  workspaceFolder?: string | undefined;
  /** The PATH used to find bare command names; defaults to process.env.PATH. */
  envPath?: string | undefined;
}

export const MODULE_ARGS = ["-m", "floe_lsp", "--stdio"] as const;
export const SERVER_ARGS = ["--stdio"] as const;

/** True for an existing regular file the current user may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable called `name` on the PATH, like `command -v`. */
export function findOnPath(name: string, envPath: string | undefined = process.env.PATH): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (dir === "") {
      continue;
    }
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Turns a setting value into an executable path: a bare name is looked up on PATH. */
function locate(value: string, workspaceFolder: string | undefined, envPath: string | undefined): string | undefined {
  const expanded = expandPath(value, workspaceFolder);
  if (path.isAbsolute(expanded)) {
    return isExecutableFile(expanded) ? expanded : undefined;
  }
  if (expanded.includes("/") || expanded.includes(path.sep)) {
    return undefined; // relative to a workspace folder, but there is none
  }
  return findOnPath(expanded, envPath);
}

export function resolveServerLaunch(input: ResolveInput): LaunchResolution {
  const { workspaceFolder, envPath } = input;
  if (input.serverPath !== "") {
    const command = locate(input.serverPath, workspaceFolder, envPath);
    if (command === undefined) {
      return {
        ok: false,
        setting: "floe.server.path",
        reason: `floe.server.path is "${input.serverPath}", which is not an executable file`,
      };
    }
    return { ok: true, launch: { command, args: [...SERVER_ARGS], source: "floe.server.path" } };
  }
  if (input.pythonPath !== "") {
    const python = locate(input.pythonPath, workspaceFolder, envPath);
    if (python === undefined) {
      return {
        ok: false,
        setting: "floe.server.pythonPath",
        reason: `floe.server.pythonPath is "${input.pythonPath}", which is not an executable Python interpreter`,
      };
    }
    return { ok: true, launch: { command: python, args: [...MODULE_ARGS], source: "floe.server.pythonPath", python } };
  }
  const fromExtension = input.pythonExtensionInterpreter;
  if (fromExtension !== undefined && fromExtension !== "") {
    const python = locate(fromExtension, workspaceFolder, envPath);
    if (python !== undefined) {
      return { ok: true, launch: { command: python, args: [...MODULE_ARGS], source: "Python extension", python } };
    }
  }
  const python = findOnPath("python3", envPath);
  if (python === undefined) {
    const tried =
      fromExtension !== undefined && fromExtension !== ""
        ? `the Python extension's interpreter "${fromExtension}" does not exist and `
        : "";
    return {
      ok: false,
      setting: "floe.server.pythonPath",
      reason: `no Python interpreter found: ${tried}python3 is not on PATH; set floe.server.pythonPath`,
    };
  }
  return { ok: true, launch: { command: python, args: [...MODULE_ARGS], source: "PATH", python } };
}

/** Quotes an argument for a POSIX shell (or cmd.exe on Windows) only when it needs it. */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[A-Za-z0-9_\-./:=@+%,]+$/.test(arg)) {
    return arg;
  }
  if (platform === "win32") {
    return `"${arg.replace(/"/g, '""')}"`;
  }
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The exact command that installs floe into `python`. */
export function installCommand(python: string, platform: NodeJS.Platform = process.platform): string {
  return `${shellQuote(python, platform)} -m pip install floe`;
}

/** The launch as one line for logs and tooltips. */
export function describeLaunch(launch: ServerLaunch): string {
  return [launch.command, ...launch.args].map((arg) => shellQuote(arg)).join(" ");
}
