/**
 * Asks a Python interpreter whether floe's language server is importable, before the
 * extension tries to start it, so that a missing install becomes a notification with the
 * exact install command instead of a server that dies at start-up.
 *
 * Uses importlib.util.find_spec: it does not import floe_lsp (and so not pygls), which
 * keeps the probe well under a second.
 */
import { execFile } from "node:child_process";
import { installCommand } from "./serverCommand";

export const MIN_PYTHON = [3, 11] as const;

export const PROBE_SCRIPT = [
  "import importlib.util, json, sys",
  "try:",
  "    from importlib.metadata import version",
  "    floe = version('floe')",
  "except Exception:",
  "    floe = None",
  "print(json.dumps({'floe_lsp': importlib.util.find_spec('floe_lsp') is not None,",
  "                  'floe': floe, 'python': '%d.%d.%d' % sys.version_info[:3],",
  "                  'executable': sys.executable}))",
].join("\n");

export type ProbeResult =
  | { kind: "ok"; python: string; pythonVersion: string; floeVersion: string | null }
  | { kind: "not-installed"; python: string; pythonVersion: string; message: string; installCommand: string }
  | { kind: "failed"; python: string; message: string };

interface ProbeOutput {
  floe_lsp: boolean;
  floe: string | null;
  python: string;
  executable: string;
}

function isProbeOutput(value: unknown): value is ProbeOutput {
  if (typeof value !== "object" || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return typeof v.floe_lsp === "boolean" && typeof v.python === "string" && typeof v.executable === "string";
}

function olderThanMinimum(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1]);
}

/** Interprets the probe's exit status and output; separated from the process for tests. */
export function interpretProbe(
  python: string,
  error: (Error & { code?: string | number | null; killed?: boolean }) | null,
  stdout: string,
  stderr: string,
): ProbeResult {
  if (error?.code === "ENOENT" || error?.code === "EACCES") {
    return { kind: "failed", python, message: `cannot run the Python interpreter ${python} (${error.code})` };
  }
  if (error?.killed) {
    return { kind: "failed", python, message: `the Python interpreter ${python} did not answer within the time limit` };
  }
  const lastLine = stdout.trim().split(/\r?\n/).pop() ?? "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(lastLine);
  } catch {
    parsed = undefined;
  }
  if (error !== null || !isProbeOutput(parsed)) {
    const detail = (stderr.trim() || stdout.trim() || error?.message || "no output").split(/\r?\n/).slice(-3).join(" ");
    return { kind: "failed", python, message: `${python} could not be queried for floe: ${detail}` };
  }
  if (parsed.floe_lsp) {
    return { kind: "ok", python, pythonVersion: parsed.python, floeVersion: parsed.floe };
  }
  const command = installCommand(python);
  const tooOld = olderThanMinimum(parsed.python)
    ? ` floe needs Python ${MIN_PYTHON.join(".")} or newer: choose another interpreter.`
    : "";
  return {
    kind: "not-installed",
    python,
    pythonVersion: parsed.python,
    installCommand: command,
    message: `floe is not installed in the Python interpreter ${python} (Python ${parsed.python}), so floe-lsp cannot start.${tooOld} Install it with: ${command}`,
  };
}

export interface ProbeOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The server's working directory: `python -c` and `python -m` both search it first. */
  cwd?: string | undefined;
}

/** Runs the probe in `python`, in the directory the server will run in. */
export function probeFloe(python: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(
      python,
      ["-c", PROBE_SCRIPT],
      { timeout: options.timeoutMs ?? 15000, env: options.env ?? process.env, cwd: options.cwd, windowsHide: true, encoding: "utf8" },
      (error, stdout, stderr) => resolve(interpretProbe(python, error, stdout, stderr)),
    );
  });
}
