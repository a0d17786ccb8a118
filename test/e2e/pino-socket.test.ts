/**
 * pino-socket, the transport many pino users already run, in UDP mode
 * against a real `shipper-server`: its worker writes what pino gives it in
 * chunks of several lines, each chunk one datagram of NDJSON (PROTOCOL.md
 * section 3). Every line arrives as its own entry, and no datagram is
 * rejected.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { HOST, ROOT, type Run, startServer, stop } from "../support/process.js";

const require = createRequire(import.meta.url);
const LINES = 200;

/** A pino app logging through pino-socket's UDP transport, then exiting. */
function appSource(port: number): string {
  return `
import pino from ${JSON.stringify(require.resolve("pino"))};
const transport = pino.transport({
  target: ${JSON.stringify(require.resolve("pino-socket"))},
  options: { address: "${HOST}", port: ${port}, mode: "udp" },
});
const logger = pino({ name: "legacy" }, transport);
for (let i = 0; i < ${LINES}; i++) logger.info({ i }, "line " + i);
`;
}

describe("pino-socket's datagrams", () => {
  let server: Run | undefined;
  afterEach(async () => {
    if (server !== undefined && server.child.exitCode === null) await stop(server);
  });

  it("are taken line by line: every line an entry, none rejected", async () => {
    const started = await startServer(["--format", "ndjson", "--stats-interval", "0"]);
    server = started.server;
    const app = spawn(process.execPath, ["--input-type=module", "-e", appSource(started.port)], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const [code] = await once(app, "exit");
    expect(code).toBe(0);
    await server.until("stdout", (lines) => lines.length >= LINES);
    const { summary } = await stop(server);
    const entries = server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.map((entry) => entry.i)).toEqual([...Array(LINES).keys()]);
    expect(entries[0]).toMatchObject({ level: 30, msg: "line 0", name: "legacy" });
    expect(summary).toMatchObject({
      entries: LINES,
      rejected: { "invalid-json": 0, "invalid-entry": 0 },
    });
    // Several lines shared a datagram: fewer datagrams than entries.
    expect(summary.datagrams).toBeLessThan(LINES);
  });
});
