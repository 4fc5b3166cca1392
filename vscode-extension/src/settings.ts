/**
 * The extension's settings as one typed, fully defaulted object, and the `floe` settings
 * object sent to the server (initializationOptions and workspace/configuration).
 *
 * Pure: reads values through a getter so it runs under node's test runner without VS Code.
 * A bad value never throws: it becomes a problem message and the default is used.
 */
import * as os from "node:os";
import * as path from "node:path";

export const TRACE_LEVELS = ["off", "messages", "verbose"] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

/** Every setting the extension contributes, defaulted. */
export interface ExtensionSettings {
  serverPath: string;
  pythonPath: string;
  manifestPath: string;
  envFile: string;
  extraPythonRoots: string[];
  features: Record<string, boolean>;
  trace: TraceLevel;
}

/** The `floe` configuration section as the language server reads it. */
export interface ServerSettings {
  manifestPath?: string;
  envFile?: string;
  extraPythonRoots: string[];
  features: Record<string, boolean>;
}

/** Reads one key of the `floe` section, e.g. `server.path`; undefined when unset. */
export type SettingGetter = (key: string) => unknown;

export interface ReadResult {
  settings: ExtensionSettings;
  /** Human readable: which setting is wrong, what it holds, what was used instead. */
  problems: string[];
}

export const DEFAULT_SETTINGS: Readonly<ExtensionSettings> = Object.freeze({
  serverPath: "",
  pythonPath: "",
  manifestPath: "",
  envFile: "",
  extraPythonRoots: [],
  features: {},
  trace: "off",
});

/**
 * Settings whose change requires a new server process. `floe.trace.server` is absent:
 * vscode-languageclient applies trace changes to the running server itself.
 */
export const RESTART_SETTINGS = [
  "floe.server.path",
  "floe.server.pythonPath",
  "floe.manifestPath",
  "floe.envFile",
  "floe.extraPythonRoots",
  "floe.features",
] as const;

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function readString(get: SettingGetter, key: string, problems: string[]): string {
  const value = get(key);
  if (value === undefined || value === null) {
    return "";
  }
  if (typeof value !== "string") {
    problems.push(`floe.${key} must be a string, got ${describe(value)}; using ""`);
    return "";
  }
  return value.trim();
}

/** Reads and validates every setting; never throws. */
export function readSettings(get: SettingGetter): ReadResult {
  const problems: string[] = [];
  const settings: ExtensionSettings = {
    serverPath: readString(get, "server.path", problems),
    pythonPath: readString(get, "server.pythonPath", problems),
    manifestPath: readString(get, "manifestPath", problems),
    envFile: readString(get, "envFile", problems),
    extraPythonRoots: [],
    features: {},
    trace: "off",
  };

  const roots = get("extraPythonRoots");
  if (Array.isArray(roots)) {
    for (const root of roots) {
      if (typeof root === "string" && root.trim() !== "") {
        settings.extraPythonRoots.push(root.trim());
      } else {
        problems.push(`floe.extraPythonRoots entries must be non-empty strings; ignoring ${describe(root)}`);
      }
    }
  } else if (roots !== undefined && roots !== null) {
    problems.push(`floe.extraPythonRoots must be a list of folders, got ${describe(roots)}; using []`);
  }

  const features = get("features");
  if (typeof features === "object" && features !== null && !Array.isArray(features)) {
    for (const [name, enabled] of Object.entries(features)) {
      if (typeof enabled === "boolean") {
        settings.features[name] = enabled;
      } else {
        problems.push(`floe.features.${name} must be true or false, got ${describe(enabled)}; ignoring it`);
      }
    }
  } else if (features !== undefined && features !== null) {
    problems.push(`floe.features must be an object of booleans, got ${describe(features)}; using {}`);
  }

  const trace = get("trace.server");
  if (typeof trace === "string" && (TRACE_LEVELS as readonly string[]).includes(trace)) {
    settings.trace = trace as TraceLevel;
  } else if (trace !== undefined && trace !== null) {
    problems.push(`floe.trace.server must be one of ${TRACE_LEVELS.join(", ")}, got ${describe(trace)}; using "off"`);
  }

  return { settings, problems };
}

/**
 * Expands `${workspaceFolder}`, `${userHome}` and a leading `~`; a relative path that
 * names a location (has a separator, or starts with `.`) is resolved against the
 * workspace folder. A bare name such as `python3` stays as it is (looked up on PATH).
 */
export function expandPath(value: string, workspaceFolder: string | undefined, home: string = os.homedir()): string {
  if (value === "") {
    return value;
  }
  let expanded = value.replace(/\$\{userHome\}/g, home);
  if (workspaceFolder !== undefined) {
    expanded = expanded.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  if (expanded === "~" || expanded.startsWith("~/")) {
    expanded = path.join(home, expanded.slice(1));
  }
  const namesLocation = expanded.includes("/") || expanded.includes(path.sep) || expanded.startsWith(".");
  if (!path.isAbsolute(expanded) && namesLocation && workspaceFolder !== undefined) {
    expanded = path.resolve(workspaceFolder, expanded);
  }
  return expanded;
}

/** The `floe` section the server receives; empty paths are left out so the server defaults them. */
export function toServerSettings(settings: ExtensionSettings, workspaceFolder: string | undefined): ServerSettings {
  const result: ServerSettings = {
    extraPythonRoots: settings.extraPythonRoots.map((root) => {
      const expanded = expandPath(root, workspaceFolder);
      return path.isAbsolute(expanded) || workspaceFolder === undefined ? expanded : path.resolve(workspaceFolder, expanded);
    }),
    features: { ...settings.features },
  };
  for (const key of ["manifestPath", "envFile"] as const) {
    const value = settings[key];
    if (value !== "") {
      const expanded = expandPath(value, workspaceFolder);
      result[key] = path.isAbsolute(expanded) || workspaceFolder === undefined ? expanded : path.resolve(workspaceFolder, expanded);
    }
  }
  return result;
}
