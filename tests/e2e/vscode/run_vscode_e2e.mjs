#!/usr/bin/env node
// Runs the floe extension in real VS Code: installs the packaged .vsix and the companion
// test extension into an isolated code-server (own user-data and extensions folders, a free
// port on 127.0.0.1, no auth), opens the workspace in Debian's chromium through
// playwright-core, waits for the companion's results and takes a screenshot.
//
// Called by test_vscode_extension.py, which writes the spec and asserts on the results.
// Exit status: 0 when the companion wrote its results, 1 otherwise (the reason on stderr).
// All traffic stays on 127.0.0.1.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..", "..");

const { values: opts } = parseArgs({
  options: {
    vsix: { type: "string" },
    folder: { type: "string" },
    spec: { type: "string" },
    out: { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    "code-server": { type: "string", default: join(here, "node_modules", "code-server") },
    vsce: { type: "string", default: join(repo, "vscode-extension", "node_modules", "@vscode", "vsce", "vsce") },
    settings: { type: "string", default: "{}" },
    timeout: { type: "string", default: "240" },
    "keep-temp": { type: "boolean", default: false },
  },
});
for (const required of ["vsix", "folder", "spec", "out"]) {
  if (!opts[required]) {
    console.error(`usage: run_vscode_e2e.mjs --vsix X --folder DIR --spec SPEC.json --out DIR [--settings JSON]`);
    process.exit(2);
  }
}

const out = resolve(opts.out);
mkdirSync(out, { recursive: true });
const spec = JSON.parse(readFileSync(opts.spec, "utf8"));
const entry = join(opts["code-server"], "out", "node", "entry.js");
const tmp = mkdtempSync(join(tmpdir(), "floe-vscode-e2e-"));
const dirs = {
  userData: join(tmp, "user-data"),
  extensions: join(tmp, "extensions"),
  config: join(tmp, "config"),
  data: join(tmp, "data"),
  browser: join(tmp, "chromium-profile"),
};
for (const dir of Object.values(dirs)) {
  mkdirSync(dir, { recursive: true });
}
const env = {
  ...process.env,
  XDG_CONFIG_HOME: dirs.config,
  XDG_DATA_HOME: dirs.data,
  FLOE_E2E_SPEC: resolve(opts.spec),
  DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
};
delete env.VSCODE_IPC_HOOK_CLI;

const started = Date.now();
const log = (message) => console.log(`[vscode-e2e +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
let codeServer;
let browser;

function codeServerArgs() {
  return ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions];
}

function packCompanion() {
  const source = join(here, "companion");
  const work = join(tmp, "companion");
  cpSync(source, work, { recursive: true });
  const vsix = join(tmp, "floe-e2e-companion.vsix");
  const result = spawnSync(process.execPath, [opts.vsce, "package", "--skip-license", "--allow-missing-repository", "--out", vsix], {
    cwd: work,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`packaging the companion extension failed:\n${result.stdout}\n${result.stderr}`);
  }
  return vsix;
}

function installExtensions(...vsixes) {
  const args = vsixes.flatMap((vsix) => ["--install-extension", vsix]);
  const result = spawnSync(process.execPath, [entry, ...codeServerArgs(), ...args], { env, encoding: "utf8" });
  const output = `${result.stdout}\n${result.stderr}`;
  const installed = output.match(/successfully installed/gi) ?? [];
  if (result.status !== 0 || installed.length !== vsixes.length) {
    throw new Error(`code-server ${args.join(" ")} failed:\n${output}`);
  }
  log(output.trim().replace(/\n+/g, "; "));
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (codeServer.exitCode !== null) {
      throw new Error(`code-server exited with ${codeServer.exitCode}; see ${join(out, "code-server.log")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

function writeUserSettings() {
  const settings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "files.autoSave": "off",
    "files.hotExit": "off",
    // completion must come from floe-lsp, not from words already in the file
    "editor.wordBasedSuggestions": "off",
    "editor.hover.delay": 100,
    "window.commandCenter": false,
    ...JSON.parse(opts.settings),
  };
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  writeFileSync(join(dirs.userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
}

function collectLogs() {
  // the floe output channel (a log output channel) and the extension host log
  const logs = join(dirs.userData, "logs");
  if (!existsSync(logs)) {
    return;
  }
  const wanted = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (/floe/i.test(name) || name === "exthost.log" || name === "remoteexthost.log") {
        wanted.push(path);
      }
    }
  };
  walk(logs);
  for (const path of wanted) {
    const name = path.slice(logs.length + 1).replace(/[\\/]/g, "__");
    cpSync(path, join(out, "logs", name));
  }
}

async function cleanUp() {
  try {
    await browser?.close();
  } catch {
    // already closed
  }
  if (codeServer && codeServer.exitCode === null) {
    try {
      process.kill(-codeServer.pid, "SIGTERM"); // its own process group: the server and its extension host
      await new Promise((r) => setTimeout(r, 1500));
      process.kill(-codeServer.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  try {
    collectLogs();
  } catch (error) {
    log(`could not copy logs: ${error}`);
  }
  if (!opts["keep-temp"]) {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync(entry)) {
    throw new Error(`code-server is not installed at ${opts["code-server"]} (run scripts/setup/node.sh)`);
  }
  if (!existsSync(opts.chromium)) {
    throw new Error(`chromium is not installed at ${opts.chromium} (run scripts/setup/apt.sh)`);
  }
  const { chromium } = await import("playwright-core");
  rmSync(spec.results, { force: true });
  writeUserSettings();
  installExtensions(resolve(opts.vsix), packCompanion());

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const serverLog = join(out, "code-server.log");
  writeFileSync(serverLog, "");
  const logFd = openSync(serverLog, "a");
  codeServer = spawn(
    process.execPath,
    [
      entry,
      ...codeServerArgs(),
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--auth",
      "none",
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      "--ignore-last-opened",
      resolve(opts.folder),
    ],
    { env, detached: true, stdio: ["ignore", logFd, logFd] },
  );
  // its own process group (the server, its extension host and floe-lsp): the caller kills
  // that group if it has to kill this script
  writeFileSync(join(out, "code-server.pgid"), String(codeServer.pid));
  await waitForHttp(`${url}healthz`, 60000);
  log(`code-server listens on ${url}`);

  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ];
  const context = await chromium.launchPersistentContext(dirs.browser, {
    executablePath: opts.chromium,
    headless: true,
    args: flags,
    viewport: { width: 1440, height: 900 },
  });
  browser = context;
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
    const requested = route.request().url();
    if (requested.startsWith("data:") || requested.startsWith("blob:")) {
      return route.continue();
    }
    consoleLines.push(`blocked: ${requested}`);
    return route.abort();
  });

  await page.goto(`${url}?folder=${encodeURIComponent(resolve(opts.folder))}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  log("workbench loaded; waiting for the companion's results");

  const deadline = Date.now() + Number(opts.timeout) * 1000;
  let results;
  while (Date.now() < deadline) {
    if (existsSync(spec.results)) {
      try {
        results = JSON.parse(readFileSync(spec.results, "utf8"));
      } catch {
        results = undefined;
      }
      if (results?.done) {
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.waitForTimeout(1000);
  // what the status bar shows, read from the page like a user would
  const statusBar = await page
    .locator("#workbench\\.parts\\.statusbar [aria-label]")
    .evaluateAll((elements) => elements.map((element) => element.getAttribute("aria-label")));
  writeFileSync(join(out, "ui.json"), JSON.stringify({ statusBar }, null, 2));
  const screenshot = join(out, "vscode-floe.png");
  await page.screenshot({ path: screenshot });
  log(`screenshot: ${screenshot}`);
  writeFileSync(join(out, "browser-console.log"), consoleLines.join("\n"));
  if (!results?.done) {
    throw new Error(`the companion extension wrote no final results within ${opts.timeout} s (partial: ${JSON.stringify(results?.steps ?? [])})`);
  }
}

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    console.error(`[vscode-e2e] ${signal}: stopping code-server and chromium`);
    cleanUp().finally(() => process.exit(1));
  });
}

let status = 0;
try {
  await main();
} catch (error) {
  console.error(`[vscode-e2e] ${error?.stack ?? error}`);
  status = 1;
} finally {
  await cleanUp();
}
process.exit(status);
