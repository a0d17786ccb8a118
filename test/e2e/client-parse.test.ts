/**
 * Lines of common loggers, and text lines with leading timestamps and level
 * words, read from a file by the built `shipper-client` and shipped to a
 * real `shipper-server`: each entry arrives with its timestamp, level,
 * message, service and host. Bad parse options exit 2.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HOST, type Run, runCommand, startServer, stop, summaryOf } from "../support/process.js";

const PINO = JSON.stringify({
  level: 50,
  time: 1796600707929,
  pid: 7,
  hostname: "app-1",
  name: "api",
  msg: "payment failed",
  err: { type: "Error", message: "card declined", stack: "Error: card declined\n    at pay" },
});
const JOURNALD = JSON.stringify({
  __REALTIME_TIMESTAMP: "1796600707929123",
  PRIORITY: "4",
  _HOSTNAME: "db-1",
  SYSLOG_IDENTIFIER: "postgres",
  _PID: "42",
  MESSAGE: "checkpoints are occurring too frequently",
});
const DOCKER = JSON.stringify({
  log: "ERROR upstream timed out\n",
  stream: "stderr",
  time: "2026-11-24T10:30:00.123456789Z",
});
const TEXT_ISO = "2026-11-24T10:30:00.123+01:00 [main] ERROR c.f.Pay - declined";
const TEXT_SYSLOG = "Nov 24 10:30:00 web-1 nginx[99]: warn: slow upstream";
const TEXT_PLAIN = "just a line";

describe("shipper-client parsing, through a real server", () => {
  let dir: string;
  let server: Run;
  let port: number;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "client-parse-"));
    ({ server, port } = await startServer(["--format", "ndjson", "--stats-interval", "0"]));
  });
  afterEach(async () => {
    if (server.child.exitCode === null) await stop(server);
    await rm(dir, { recursive: true, force: true });
  });

  async function ship(lines: string[], args: string[] = []): Promise<Record<string, unknown>[]> {
    const file = join(dir, "app.log");
    await writeFile(file, `${lines.join("\n")}\n`);
    const target = ["--target-host", HOST, "--target-port", String(port)];
    const client = runCommand("shipper-client", [file, ...target, "--batch-size", "1", ...args], {
      env: { LOG_TIMEZONE: "UTC" },
    });
    expect(await client.exited()).toBe(0);
    await server.until("stdout", (out) => out.length >= lines.length);
    return server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it("maps pino, journald and Docker lines and reads text lines", async () => {
    const lines = [PINO, JOURNALD, DOCKER, TEXT_ISO, TEXT_SYSLOG, TEXT_PLAIN];
    const entries = await ship(lines, ["--service", "web", "--field", "env=prod"]);
    const pick = (e: Record<string, unknown>) => [
      e.timestamp,
      e.level,
      e.message,
      e.service,
      e.host,
    ];
    const me = hostname();
    expect(entries.map(pick)).toEqual([
      ["2026-12-06T23:45:07.929Z", "ERROR", "payment failed", "api", "app-1"],
      [
        "2026-12-06T23:45:07.929Z",
        "WARNING",
        "checkpoints are occurring too frequently",
        "postgres",
        "db-1",
      ],
      ["2026-11-24T10:30:00.123Z", "ERROR", "ERROR upstream timed out", "web", me],
      ["2026-11-24T09:30:00.123Z", "ERROR", TEXT_ISO, "web", me],
      ["2026-11-24T10:30:00.000Z", "WARNING", TEXT_SYSLOG, "web", me],
      [expect.any(String), "INFO", TEXT_PLAIN, "web", me],
    ]);
    expect(entries[0]?.metadata).toEqual({
      pid: 7,
      err: { type: "Error", message: "card declined", stack: "Error: card declined\n    at pay" },
      env: "prod",
    });
    expect(entries[1]?.metadata).toEqual({ _PID: "42", env: "prod" });
    expect(entries[2]?.metadata).toEqual({ stream: "stderr", env: "prod" });
  });

  it("--parse none --json-format raw ships the lines as before; --host-name names the host", async () => {
    const entries = await ship(
      [TEXT_ISO, '{"msg":"x"}'],
      ["--parse", "none", "--json-format", "raw"],
    );
    expect(entries[0]).toMatchObject({ level: "INFO", message: TEXT_ISO, metadata: {} });
    expect(entries[0]).not.toHaveProperty("host");
    expect(entries[1]).toEqual({ msg: "x", timestamp: expect.any(String) });
    server.stdout.length = 0;
    const named = await ship([TEXT_PLAIN], ["--host-name", "edge-7"]);
    expect(named[0]?.host).toBe("edge-7");
  });

  it("--flush-level sees the mapped level: pino's 50 is ERROR", async () => {
    const pino = (level: number) =>
      JSON.stringify({ level, time: 1796600707929, msg: `at ${level}` });
    const target = ["--target-host", HOST, "--target-port", String(port)];
    const args = [
      ...target,
      "--batch-size",
      "100",
      "--batch-interval",
      "3600",
      "--flush-level",
      "ERROR",
    ];
    const client = runCommand("shipper-client", args, {
      input: `${[pino(30), pino(50), pino(30)].join("\n")}\n`,
    });
    expect(await client.exited()).toBe(0);
    expect(summaryOf(client).flush_triggers).toMatchObject({ level: 1, shutdown: 1 });
    await server.until("stdout", (out) => out.length >= 3);
    expect(server.stdout.map((line) => JSON.parse(line).level)).toEqual(["INFO", "ERROR", "INFO"]);
  });

  it.each([
    [["--parse", "regex:("], "--parse"],
    [["--json-format", "log4j"], "--json-format"],
    [["--field", "oops"], "--field"],
  ])("exits 2 on %j with one line naming the option", async (args, named) => {
    const client = runCommand("shipper-client", args, { input: "" });
    expect(await client.exited()).toBe(2);
    expect(client.stderr).toHaveLength(1);
    expect(client.stderr[0]).toContain(named);
  });
});
