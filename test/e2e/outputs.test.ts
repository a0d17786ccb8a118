/**
 * The built server's outputs: fan-out to stdout and a file, file rotation
 * under load, bad specs and config files, and the spool across a `kill -9`.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  eventually,
  numberedDatagrams,
  sendPaced,
  spooledEntries,
  startOutputServer,
  stopOutputServer,
} from "../support/output-server.js";
import { runCommand, sleep, startServer } from "../support/process.js";

const root = mkdtempSync(join(tmpdir(), "shipper-outputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let next = 0;
const fresh = () => {
  const dir = join(root, String(next++));
  mkdirSync(dir);
  return dir;
};

function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  expect(text === "" || text.endsWith("\n")).toBe(true);
  return text === "" ? [] : text.slice(0, -1).split("\n");
}

const ns = (list: readonly string[]) => list.map((line) => (JSON.parse(line) as { n: number }).n);

describe("shipper-server outputs", () => {
  it("sends every entry to stdout and to a file, with the static fields", async () => {
    const path = join(fresh(), "out.ndjson");
    const { server, port } = await startOutputServer([
      "--output",
      "stdout",
      "--output",
      `file:${path}`,
      "--field",
      "env=test",
    ]);
    await sendPaced(port, numberedDatagrams(10));
    await server.until("stdout", (out) => out.length >= 1000);
    const { code, outputs } = await stopOutputServer(server);
    expect(code).toBe(0);
    const file = lines(path);
    expect(file).toEqual(server.stdout);
    expect(ns(file)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(JSON.parse(file[0] ?? "")).toMatchObject({ n: 0, env: "test" });
    expect(outputs.stdout).toMatchObject({ entries: 1000, dropped: {}, queued: 0 });
    expect(outputs[`file:${path}`]).toMatchObject({ entries: 1000, dropped: {}, queued: 0 });
  });

  it("rotates a file at 1 MiB while 100,000 entries flow, keeping 3, no line lost or split", async () => {
    const dir = fresh();
    const path = join(dir, "out.ndjson");
    const { server, port } = await startOutputServer([
      "--output",
      `file:${path}`,
      "--file-max-bytes",
      "1MiB",
      "--file-keep",
      "3",
    ]);
    await sendPaced(port, numberedDatagrams(1000), 5, 4);
    const { code, outputs, summary } = await stopOutputServer(server);
    expect(code).toBe(0);
    expect(summary.entries).toBe(100_000);
    expect(outputs[`file:${path}`]).toMatchObject({ entries: 100_000, dropped: {}, queued: 0 });
    expect(readdirSync(dir).sort()).toEqual([
      "out.ndjson",
      "out.ndjson.1",
      "out.ndjson.2",
      "out.ndjson.3",
    ]);
    const kept: string[] = [];
    for (const name of ["out.ndjson.3", "out.ndjson.2", "out.ndjson.1", "out.ndjson"]) {
      const file = join(dir, name);
      expect(readFileSync(file).length).toBeLessThanOrEqual(1024 * 1024);
      kept.push(...lines(file));
    }
    // Every kept line is whole, and they are the newest entries with none missing between.
    const seen = ns(kept);
    expect(seen.at(-1)).toBe(99_999);
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => 100_000 - seen.length + i));
    expect(seen.length).toBeGreaterThan(3 * 9000);
  });

  it("reopens its file on SIGHUP after logrotate moved it, losing no line", async () => {
    const dir = fresh();
    const path = join(dir, "out.ndjson");
    const { server, port } = await startOutputServer([
      "--output",
      `file:${path}`,
      "--output-batch-interval",
      "0",
    ]);
    await sendPaced(port, numberedDatagrams(5));
    expect(await eventually(() => lines(path).length === 500)).toBe(true);
    renameSync(path, `${path}.rotated`);
    await sendPaced(port, numberedDatagrams(5, 100, 500));
    expect(await eventually(() => lines(`${path}.rotated`).length === 1000)).toBe(true);
    server.child.kill("SIGHUP");
    await server.until("stderr", (out) =>
      out.some((l) => l.includes("SIGHUP") || l.includes("key")),
    );
    await sendPaced(port, numberedDatagrams(5, 100, 1000));
    expect(await eventually(() => lines(path).length === 500)).toBe(true);
    const { code } = await stopOutputServer(server);
    expect(code).toBe(0);
    expect([...ns(lines(`${path}.rotated`)), ...ns(lines(path))]).toEqual(
      Array.from({ length: 1500 }, (_, i) => i),
    );
  });

  it("exits 2 with one line for an output spec it cannot parse", async () => {
    const run = runCommand("shipper-server", ["--output", "ftp://example.invalid/x"]);
    expect(await run.exited()).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/--output.*stdout, file:PATH/);
  });

  it.each([
    ["a bad value", "output-batch-size: -1\n", /field output-batch-size: expects an integer/],
    ["an unknown field", "outputz: []\n", /field outputz: unknown field/],
    [
      "a bad output",
      "outputs:\n  - stdout\n  - output: file:/tmp/x\n    file-keep: many\n",
      /field outputs\[1\]\.file-keep/,
    ],
    ["YAML that does not parse", "outputs: [stdout\n", /not valid YAML/],
  ])("exits 2 with one line naming the field for %s in the config file", async (_, text, line) => {
    const file = join(fresh(), "server.yaml");
    writeFileSync(file, text);
    const run = runCommand("shipper-server", ["--config", file]);
    expect(await run.exited()).toBe(2);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(line);
    expect(run.stderr[0]).toContain(file);
  });

  it.each([
    ["under a file", (dir: string) => join(dir, "a-file", "spool")],
    ["under /proc, where mkdir says ENOENT", () => "/proc/shipper-no-such/spool"],
  ])("exits 1 with one line when the spool directory cannot be made %s", async (_, spoolDir) => {
    const dir = fresh();
    writeFileSync(join(dir, "a-file"), "");
    const run = runCommand("shipper-server", [
      "--port",
      "0",
      "--quiet",
      "--output",
      "http://127.0.0.1:9/x",
      "--spool-dir",
      spoolDir(dir),
    ]);
    expect(await run.exited()).toBe(1);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/^shipper-server: .*cannot open the spool: E(NOTDIR|NOENT)/);
  });

  it("ends after its summary even while a NATS peer takes the connection and never answers", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port: natsPort } = silent.address() as AddressInfo;
    try {
      const { server, port } = await startOutputServer([
        "--output",
        `nats://127.0.0.1:${natsPort}`,
        "--drain-timeout",
        "1",
      ]);
      await sendPaced(port, numberedDatagrams(1, 1));
      await sleep(500);
      const { code, outputs } = await stopOutputServer(server);
      expect(code).toBe(1);
      expect(outputs[`nats://127.0.0.1:${natsPort}`]?.dropped).toEqual({ "drain-timeout": 1 });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 30_000);

  it("takes its outputs from the config file, flags winning, and re-reads it on SIGHUP", async () => {
    const dir = fresh();
    const path = join(dir, "out.ndjson");
    const config = join(dir, "server.yaml");
    const yaml = (env: string) =>
      `field: {env: ${env}}\noutput-batch-interval: 0\noutputs:\n  - output: file:${path}\n    file-keep: 1\n`;
    writeFileSync(config, yaml("one"));
    const { server, port } = await startOutputServer(["--config", config, "--field", "host=h"]);
    await sendPaced(port, numberedDatagrams(1, 1));
    expect(await eventually(() => lines(path).length === 1)).toBe(true);
    writeFileSync(config, yaml("two"));
    server.child.kill("SIGHUP");
    await server.until("stderr", (out) => out.some((l) => l.includes("config reloaded")));
    await sendPaced(port, numberedDatagrams(1, 1, 1));
    expect(await eventually(() => lines(path).length === 2)).toBe(true);
    const { code } = await stopOutputServer(server);
    expect(code).toBe(0);
    // --field on the command line wins over the file's field.
    expect(lines(path).map((l) => JSON.parse(l))).toMatchObject([
      { n: 0, host: "h" },
      { n: 1, host: "h" },
    ]);
    expect(JSON.parse(lines(path)[0] ?? "")).not.toHaveProperty("env");
  });

  it("keeps what reached the spool across a kill -9, and delivers it after a restart", async () => {
    const dir = fresh();
    const spool = join(dir, "spool");
    const target = join(dir, "not-yet");
    const path = join(target, "out.ndjson");
    const args = [
      "--output",
      `file:${path}`,
      "--spool-dir",
      spool,
      "--output-batch-interval",
      "0.02",
    ];
    const first = await startOutputServer(args);
    await sendPaced(first.port, numberedDatagrams(50));
    // The directory is missing: the output is down and every batch goes to the spool.
    expect(await eventually(() => spooledEntries(spool) === 5000)).toBe(true);
    first.server.child.kill("SIGKILL");
    await first.server.exited();
    const spooled = spooledEntries(spool);
    expect(spooled).toBe(5000);
    mkdirSync(target);
    const second = await startOutputServer(args);
    expect(await eventually(() => lines(path).length >= spooled)).toBe(true);
    const { code, outputs } = await stopOutputServer(second.server);
    expect(code).toBe(0);
    expect(ns(lines(path))).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(outputs[`file:${path}`]).toMatchObject({
      entries: 5000,
      queued: 0,
      spool_bytes: 0,
      dropped: {},
    });
    expect(spooledEntries(spool)).toBe(0);
  });

  it("warns once while an output is down, spools at shutdown and exits 0", async () => {
    const dir = fresh();
    const spool = join(dir, "spool");
    const path = join(dir, "missing", "out.ndjson");
    // Not --quiet, so the warning shows.
    const { server, port } = await startServer(["--output", `file:${path}`, "--spool-dir", spool]);
    await sendPaced(port, numberedDatagrams(5));
    expect(await eventually(() => spooledEntries(spool) === 500)).toBe(true);
    const { code, outputs, stderr } = await stopOutputServer(server);
    expect(code).toBe(0);
    expect(stderr.filter((l) => l.includes("down"))).toHaveLength(1);
    expect(outputs[`file:${path}`]).toMatchObject({ entries: 0, queued: 500, dropped: {} });
  });

  it("exits 1 naming the output when entries could not be delivered nor spooled", async () => {
    const path = join(fresh(), "missing", "out.ndjson");
    const { server, port } = await startOutputServer([
      "--output",
      `file:${path}`,
      "--drain-timeout",
      "0.2",
    ]);
    await sendPaced(port, numberedDatagrams(2));
    await eventually(() => false, 300);
    const { code, outputs, stderr } = await stopOutputServer(server);
    expect(code).toBe(1);
    expect(outputs[`file:${path}`]?.dropped).toEqual({ "drain-timeout": 200 });
    expect(stderr.at(-1)).toContain(
      `output file:${path}: 200 entries not delivered (drain-timeout 200)`,
    );
  });
});
