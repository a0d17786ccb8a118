/**
 * Acknowledgements end to end on loopback: hand-built framed datagrams with
 * ACK_REQUESTED from a test socket to a real server, acknowledgements read
 * back with the wire codec.
 */
import dgram from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileSink } from "../../../src/server/outputs/file-sink.js";
import { createServer, type LogServer, type ServerOptions } from "../../../src/server/server.js";
import { type Ack, decodeAck } from "../../../src/wire/ack.js";
import { encodeFrame } from "../../../src/wire/frame.js";
import { Collector, utf8 } from "../helpers.js";

const running: LogServer[] = [];
const sockets: dgram.Socket[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  for (const socket of sockets.splice(0)) socket.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function stream(n: number): Uint8Array {
  return Uint8Array.from([9, 9, 9, 9, 9, 9, 9, n]);
}

function message(s: Uint8Array, seq: number, json: string, key?: Uint8Array): Uint8Array {
  return encodeFrame(
    { compressed: false, stream: s, seq, ackRequested: true, ...(key ? { key } : {}) },
    utf8(json),
  );
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** A client socket that keeps every acknowledgement it is sent. */
async function client(keys: Uint8Array[] = []) {
  const socket = dgram.createSocket("udp4");
  sockets.push(socket);
  const acks: Ack[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (datagram) => {
    const result = decodeAck(datagram, { keys });
    if (!result.ok) throw new Error(`not an acknowledgement: ${result.reason}`);
    acks.push(result.ack);
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const acked = (s: Uint8Array) =>
    acks
      .filter((a) => Buffer.from(a.stream).equals(Buffer.from(s)))
      .flatMap((a) => a.ranges.map((r) => `${r.first}-${r.last}`));
  const seqs = (s: Uint8Array) =>
    new Set(
      acks
        .filter((a) => Buffer.from(a.stream).equals(Buffer.from(s)))
        .flatMap((a) => a.ranges.flatMap((r) => range(r.first, r.last))),
    );
  /** Resolves once `check` holds after an acknowledgement came. */
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const send = (port: number, ...datagrams: Uint8Array[]) =>
    Promise.all(
      datagrams.map(
        (d) => new Promise<void>((resolve) => socket.send(d, port, "127.0.0.1", () => resolve())),
      ),
    );
  return { acks, acked, seqs, until, send };
}

async function start(options: Partial<ServerOptions> = {}) {
  const output = new Collector();
  const server = await createServer({ host: "127.0.0.1", port: 0, output, ...options });
  running.push(server);
  return { server, output, port: server.address().port };
}

function missingDirFile(spool: boolean): Partial<ServerOptions> {
  const dir = mkdtempSync(join(tmpdir(), "acks-"));
  dirs.push(dir);
  const sink = new FileSink({
    path: join(dir, "missing", "out.ndjson"),
    maxBytes: 0,
    maxAgeMs: 0,
    keep: 1,
    gzip: false,
    now: () => performance.now(),
  });
  return {
    outputs: [
      {
        sink,
        batch: { maxEntries: 1, maxBytes: 1 << 20, intervalMs: 0 },
        // Without a spool, one batch fills the queue; with one, the outage sends all to disk.
        maxQueueBytes: spool ? 1 << 20 : 1,
        ...(spool ? { spool: { dir: join(dir, "spool"), maxBytes: 1 << 20 } } : {}),
      },
    ],
    outputDrainTimeoutMs: 50,
  };
}

describe("the server's acknowledgements", () => {
  it("acknowledges a message once stdout has written it", async () => {
    const { server, output, port } = await start();
    const c = await client();
    await c.send(port, message(stream(1), 0, '{"n":0}'), message(stream(1), 1, '{"n":1}'));
    await c.until(() => c.seqs(stream(1)).size === 2);
    expect(c.seqs(stream(1))).toEqual(new Set([0, 1]));
    expect(output.lines()).toEqual(['{"n":0}', '{"n":1}']);
    expect(server.stats()).toMatchObject({ acks_sent: 2, acks_skipped: 0 });
    expect(server.stats().ack_datagrams).toBeGreaterThanOrEqual(1);
  });

  it("acknowledges a duplicate again and prints it once", async () => {
    const { server, output, port } = await start();
    const c = await client();
    await c.send(port, message(stream(2), 7, '{"n":7}'));
    await c.until(() => c.acked(stream(2)).length === 1);
    await c.send(port, message(stream(2), 7, '{"n":7}'));
    await c.until(() => c.acked(stream(2)).length === 2);
    expect(c.acked(stream(2))).toEqual(["7-7", "7-7"]);
    expect(output.lines()).toEqual(['{"n":7}']);
    expect(server.stats().duplicates).toBe(1);
  });

  it("acknowledges a fragmented message once, when reassembled and written", async () => {
    const { output, port } = await start();
    const c = await client();
    const payload = utf8('{"big":"0123456789"}');
    const part = (index: number, bytes: Uint8Array) =>
      encodeFrame(
        {
          compressed: false,
          stream: stream(9),
          seq: 4,
          ackRequested: true,
          fragmentIndex: index,
          fragmentCount: 2,
        },
        bytes,
      );
    await c.send(port, part(1, payload.subarray(8)));
    await c.send(port, part(0, payload.subarray(0, 8)));
    await c.until(() => c.seqs(stream(9)).has(4));
    expect(c.acked(stream(9))).toEqual(["4-4"]);
    expect(output.lines()).toEqual(['{"big":"0123456789"}']);
  });

  it("acknowledges a message rejected for good, and counts the rejection", async () => {
    const { server, port } = await start();
    const c = await client();
    await c.send(port, message(stream(3), 0, "{not json"));
    await c.until(() => c.acked(stream(3)).length === 1);
    expect(server.stats().rejected["invalid-json"]).toBe(1);
  });

  it("with a key: signs its acknowledgements, never acknowledges an unsigned datagram", async () => {
    const key = utf8("k3y");
    const { server, output, port } = await start({ keys: [key] });
    const c = await client([key]);
    await c.send(port, message(stream(4), 0, '{"unsigned":1}'));
    await c.send(port, message(stream(5), 0, '{"signed":1}', key));
    await c.until(() => c.acked(stream(5)).length === 1);
    expect(c.acks.every((a) => a.signed)).toBe(true);
    expect(c.acked(stream(4))).toEqual([]);
    expect(output.lines()).toEqual(['{"signed":1}']);
    expect(server.stats().rejected.unauthenticated).toBe(1);
  });

  it("acknowledges the smallest messages the first time they arrive, signed or not", async () => {
    const key = utf8("k3y");
    const plain = await start();
    const signed = await start({ keys: [key] });
    const c = await client();
    const d = await client([key]);
    // 17, 16 and 18 bytes: each smaller than its 21-byte acknowledgement.
    await c.send(plain.port, message(stream(10), 0, "{}"));
    await c.send(plain.port, message(stream(10), 1, "{"));
    await c.send(plain.port, message(stream(10), 2, "[1]"));
    // 33 bytes, its acknowledgement 37.
    await d.send(signed.port, message(stream(11), 0, "{}", key));
    await c.until(() => c.seqs(stream(10)).size === 3);
    await d.until(() => d.seqs(stream(11)).size === 1);
    expect(plain.output.lines()).toEqual(["{}"]);
    expect(plain.server.stats()).toMatchObject({ acks_sent: 3, acks_skipped: 0 });
    expect(signed.server.stats()).toMatchObject({ acks_sent: 1, acks_skipped: 0 });
  });

  it("acknowledges each message to the socket that sent it, in one turn", async () => {
    const { output, port } = await start();
    const a = await client();
    const b = await client();
    await Promise.all([
      a.send(port, message(stream(12), 0, '{"from":"a"}')),
      b.send(port, message(stream(12), 1, '{"from":"b"}')),
    ]);
    await a.until(() => a.seqs(stream(12)).size > 0);
    await b.until(() => b.seqs(stream(12)).size > 0);
    expect(a.seqs(stream(12))).toEqual(new Set([0]));
    expect(b.seqs(stream(12))).toEqual(new Set([1]));
    expect(output.lines()).toHaveLength(2);
  });

  it("does not acknowledge what a full queue dropped, nor what waits for a missing directory", async () => {
    const { server, port } = await start(missingDirFile(false));
    const c = await client();
    await c.send(port, message(stream(6), 0, '{"n":0}'));
    await c.send(port, message(stream(6), 1, '{"n":1}'));
    // A message rejected for good on another stream: its acknowledgement marks a point in time.
    await c.send(port, message(stream(7), 0, "[oops"));
    await c.until(() => c.acked(stream(7)).length === 1);
    const name = server.outputs.set.pipelines[0]?.name ?? "";
    expect(server.stats().outputs[name]?.dropped).toEqual({ "queue-full": 1 });
    expect(c.acked(stream(6))).toEqual([]);
    expect(server.stats().acks_sent).toBe(1);
  });

  it("acknowledges a message once it reached the spool", async () => {
    const { server, port } = await start(missingDirFile(true));
    const c = await client();
    await c.send(port, message(stream(8), 0, '{"n":0}'), message(stream(8), 1, '{"n":1}'));
    await c.until(() => c.seqs(stream(8)).size === 2);
    const name = server.outputs.set.pipelines[0]?.name ?? "";
    expect(server.stats().outputs[name]?.spooled).toBeGreaterThanOrEqual(2);
    expect(server.stats().outputs[name]?.entries).toBe(0);
  });
});
