import dgram from "node:dgram";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { compress } from "../../src/wire/compression.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { bomb, legacyFrame, utf8 } from "../server/helpers.js";
import { listeningPort, type Run, runCommand, summaryOf } from "../support/process.js";
import { freePort, sendAll } from "../support/udp.js";

const run = (args: string[], env: Record<string, string> = {}, readStdout = true): Run =>
  runCommand("shipper-server", args, { env, readStdout });

const STREAM = Uint8Array.from([9, 9, 9, 9, 1, 2, 3, 4]);

describe("shipper-server process", () => {
  it("prints entries as NDJSON, and on SIGTERM the summary as the last stderr line, exit 0", async () => {
    const server = run(["--host", "127.0.0.1", "--port", "0"]);
    const port = await listeningPort(server);
    expect(server.stderr.at(-1)).toBe(`shipper-server: listening on udp://127.0.0.1:${port}`);
    const framed = (seq: number, json: string) =>
      encodeFrame({ compressed: true, stream: STREAM, seq }, compress(utf8(json)));
    await sendAll(
      [
        utf8('[{"level":"INFO","message":"one"},{"message":"two"}]'),
        utf8("junk"),
        legacyFrame('[{"message":"three"}]'),
        framed(0, '[{"message":"four"}]'),
        framed(0, '[{"message":"four"}]'),
        framed(2, '[{"message":"five"}]'),
      ],
      port,
    );
    await server.until("stdout", (lines) => lines.length === 5);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(server.stdout).toEqual([
      '{"level":"INFO","message":"one"}',
      '{"message":"two"}',
      '{"message":"three"}',
      '{"message":"four"}',
      '{"message":"five"}',
    ]);
    const summary = summaryOf(server);
    expect(summary).toMatchObject({ datagrams: 6, entries: 5, lost: 1, duplicates: 1 });
    expect(summary.bytes).toBeGreaterThan(0);
    expect((summary.rejected as Record<string, number>)["unknown-format"]).toBe(1);
  });

  it("survives a bomb and keeps printing the datagrams after it", async () => {
    const server = run(["--host", "127.0.0.1", "--port", "0", "--max-decompressed", "1MiB"]);
    const port = await listeningPort(server);
    await sendAll([bomb(8 * 1024 * 1024), utf8('{"n":1}'), utf8('{"n":2}')], port);
    await server.until("stdout", (lines) => lines.length === 2);
    server.child.kill("SIGINT");
    expect(await server.exited()).toBe(0);
    expect(server.stdout).toEqual(['{"n":1}', '{"n":2}']);
    const summary = summaryOf(server);
    expect(summary).toMatchObject({ datagrams: 3, entries: 2 });
    expect((summary.rejected as Record<string, number>)["too-large"]).toBe(1);
  });

  it("exits 2 on a bad option with one line naming it and no stack trace", async () => {
    const server = run(["--port", "70000"]);
    expect(await server.exited()).toBe(2);
    expect(server.stderr).toHaveLength(1);
    expect(server.stderr[0]).toContain("--port");
    expect(server.stderr[0]).toContain("0 to 65535");
    expect(server.stdout).toEqual([]);
  });

  it("exits 2 naming the env var when its value is bad", async () => {
    const server = run([], { SERVER_PORT: "nine" });
    expect(await server.exited()).toBe(2);
    expect(server.stderr).toHaveLength(1);
    expect(server.stderr[0]).toContain("SERVER_PORT");
    expect(server.stderr[0]).not.toMatch(/\n\s+at /);
  });

  it("takes the port from SERVER_PORT, and a flag overrides it", async () => {
    const port = await freePort();
    const fromEnv = run(["--host", "127.0.0.1"], { SERVER_PORT: String(port) });
    expect(await listeningPort(fromEnv)).toBe(port);
    fromEnv.child.kill("SIGTERM");
    expect(await fromEnv.exited()).toBe(0);

    // The flag wins, so the (invalid) env value is never read.
    const fromFlag = run(["--host", "127.0.0.1", "--port", "0"], { SERVER_PORT: "nine" });
    expect(await listeningPort(fromFlag)).toBeGreaterThan(0);
    fromFlag.child.kill("SIGTERM");
    expect(await fromFlag.exited()).toBe(0);
  });

  it("exits 1 with one clear line when the port is taken", async () => {
    const taken = dgram.createSocket("udp4");
    taken.bind(0, "127.0.0.1");
    await once(taken, "listening");
    try {
      const server = run(["--host", "127.0.0.1", "--port", String(taken.address().port)]);
      expect(await server.exited()).toBe(1);
      expect(server.stderr).toHaveLength(1);
      expect(server.stderr[0]).toMatch(
        /^shipper-server: cannot listen on udp:\/\/127\.0\.0\.1:\d+: .*EADDRINUSE/,
      );
    } finally {
      taken.close();
    }
  });

  it("with --quiet, prints only the listening line and the summary on stderr", async () => {
    const server = run(["--host", "127.0.0.1", "--port", "0", "--quiet", "--buffer-size", "1GiB"]);
    await listeningPort(server);
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(server.stderr).toHaveLength(2);
    expect(summaryOf(server)).toMatchObject({ datagrams: 0, entries: 0 });
  });

  it("with --verbose, prints a line per datagram; FORMAT=pretty prints human lines", async () => {
    const server = run(["--host", "127.0.0.1", "--port", "0", "--verbose"], { FORMAT: "pretty" });
    const port = await listeningPort(server);
    await sendAll([utf8('[{"level":"INFO","service":"api","message":"hi"}]'), utf8("[1]")], port);
    await server.until("stderr", (lines) => lines.some((l) => l.includes("invalid-entry")));
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(server.stdout).toHaveLength(1);
    expect(server.stdout[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {5}api hi$/);
    const verbose = server.stderr.filter((l) => l.includes(" from 127.0.0.1:"));
    expect(verbose).toHaveLength(2);
    expect(verbose[0]).toMatch(/^shipper-server: batch of 1 entry from 127\.0\.0\.1:\d+$/);
    expect(verbose[1]).toMatch(
      /^shipper-server: batch of 0 entries from 127\.0\.0\.1:\d+, rejected 1 invalid-entry$/,
    );
  });

  it("exits at once on a second signal while stdout is stalled, still ending with the summary", async () => {
    const server = run(["--host", "127.0.0.1", "--port", "0", "--verbose"], {}, false);
    const port = await listeningPort(server);
    const entry = JSON.stringify({ message: "z".repeat(1000) });
    const batch = utf8(`[${Array(50).fill(entry).join(",")}]`);
    const count = 20; // about 1 MB of output, far more than a pipe holds
    await sendAll(Array(count).fill(batch), port);
    await server.until(
      "stderr",
      (lines) => lines.filter((l) => l.includes("batch of")).length === count,
    );
    server.child.kill("SIGTERM");
    await server.until("stderr", (lines) => lines.some((l) => l.includes("SIGTERM: stopping")));
    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(143);
    expect(summaryOf(server)).toMatchObject({ datagrams: count, entries: count * 50 });
  });
});
