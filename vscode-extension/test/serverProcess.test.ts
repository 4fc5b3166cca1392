import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ServerProcess } from "../src/serverProcess";

function node(script: string, onStderr: (text: string) => void = () => undefined): ServerProcess {
  return new ServerProcess(process.execPath, ["-e", script], {}, onStderr);
}

describe("ServerProcess", () => {
  it("tells how a server that dies at start ended, with its last stderr lines", async () => {
    const seen: string[] = [];
    const server = node("console.error('Traceback (most recent call last):'); console.error('ModuleNotFoundError: No module named pygls'); process.exit(3)", (t) =>
      seen.push(t),
    );
    assert.equal(await server.waitForExit(10000), true);
    assert.equal(server.running, false);
    assert.equal(server.summary(), "exited with code 3: Traceback (most recent call last): | ModuleNotFoundError: No module named pygls");
    assert.match(seen.join(""), /ModuleNotFoundError/);
  });

  it("keeps only the last lines and the unterminated one", async () => {
    const server = node("for (let i = 0; i < 50; i++) console.error('line ' + i); process.stderr.write('no newline'); process.exitCode = 1");
    await server.waitForExit(10000);
    assert.equal(server.summary(), "exited with code 1: line 49 | no newline");
  });

  it("terminates a server that does not exit", async () => {
    const server = node("setInterval(() => {}, 1000)");
    assert.equal(await server.waitForExit(200), false);
    assert.equal(server.running, true);
    await server.terminate(2000);
    assert.equal(server.running, false);
    assert.equal(server.summary(), "was killed by SIGTERM");
  });

  it("reports a command that cannot be run", async () => {
    const server = new ServerProcess("/nonexistent/floe-lsp", ["--stdio"], {}, () => undefined);
    await server.waitForExit(5000);
    assert.match(server.summary(), /could not be run \(spawn \/nonexistent\/floe-lsp ENOENT\)/);
  });
});
