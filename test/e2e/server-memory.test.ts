/**
 * The built server's memory under floods, each far larger than the bound
 * asserted, so a server that held what it was sent would fail: (a) a stdout
 * reader that stops reading, (b) 200 source ports each sending fresh
 * streams, (c) to (e) fragments and GELF chunks of messages that never
 * complete, (f) streams that skip every other seq. Memory is the peak
 * resident size (VmHWM) from /proc, less the size once listening.
 *
 * The bounds of (c) to (f) are derived from the caps at their defaults
 * (written out here, not imported, so a cap raised by mistake fails): what
 * may be held, times the GC_FACTOR of garbage V8 lets pile up before it
 * collects, plus its young generation and the tracked streams.
 */
import dgram from "node:dgram";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { rawFragment, rawGelfChunk } from "../../scripts/fuzz/fragments.js";
import { PacedSender } from "../../scripts/fuzz/sender.js";
import { encodeFrame } from "../../src/wire/index.js";
import { readMemory, readUdpCounters } from "../support/linux-proc.js";
import { ServerProcess } from "../support/server-process.js";

const MIB = 1024 * 1024;
const linux = readMemory(process.pid) !== undefined;

/** Fragments held at once (MAX_FRAGMENT_HELD_BYTES), payload and bookkeeping charged. */
const FRAGMENT_CAP = 16 * MIB;
/** GELF chunks held at once (GELF_MAX_HELD_BYTES), charged the same way. */
const GELF_CAP = 8 * MIB;
/**
 * V8 lets its old generation grow to up to four times what was live at the last
 * full collection before the next one: a store kept at its cap by a flood that
 * replaces what it holds costs up to this many times its cap (about 2 measured).
 */
const GC_FACTOR = 4;
/** The young generation V8 grows under a flood: two 16 MiB semi-spaces (27 MiB measured). */
const YOUNG_GENERATION = 32 * MIB;
/** 10,000 tracked streams of about 2.2 KB: a 1,024-seq window, its key and record (no gaps). */
const STREAMS = 24 * MIB;
let running: ServerProcess | undefined;

async function start(args: string[], nonce: string): Promise<ServerProcess> {
  running = await ServerProcess.start({ args, stdout: { nonce } });
  return running;
}

/** Peak resident bytes above the size once listening. */
function growth(server: ServerProcess): number {
  server.memory.sample();
  return (server.memory.peak?.hwmBytes ?? 0) - (server.memory.baseline?.rssBytes ?? 0);
}

function drops(server: ServerProcess): number {
  return readUdpCounters(server.port)?.drops ?? 0;
}

/**
 * Stops the server and checks that every datagram sent is in its summary or
 * in the kernel's drops, that each of `messages` never-completed messages is
 * counted lost once (a fragment the kernel dropped can only make it fewer),
 * and that stdout got every entry; answers the summary.
 */
async function stopLosingEach(
  server: ServerProcess,
  sender: PacedSender,
  messages: number,
): Promise<Record<string, unknown>> {
  const dropped = drops(server);
  const { code, summary = {} } = await server.stop();
  expect(code).toBe(0);
  expect(num(summary.datagrams) + dropped).toBe(messages + sender.probesSent);
  expect(num(summary.lost)).toBeLessThanOrEqual(messages);
  expect(num(summary.lost) + dropped).toBeGreaterThanOrEqual(messages);
  expect(server.sink.lines).toBe(summary.entries);
  return summary;
}

function sendAll(socket: dgram.Socket, datagrams: readonly Uint8Array[], port: number) {
  return Promise.all(
    datagrams.map(
      (datagram) =>
        new Promise<void>((resolve, reject) =>
          socket.send(datagram, port, "127.0.0.1", (error) => (error ? reject(error) : resolve())),
        ),
    ),
  );
}

async function closeAll(sockets: readonly dgram.Socket[]): Promise<void> {
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
}

/** `datagrams=N` of the latest periodic stats line on stderr. */
function statsDatagrams(server: ServerProcess): number {
  for (let i = server.stderr.length - 1; i >= 0; i--) {
    const match = /\bstats datagrams=(\d+)/.exec(server.stderr[i] ?? "");
    if (match) return Number(match[1]);
  }
  return 0;
}

const num = (value: unknown): number => (typeof value === "number" ? value : Number.NaN);

describe.skipIf(!linux)("server memory under floods", () => {
  it("(a) a stdout reader that stops: pending output stays bounded, the excess is counted in output_dropped", async () => {
    const server = await start(
      ["--max-pending-output", String(4 * MIB), "--stats-interval", "0.05"],
      "slow",
    );
    server.child.stdout?.pause();
    // 400 datagrams of one entry each, just under the 1 MiB payload cap: 400 MiB of output
    // for a reader that reads nothing.
    const entry = Buffer.from(`[{"message":"${"A".repeat(MIB - 64)}"}]`);
    const datagram = Buffer.concat([Buffer.from([0xcb, 0xf2, 0x01]), deflateSync(entry)]);
    const socket = dgram.createSocket("udp4");
    const sent = 400;
    for (let i = 0; i < sent; i += 50) {
      await sendAll(
        socket,
        Array.from({ length: 50 }, () => datagram),
        server.port,
      );
      const done = () => statsDatagrams(server) + drops(server) >= i + 50;
      expect(await server.until(done, 30_000)).toBe(true);
    }
    await closeAll([socket]);
    const grown = growth(server);
    server.child.stdout?.resume();
    const { code, summary = {} } = await server.stop();
    expect(code).toBe(0);
    expect(num(summary.datagrams) + drops(server)).toBe(sent);
    expect(summary.entries).toBe(summary.datagrams);
    expect(num(summary.output_dropped)).toBeGreaterThan(sent / 2);
    expect(server.sink.lines + num(summary.output_dropped)).toBe(summary.entries);
    // 4 MiB of pending lines, one entry of about 1 MiB being decoded (inflated bytes, text,
    // line), and the garbage V8 has not collected yet; 400 MiB if lines were held.
    expect(grown).toBeLessThan(160 * MIB);
  }, 120_000);

  it("(b) 200 source ports sending 200,000 fresh streams: streams and memory stay bounded", async () => {
    const server = await start([], "ports");
    const sockets = Array.from({ length: 200 }, () => dgram.createSocket("udp4"));
    const rounds = 1000;
    let sent = 0;
    for (let round = 0; round < rounds; round++) {
      const batch = sockets.map((socket, i) => {
        const stream = Buffer.alloc(8);
        stream.writeUInt32BE(i, 0);
        stream.writeUInt32BE(round, 4);
        const json = Buffer.from(`[{"message":"round ${round} port ${i}"}]`);
        return sendAll(
          socket,
          [encodeFrame({ compressed: false, stream, seq: round }, json)],
          server.port,
        );
      });
      await Promise.all(batch);
      sent += sockets.length;
      expect(await server.until(() => server.sink.lines + drops(server) >= sent, 30_000)).toBe(
        true,
      );
    }
    await closeAll(sockets);
    const grown = growth(server);
    const { code, summary = {} } = await server.stop();
    expect(code).toBe(0);
    expect(num(summary.datagrams) + drops(server)).toBe(sent);
    expect(summary.entries).toBe(summary.datagrams);
    expect(server.sink.lines).toBe(summary.entries);
    expect(summary.lost).toBe(0);
    // At most 10,000 streams of about 1.4 KB each (a 1,024-seq window, its key and record):
    // 14 MiB, plus the forgotten streams V8 has not collected yet (about 90 MiB measured);
    // 200,000 streams held would be 270 MB.
    expect(grown).toBeLessThan(160 * MIB);
  }, 120_000);

  it("(c) 600 MB of fragments that never complete: at most 16 MiB held, each message lost once", async () => {
    const server = await start(["--max-message", String(4 * MIB)], "frags");
    const sender = new PacedSender(server, "frags");
    const slice = new Uint8Array(60_000).fill(0x61);
    const messages = 10_000;
    for (let m = 0; m < messages; m++) {
      const stream = Buffer.alloc(8);
      stream.writeUInt32BE(0xf1a9, 0);
      stream.writeUInt32BE(m, 4);
      // 63 x 60,000 bytes fit the 4 MiB message cap: the message waits for 63 more slices.
      const spec = { flags: 0x06, stream, seq: m, index: m % 64, count: 64 };
      expect(await sender.send(rawFragment(spec, slice))).toBe(true);
    }
    expect(await sender.finish()).toBe(true);
    const grown = growth(server);
    const dropped = drops(server);
    // Each message is lost once (dropped for room, timed out, or at shutdown); the probes
    // are the only entries.
    const summary = await stopLosingEach(server, sender, messages);
    expect(num(summary.entries) + dropped).toBeGreaterThanOrEqual(sender.probesSent);
    // 16 MiB of held fragments (bookkeeping included), plus the received datagrams and the
    // dropped messages V8 has not collected yet; 600 MB if every fragment were held.
    expect(grown).toBeLessThan(YOUNG_GENERATION + STREAMS + GC_FACTOR * FRAGMENT_CAP);
  }, 120_000);

  it("(d) 100,000 unfinished messages over 20,000 streams: bounded by the cap, each lost once", async () => {
    const server = await start([], "many");
    const sender = new PacedSender(server, "many");
    const slice = new Uint8Array(100).fill(0x62);
    const messages = 100_000;
    const streams = 20_000;
    for (let m = 0; m < messages; m++) {
      const stream = Buffer.alloc(8);
      stream.writeUInt32BE(0x5eed, 0);
      stream.writeUInt32BE(m % streams, 4);
      // The first of 4,096 fragments: each message waits for 4,095 that never come. The
      // streams outnumber the 10,000 tracked, so each is forgotten before its next seq.
      const spec = { flags: 0x06, stream, seq: Math.floor(m / streams), index: 0, count: 4096 };
      expect(await sender.send(rawFragment(spec, slice))).toBe(true);
    }
    expect(await sender.finish()).toBe(true);
    const grown = growth(server);
    const summary = await stopLosingEach(server, sender, messages);
    expect(summary.duplicates).toBe(0);
    expect(grown).toBeLessThan(YOUNG_GENERATION + STREAMS + GC_FACTOR * FRAGMENT_CAP);
  }, 120_000);

  it("(e) 100,000 GELF chunked messages that never complete: bounded by the cap, each lost once", async () => {
    const server = await start([], "gelf");
    const sender = new PacedSender(server, "gelf");
    const slice = new Uint8Array(100).fill(0x63);
    const messages = 100_000;
    const id = new Uint8Array(8);
    const view = new DataView(id.buffer);
    for (let m = 0; m < messages; m++) {
      view.setUint32(0, 0x6e1f);
      view.setUint32(4, m);
      expect(await sender.send(rawGelfChunk(id, 0, 128, slice))).toBe(true);
    }
    expect(await sender.finish()).toBe(true);
    const grown = growth(server);
    await stopLosingEach(server, sender, messages);
    expect(grown).toBeLessThan(YOUNG_GENERATION + GC_FACTOR * GELF_CAP);
  }, 120_000);

  it("(f) 1,000 streams that skip every other seq: their open gaps stay bounded", async () => {
    const server = await start([], "gaps");
    const sender = new PacedSender(server, "gaps");
    const streams = 1000;
    const rounds = 256;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < streams; i++) {
        const stream = Buffer.alloc(8);
        stream.writeUInt32BE(0x9a95, 0);
        stream.writeUInt32BE(i, 4);
        // Not JSON: rejected after its seq is recorded, so nothing reaches stdout.
        const frame = encodeFrame({ compressed: false, stream, seq: 2 * round }, Buffer.from("x"));
        expect(await sender.send(frame)).toBe(true);
      }
    }
    expect(await sender.finish()).toBe(true);
    const grown = growth(server);
    const dropped = drops(server);
    const { code, summary = {} } = await server.stop();
    expect(code).toBe(0);
    expect(num(summary.datagrams) + dropped).toBe(streams * rounds + sender.probesSent);
    // Every skipped seq is lost once, timed out or at shutdown; a datagram the kernel
    // dropped adds its seq to the lost, or, the last of its stream, takes one gap away.
    expect(Math.abs(num(summary.lost) - streams * (rounds - 1))).toBeLessThanOrEqual(dropped);
    // 1,000 streams of about 2 KB and a dozen gap runs each: 3 MiB.
    expect(grown).toBeLessThan(YOUNG_GENERATION + 8 * MIB);
  }, 120_000);
});
