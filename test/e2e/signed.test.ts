/**
 * The built commands with keys, an allow-list and a rate limit: a server
 * holding keys A and B takes clients signing with A and with B, and rejects
 * key C, unsigned datagrams and bare JSON as `unauthenticated`; sources
 * outside --allow are `not-allowed`; a source past --rate-limit is
 * `rate-limited`.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compress } from "../../src/wire/compression.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { utf8 } from "../server/helpers.js";
import { handled, runCommand, startServer, stop } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const dir = mkdtempSync(join(tmpdir(), "signed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  return path;
}

const lines = (client: string, count: number) =>
  Array.from({ length: count }, (_, i) => `{"client":"${client}","n":${i}}\n`).join("");

/** Runs a client to the end of its stdin; resolves with its exit code and summary. */
async function ship(port: number, client: string, count: number, args: string[], env = {}) {
  const run = runCommand(
    "shipper-client",
    ["--target-host", "127.0.0.1", "--target-port", String(port), "--batch-size", "1", ...args],
    { env, input: lines(client, count) },
  );
  const code = await run.exited();
  const last = run.stderr.at(-1) ?? "";
  const summary = (last.startsWith("{") ? JSON.parse(last) : { datagrams: 0 }) as {
    datagrams: number;
  };
  return { code, summary, stderr: run.stderr };
}

describe("signed datagrams between the built commands", () => {
  it("a server with keys A and B takes clients signing with A or B, and nothing else", async () => {
    const both = keyFile("ab.key", "alpha\nbravo\n");
    const onlyA = keyFile("a.key", "alpha\r\n");
    const onlyC = keyFile("c.key", "charlie\n");
    const { server, port } = await startServer(["--auth-key-file", both, "--verbose"]);

    const a = await ship(port, "a", 4, ["--auth-key-file", onlyA]);
    const b = await ship(port, "b", 3, [], { SHIPPER_AUTH_KEY: "bravo" });
    const c = await ship(port, "c", 5, ["--auth-key-file", onlyC]);
    const unsigned = await ship(port, "u", 2, []);
    const legacy = await ship(port, "l", 2, ["--no-sequence"]);
    const bare = [utf8('[{"client":"bare"}]'), utf8('{"client":"bare"}')];
    const forged = encodeFrame(
      { compressed: true, stream: new Uint8Array(8), seq: 0, key: utf8("alph") },
      compress(utf8('[{"client":"forged"}]')),
    );
    await sendAll([...bare, forged], port);
    for (const run of [a, b, c, unsigned, legacy]) expect(run.code).toBe(0);
    expect([c, unsigned, legacy].map((run) => run.summary.datagrams)).toEqual([5, 2, 2]);

    const refused = c.summary.datagrams + unsigned.summary.datagrams + legacy.summary.datagrams + 3;
    await handled(server, 7 + refused);
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    const clients = server.stdout.map((line) => (JSON.parse(line) as { client: string }).client);
    expect(clients.filter((x) => x === "a")).toHaveLength(4);
    expect(clients.filter((x) => x === "b")).toHaveLength(3);
    expect(clients).toHaveLength(7);
    expect(summary).toMatchObject({
      entries: 7,
      datagrams: 7 + refused,
      rejected: { unauthenticated: refused },
      duplicates: 0,
    });
  });

  it("a client signs nothing with --no-sequence: a usage error, exit 2", async () => {
    const key = keyFile("k.key", "k3y\n");
    const run = await ship(1, "x", 1, ["--no-sequence", "--auth-key-file", key]);
    expect(run.code).toBe(2);
    expect(run.stderr.join("\n")).toContain("cannot be used with --no-sequence");
  });

  it("a server replays nothing: a signed datagram sent twice is a duplicate", async () => {
    const key = keyFile("replay.key", "k3y\n");
    const { server, port } = await startServer(["--auth-key-file", key]);
    const datagram = encodeFrame(
      {
        compressed: false,
        stream: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
        seq: 5,
        key: utf8("k3y"),
      },
      utf8('[{"n":1}]'),
    );
    await sendAll([datagram, datagram, datagram], port);
    await server.until("stdout", (out) => out.length >= 1);
    const { summary } = await stop(server);
    expect(summary).toMatchObject({ datagrams: 3, entries: 1, duplicates: 2 });
  });
});

describe("source checks of the built server", () => {
  it("with --allow 10.0.0.0/8, datagrams from 127.0.0.1 are not-allowed and listed as its rejections", async () => {
    const { server, port } = await startServer(["--allow", "10.0.0.0/8", "--verbose"]);
    await sendAll([utf8('[{"n":1}]'), utf8('[{"n":2}]'), utf8("junk")], port);
    const sent = await ship(port, "x", 2, []);
    expect(sent.code).toBe(0);
    const total = 3 + sent.summary.datagrams;
    await handled(server, total);
    expect(server.stderr.at(-1)).toMatch(
      /^shipper-server: rejected not-allowed from 127\.0\.0\.1:/,
    );
    const { code, summary } = await stop(server);
    expect(code).toBe(0);
    expect(server.stdout).toEqual([]);
    expect(summary).toMatchObject({
      datagrams: total,
      entries: 0,
      rejected: { "not-allowed": total, "unknown-format": 0 },
      top_sources: {
        by_datagrams: [{ source: "127.0.0.1", datagrams: total }],
        by_rejections: [{ source: "127.0.0.1", rejections: total }],
      },
    });
  });

  it("ALLOW lets listed sources in", async () => {
    const { server, port } = await startServer([], { ALLOW: "10.0.0.0/8,127.0.0.0/8" });
    await sendAll([utf8('[{"n":1}]')], port);
    await server.until("stdout", (out) => out.length >= 1);
    const { summary } = await stop(server);
    expect(summary).toMatchObject({ entries: 1, rejected: { "not-allowed": 0 } });
  });

  it("with --rate-limit 1, a burst of 50 from one source is mostly rate-limited, none lost unaccounted", async () => {
    const { server, port } = await startServer(["--rate-limit", "1", "--verbose"]);
    const burst = Array.from({ length: 50 }, (_, n) => utf8(`[{"n":${n}}]`));
    await sendAll(burst, port);
    await handled(server, 50);
    const { summary } = await stop(server);
    const limited = (summary.rejected as Record<string, number>)["rate-limited"] ?? 0;
    expect(summary.datagrams).toBe(50);
    expect(limited).toBeGreaterThan(0);
    expect((summary.entries as number) + limited).toBe(50);
    expect(server.stdout[0]).toBe('{"n":0}');
  });
});
