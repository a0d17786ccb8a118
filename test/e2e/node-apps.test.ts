/**
 * Real Node apps with the packed package and real pino installed (one
 * install for the file): pino's transport to a real `shipper-server`, the
 * library and the stream from require(), both entry points from import,
 * and the declarations compiled by tsc as a consumer's code.
 */
import { execFile } from "node:child_process";
import { copyFile, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { serverAcknowledges } from "../support/ack-probe.js";
import { NodeApp } from "../support/node-app.js";
import { ROOT, type Run, startServer, stop } from "../support/process.js";
import { freePort } from "../support/udp.js";

const APPS = join(ROOT, "test/e2e/node-apps");
const APP_FILES = [
  "burst.mjs",
  "targets.mjs",
  "multistream.mjs",
  "crash.mjs",
  "down.mjs",
  "refused.mjs",
  "reliable.mjs",
  "library.cjs",
  "esm.mjs",
  "bad-options.mjs",
];
const SERVER_ARGS = ["--format", "ndjson", "--stats-interval", "0"];
/** What a server needs to acknowledge (PROTOCOL.md section 6), for the reliable case. */
const ACK_SERVER_ARGS: readonly string[] = [];
type Entry = Record<string, unknown> & { metadata?: Record<string, unknown> };

let app: NodeApp;
const servers: Run[] = [];

beforeAll(async () => {
  app = await NodeApp.install();
  for (const file of APP_FILES) await copyFile(join(APPS, file), join(app.dir, file));
}, 240_000);

afterAll(async () => {
  await app?.remove();
});

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) await stop(server);
  }
});

async function server(args: readonly string[] = []): Promise<{ server: Run; port: number }> {
  const started = await startServer([...SERVER_ARGS, ...args]);
  servers.push(started.server);
  return started;
}

function entriesOf(run: Run): Entry[] {
  return run.stdout.map((line) => JSON.parse(line) as Entry);
}

describe("the pino transport in a real app", () => {
  it("10,000 lines then process.exit(0) at once: every line arrives, once", async () => {
    const count = 10_000;
    const { server: target, port } = await server();
    const run = await app.run("burst.mjs", [String(port), String(count)]);
    expect(run.code).toBe(0);
    await target.until("stdout", (lines) => lines.length >= count);
    await stop(target);
    const entries = entriesOf(target);
    expect(entries).toHaveLength(count);
    const seen = new Set(entries.map((entry) => entry.metadata?.i));
    expect(seen.size).toBe(count);
    expect(entries[0]).toMatchObject({
      level: "INFO",
      message: "burst line",
      service: "burst",
      host: hostname(),
      metadata: { i: 0 },
    });
    expect(entries[0]?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("runs in pino.transport({ targets }) beside pino/file", async () => {
    const { server: target, port } = await server();
    const run = await app.run("targets.mjs", [String(port)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toHaveLength(100);
    expect(JSON.parse(run.stdout[0] ?? "")).toMatchObject({ level: 40, msg: "both targets" });
    await target.until("stdout", (lines) => lines.length >= 100);
    expect(entriesOf(target)[99]).toMatchObject({
      level: "WARNING",
      service: "api",
      metadata: { i: 99 },
    });
  });

  it("in a pino.multistream beside stdout, then process.exit(0) at once: every line in both", async () => {
    const count = 2_000;
    const { server: target, port } = await server();
    const run = await app.run("multistream.mjs", [String(port), String(count)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toHaveLength(count);
    expect(JSON.parse(run.stdout[0] ?? "")).toMatchObject({ level: 30, msg: "two destinations" });
    await target.until("stdout", (lines) => lines.length >= count);
    await stop(target);
    const entries = entriesOf(target);
    expect(new Set(entries.map((entry) => entry.metadata?.i)).size).toBe(count);
    expect(entries).toHaveLength(count);
    expect(entries[0]).toMatchObject({
      level: "INFO",
      service: "api",
      message: "two destinations",
    });
  });

  it("an uncaught exception: the last line, and the error with its stack as one entry", async () => {
    const { server: target, port } = await server();
    const run = await app.run("crash.mjs", [String(port)]);
    expect(run.code).toBe(1);
    expect(run.stderr.join("\n")).toContain("card service down");
    await target.until("stdout", (lines) => lines.length >= 2);
    await stop(target);
    const [last, fatal, ...rest] = entriesOf(target);
    expect(rest).toEqual([]);
    expect(last).toMatchObject({ level: "INFO", message: "about to charge the card" });
    expect(fatal).toMatchObject({ level: "CRITICAL", message: "uncaught exception" });
    const err = fatal?.metadata?.err as { message: string; stack: string };
    expect(err.message).toBe("card service down");
    expect(err.stack).toMatch(/^Error: card service down\n\s+at (\w+\.)?chargeCard /);
  });

  it("with nothing listening: the app runs on and exits 0, its losses told in one line", async () => {
    const port = await freePort();
    const run = await app.run("down.mjs", [String(port)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual(["still running"]);
    const told = run.stderr.filter((line) => line.startsWith("udp-log-shipper/pino:"));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/: \d+ of 1000 entries dropped on the way to 127\.0\.0\.1:\d+/);
    const refused = /; (\d+) datagrams refused/.exec(told[0] ?? "");
    const dropped = /: (\d+) of 1000/.exec(told[0] ?? "");
    expect(Number(refused?.[1]) + Number(dropped?.[1])).toBeGreaterThan(0);
  });

  it("a target that refuses at exit: the app exits without waiting out retries, drops told by name", async () => {
    const port = await freePort();
    const started = performance.now();
    const run = await app.run("refused.mjs", [String(port), "100"]);
    const ms = performance.now() - started;
    expect(run.code).toBe(0);
    const told = run.stderr.filter((line) => line.startsWith("udp-log-shipper/pino:"));
    expect(told).toHaveLength(1);
    // Datagrams refused on their send are dropped by name; those the socket
    // took before the kernel told of the refusal went out (and count as sent).
    const report =
      /: (\d+) of 100 entries dropped on the way to 127\.0\.0\.1:\d+(?: \(target-refused=(\d+)\))?; (\d+) datagrams refused \(ECONNREFUSED=\d+\)$/.exec(
        told[0] ?? "",
      );
    expect(report).not.toBeNull();
    expect(Number(report?.[2] ?? 0)).toBe(Number(report?.[1]));
    expect(Number(report?.[3])).toBeGreaterThan(0);
    // The app's drainTimeoutMs is 9 s, its retries up to 10 with backoff: it did not wait that out.
    expect(ms).toBeLessThan(9_000);
  });

  it("options it cannot use: told in one line, the app runs on, its lines counted", async () => {
    const run = await app.run("bad-options.mjs");
    expect(run).toMatchObject({ code: 0, stdout: ["still running"] });
    expect(run.stderr).toEqual([
      'udp-log-shipper/pino: not shipping: target must be host:port with a port from 1 to 65535, got "logs.invalid:0"',
      "udp-log-shipper/pino: 10 entries dropped (invalid-option)",
    ]);
  });

  it("reliable: true with a server that starts 2 s late: nothing is lost", async () => {
    const probe = await server(ACK_SERVER_ARGS);
    const acknowledges = await serverAcknowledges(probe.port);
    await stop(probe.server);
    expect(acknowledges).toBe(true);
    const count = 500;
    const port = await freePort();
    const running = app.run("reliable.mjs", [String(port), String(count)]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const started = await startServer([...SERVER_ARGS, ...ACK_SERVER_ARGS, "--port", String(port)]);
    servers.push(started.server);
    expect((await running).code).toBe(0);
    await started.server.until("stdout", (lines) => lines.length >= count);
    const seen = new Set(entriesOf(started.server).map((entry) => entry.metadata?.i));
    expect(seen.size).toBe(count);
  });
});

describe("the package from a consumer's code", () => {
  it("require(): the library with only a target, and the stream with bunyan and winston lines", async () => {
    const { server: target, port } = await server();
    const run = await app.run("library.cjs", [String(port)]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout[0] ?? "")).toEqual({
      library: 1,
      streamed: 2,
      code: "shipper.invalidOption",
    });
    await target.until("stdout", (lines) => lines.length >= 3);
    const byMessage = new Map(entriesOf(target).map((entry) => [entry.message, entry]));
    expect(byMessage.get("from require()")).toMatchObject({ service: "billing", host: hostname() });
    expect(byMessage.get("from require()")?.timestamp).toEqual(expect.any(String));
    expect(byMessage.get("bunyan line")).toMatchObject({
      level: "WARNING",
      service: "bun",
      host: "h1",
      timestamp: "2026-11-24T10:30:00.000Z",
    });
    expect(byMessage.get("winston line")).toMatchObject({ level: "ERROR", service: "wins" });
  });

  it("import of both entry points", async () => {
    const run = await app.run("esm.mjs");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout[0] ?? "")).toEqual({
      createShipper: "function",
      createShipperStream: "function",
      transport: "function",
    });
  });

  it("the declarations compile in a consumer's strict TypeScript", async () => {
    const source = await readFile(join(APPS, "consumer.ts.txt"), "utf8");
    await app.write("consumer.ts", source);
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const args = [
      ...["--noEmit", "--strict", "--exactOptionalPropertyTypes", "--skipLibCheck", "false"],
      ...["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022"],
      ...["--types", "node", "--typeRoots", join(ROOT, "node_modules/@types"), "consumer.ts"],
    ];
    const result = await promisify(execFile)(process.execPath, [tsc, ...args], {
      cwd: app.dir,
    }).then(
      () => "compiled",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("compiled");
  });
});
