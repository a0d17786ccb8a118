import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createServer,
  type DatagramEvent,
  type LogServer,
  type ServerOptions,
} from "../../src/server/server.js";
import { compress } from "../../src/wire/compression.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { Decoder } from "../../src/wire/receive/decoder.js";
import { FakeTime } from "../support/fake-time.js";
import { sendAll } from "../support/udp.js";
import { bomb, Collector, legacyFrame, utf8 } from "./helpers.js";

const STREAM = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

interface Harness {
  readonly server: LogServer;
  readonly output: Collector;
  readonly events: DatagramEvent[];
  /** Resolves once `count` datagrams in all have been handled. */
  handled(count: number): Promise<void>;
  send(...datagrams: Uint8Array[]): Promise<void>;
}

const running: LogServer[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(options: Partial<ServerOptions> = {}): Promise<Harness> {
  const output = options.output instanceof Collector ? options.output : new Collector();
  const events: DatagramEvent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = await createServer({
    host: "127.0.0.1",
    port: 0,
    ...options,
    output: options.output ?? output,
    onDatagram: (event) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.count <= events.length)) waiter.resolve();
    },
  });
  running.push(server);
  const handled = (count: number) =>
    events.length >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  const send = async (...datagrams: Uint8Array[]) => {
    const target = events.length + datagrams.length;
    await sendAll(datagrams, server.address().port);
    await handled(target);
  };
  return { server, output, events, handled, send };
}

function sequenced(seq: number, json: string, extra: { compressed?: boolean } = {}): Uint8Array {
  const compressed = extra.compressed ?? true;
  const payload = compressed ? compress(utf8(json)) : utf8(json);
  return encodeFrame({ compressed, stream: STREAM, seq }, payload);
}

describe("createServer on a real socket", () => {
  it("binds port 0 and reports the real port", async () => {
    const { server } = await start();
    expect(server.address()).toMatchObject({ address: "127.0.0.1" });
    expect(server.address().port).toBeGreaterThan(0);
  });

  it("prints bare JSON entries, one line each, fields in the order received", async () => {
    const { server, output, send } = await start();
    await send(utf8('[{"b":1,"a":"x"}, {"level":"INFO", "n":1.0}]'), utf8('  {"single":true}'));
    const summary = await server.close();
    expect(output.lines()).toEqual([
      '{"b":1,"a":"x"}',
      '{"level":"INFO","n":1.0}',
      '{"single":true}',
    ]);
    expect(summary).toMatchObject({ datagrams: 2, entries: 3, kinds: { json: 2, framed: 0 } });
  });

  it("accepts the original shipper's CB F2 01 + zlib frame", async () => {
    const { server, output, send } = await start();
    const entry = {
      timestamp: "2026-11-24T10:30:00.123Z",
      level: "INFO",
      message: "User logged in",
      service: "batch-log-shipper",
      metadata: { "user.id": "u123" },
    };
    await send(legacyFrame(JSON.stringify([entry, entry])));
    const summary = await server.close();
    expect(output.lines()).toEqual([JSON.stringify(entry), JSON.stringify(entry)]);
    expect(summary).toMatchObject({ datagrams: 1, entries: 2, kinds: { framed: 1 } });
  });

  it("counts bytes received and rejections by reason; a bad datagram between good ones changes nothing else", async () => {
    const { server, output, send } = await start();
    const junk = utf8("hello, not a log");
    const badJson = utf8("[{]");
    await send(utf8('[{"n":1}]'), junk, utf8('[{"n":2}]'), badJson, utf8('[{"n":3},4,{"n":5}]'));
    const summary = await server.close();
    expect(output.lines()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}', '{"n":5}']);
    expect(summary.datagrams).toBe(5);
    expect(summary.entries).toBe(4);
    expect(summary.bytes).toBe(9 + junk.length + 9 + badJson.length + 19);
    expect(summary.rejected["unknown-format"]).toBe(1);
    expect(summary.rejected["invalid-json"]).toBe(1);
    expect(summary.rejected["invalid-entry"]).toBe(1);
    expect(summary.kinds).toEqual({ framed: 0, json: 4, syslog: 0, gelf: 0, text: 0, unknown: 1 });
  });

  it("rejects a bomb as too-large and keeps serving the datagrams after it", async () => {
    const { server, output, send } = await start({ maxDecompressedBytes: 1024 * 1024 });
    await send(bomb(4 * 1024 * 1024), utf8('{"after":1}'), legacyFrame('[{"after":2}]'));
    const summary = await server.close();
    expect(summary.rejected["too-large"]).toBe(1);
    expect(output.lines()).toEqual(['{"after":1}', '{"after":2}']);
  });

  it("rejects deep nesting on its own and goes on", async () => {
    const { server, output, send } = await start();
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    await send(utf8('{"n":1}'), legacyFrame(deep), legacyFrame(`[{"a":${deep}}]`), utf8('{"n":2}'));
    const summary = await server.close();
    expect(summary.datagrams).toBe(4);
    expect(output.lines()[0]).toBe('{"n":1}');
    expect(output.lines().at(-1)).toBe('{"n":2}');
    expect(summary.rejected["internal-error"]).toBe(0);
  });

  it("counts duplicates, reordering, and open gaps as lost at close", async () => {
    const { server, output, send } = await start();
    await send(
      sequenced(0, '[{"s":0}]'),
      sequenced(2, '[{"s":2}]'),
      sequenced(1, '[{"s":1}]', { compressed: false }),
      sequenced(2, '[{"s":2}]'),
      sequenced(5, '[{"s":5}]'),
    );
    const live = server.stats();
    expect(live.streams).toBe(1);
    const summary = await server.close();
    expect(output.lines()).toEqual(['{"s":0}', '{"s":2}', '{"s":1}', '{"s":5}']);
    expect(summary).toMatchObject({ entries: 4, duplicates: 1, reordered: 1, lost: 2 });
  });

  it("reassembles a fragmented message sent in any order", async () => {
    const { server, output, send } = await start();
    const entry = JSON.stringify({ message: "x".repeat(3000) });
    const payload = utf8(`[${entry}]`);
    const cut = [payload.subarray(0, 1000), payload.subarray(1000, 2000), payload.subarray(2000)];
    const fragments = cut.map((bytes, index) =>
      encodeFrame(
        { compressed: false, stream: STREAM, seq: 7, fragmentIndex: index, fragmentCount: 3 },
        bytes,
      ),
    );
    await send(fragments[2] as Uint8Array, fragments[0] as Uint8Array, fragments[1] as Uint8Array);
    const summary = await server.close();
    expect(output.lines()).toEqual([entry]);
    expect(summary).toMatchObject({ datagrams: 3, entries: 1, lost: 0 });
  });

  it("sweeps on its interval: a gap open past the timeout counts as lost before close", async () => {
    const time = new FakeTime();
    const { server, send } = await start({ timers: time, now: time.now });
    await send(sequenced(0, "[]"), sequenced(2, "[]"));
    await time.advance(1000);
    expect(server.stats().lost).toBe(0);
    await time.advance(10_000);
    expect(server.stats().lost).toBe(1);
    const summary = await server.close();
    expect(summary.lost).toBe(1);
    expect(time.intervals).toBe(0);
  });

  it("reports periodic stats with the previous snapshot and the time between", async () => {
    const time = new FakeTime();
    const reports: [number, number | undefined, number][] = [];
    const { send } = await start({
      timers: time,
      now: time.now,
      statsIntervalMs: 5000,
      onStats: (current, previous, elapsedMs) =>
        reports.push([current.datagrams, previous?.datagrams, elapsedMs]),
    });
    await send(utf8("{}"));
    await time.advance(5000);
    await send(utf8("{}"), utf8("{}"));
    await time.advance(5000);
    expect(reports).toEqual([
      [1, undefined, 5000],
      [3, 1, 5000],
    ]);
  });

  it("counts an unexpected exception as internal-error and goes on", async () => {
    const { server, output, send } = await start();
    vi.spyOn(Decoder.prototype, "decode").mockImplementationOnce(() => {
      throw new Error("surprise");
    });
    await send(utf8('{"n":1}'), utf8('{"n":2}'));
    const summary = await server.close();
    expect(summary.rejected["internal-error"]).toBe(1);
    expect(output.lines()).toEqual(['{"n":2}']);
  });

  it("keeps going when the per-datagram callback throws", async () => {
    let calls = 0;
    const output = new Collector();
    const server = await createServer({
      host: "127.0.0.1",
      port: 0,
      output,
      onDatagram: () => {
        calls += 1;
        throw new Error("logging failed");
      },
    });
    running.push(server);
    await sendAll([utf8('{"n":1}'), utf8('{"n":2}')], server.address().port);
    await vi.waitFor(() => expect(calls).toBe(2));
    await server.close();
    expect(output.lines()).toEqual(['{"n":1}', '{"n":2}']);
  });

  it("writes the pretty format when asked", async () => {
    const { server, output, send } = await start({ format: "pretty", color: false });
    await send(
      utf8(
        '{"timestamp":"2026-11-24T10:30:00.123Z","level":"WARNING","service":"s","message":"m"}',
      ),
    );
    await server.close();
    expect(output.lines()).toHaveLength(1);
    expect(output.lines()[0]).toMatch(/^\d\d:\d\d:00\.123 WARNING {2}s m$/);
  });

  it("bounds output held for a stalled stdout and counts what it drops", async () => {
    const time = new FakeTime();
    const { Writable } = await import("node:stream");
    const stalled = new Writable({ highWaterMark: 16, write: () => {} });
    const { server, send } = await start({
      output: stalled,
      timers: time,
      maxPendingOutputBytes: 256,
      flushTimeoutMs: 1000,
    });
    const line = JSON.stringify({ message: "y".repeat(50) });
    // Output is written at the end of the turn: the first lines are handed to
    // the stream, which stalls; the later ones wait, past the bound.
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await send(...Array.from({ length: 10 }, () => utf8(line)));
    await turn();
    await send(...Array.from({ length: 10 }, () => utf8(line)));
    await turn();
    const live = server.stats();
    expect(live.entries).toBe(20);
    expect(live.output_dropped).toBeGreaterThan(0);
    expect(live.output_pending_bytes).toBeLessThanOrEqual(256 + 64 * 1024);
    const closing = server.close();
    await vi.waitFor(() => expect(time.timeouts).toBe(1));
    time.runNext();
    const summary = await closing;
    expect(summary.output_dropped).toBe(20);
    expect(server.outputFlushed).toBe(false);
  });

  it("close() is idempotent and stops receiving", async () => {
    const { server } = await start();
    const [a, b] = await Promise.all([server.close(), server.close()]);
    expect(a).toBe(b);
    await expect(sendAll([utf8("{}")], server.address().port)).resolves.toBe(undefined);
    expect(server.stats().datagrams).toBe(0);
  });

  it("setKeys swaps the keys between two datagrams, keeping the socket, counters and streams", async () => {
    const A = utf8("key-a");
    const B = utf8("key-b");
    const signed = (seq: number, key: Uint8Array) =>
      encodeFrame({ compressed: false, stream: STREAM, seq, key }, utf8(`[{"seq":${seq}}]`));
    const { server, output, send } = await start({ keys: [A] });
    const port = server.address().port;
    await send(signed(0, A), signed(1, B));
    server.setKeys([B]);
    await send(signed(2, A), signed(1, B), signed(0, B));
    expect(server.address().port).toBe(port);
    expect(server.stats()).toMatchObject({ datagrams: 5, entries: 2, streams: 1 });
    const summary = await server.close();
    expect(output.lines()).toEqual(['{"seq":0}', '{"seq":1}']);
    expect(summary).toMatchObject({
      datagrams: 5,
      entries: 2,
      duplicates: 1,
      rejected: { unauthenticated: 2 },
    });
  });

  it("rejects with the bind error when the port is taken", async () => {
    const { server } = await start();
    await expect(
      createServer({ host: "127.0.0.1", port: server.address().port, output: new Collector() }),
    ).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
