/**
 * The shipper on real node:dgram sockets over loopback: a receiver bound to
 * 127.0.0.1 port 0 decodes every datagram with the project's own Decoder.
 * Large batches are split on the real worker thread, the program built into
 * dist/ (the global setup builds it before any test runs).
 */
import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { inflateSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createShipper, type ShipperOptions } from "../../src/client/shipper.js";
import type { SplitThreadOptions } from "../../src/client/split-thread.js";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { decodeFrame } from "../../src/wire/frame.js";

/** The splitting threads the shipper made, to see that batches went to the worker. */
const threads = vi.hoisted(() => [] as { readonly pending: number }[]);
vi.mock(import("../../src/client/split-thread.js"), async (original) => {
  const actual = await original();
  const workerUrl = new URL("../../dist/client/split-worker.js", import.meta.url);
  class BuiltWorker extends actual.SplitThread {
    constructor(options: SplitThreadOptions) {
      super({ ...options, workerUrl });
      threads.push(this);
    }
  }
  return { ...actual, SplitThread: BuiltWorker };
});

interface Receiver {
  readonly port: number;
  readonly datagrams: Buffer[];
  readonly entries: Record<string, unknown>[];
  /** Resolves once `count` entries have been decoded. */
  entriesReach(count: number): Promise<void>;
  close(): void;
}

const receivers: Receiver[] = [];
afterEach(() => {
  for (const receiver of receivers.splice(0)) receiver.close();
});

async function receiver(): Promise<Receiver> {
  const socket: Socket = createSocket("udp4");
  const decoder = createDecoder({ now: () => performance.now() });
  const datagrams: Buffer[] = [];
  const entries: Record<string, unknown>[] = [];
  let closed = false;
  let waiting: { count: number; resolve: () => void } | undefined;
  socket.on("message", (datagram) => {
    datagrams.push(datagram);
    for (const json of decoder.decode(datagram).entries) entries.push(JSON.parse(json));
    if (waiting !== undefined && entries.length >= waiting.count) waiting.resolve();
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  socket.setRecvBufferSize(4 * 1024 * 1024);
  const result: Receiver = {
    port: socket.address().port,
    datagrams,
    entries,
    entriesReach: (count) =>
      entries.length >= count
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiting = { count, resolve };
          }),
    close: () => {
      if (!closed) socket.close();
      closed = true;
    },
  };
  receivers.push(result);
  return result;
}

function options(port: number, change: Partial<ShipperOptions> = {}): ShipperOptions {
  return {
    targetHost: "127.0.0.1",
    targetPort: port,
    batchSize: 100,
    flushIntervalMs: 60_000,
    batchBytes: 0,
    flushLevel: undefined,
    compress: true,
    sequenced: true,
    maxDatagramBytes: 65_507,
    maxRetries: 3,
    ...change,
  };
}

describe("shipper over loopback UDP", () => {
  it("delivers 1000 entries in batches of 100, each once and in order", async () => {
    const target = await receiver();
    const shipper = createShipper(options(target.port));
    for (let i = 0; i < 1000; i++) {
      shipper.log({ timestamp: new Date(0).toISOString(), level: "INFO", message: `m${i}`, n: i });
    }
    const summary = await shipper.close();
    await target.entriesReach(1000);
    expect(target.entries.map((e) => e.n)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(target.datagrams).toHaveLength(10);
    for (const datagram of target.datagrams) expect(datagram[2]).toBe(0x03); // SEQUENCED|COMPRESSED
    expect(summary).toMatchObject({
      entries: 1000,
      sent: 1000,
      dropped: 0,
      batches: 10,
      datagrams: 10,
      flush_triggers: { size: 10, shutdown: 0 },
      batch_size: { p50: 100, p95: 100 },
    });
    expect(summary.bytes).toBe(target.datagrams.reduce((n, d) => n + d.byteLength, 0));
  });

  it("sends batches split on the worker thread in batch order, seqs in order", async () => {
    const target = await receiver();
    const shipper = createShipper(options(target.port, { maxDatagramBytes: 4000 }));
    const count = 3000;
    for (let i = 0; i < count; i++) {
      shipper.log({ level: "INFO", message: `${i} ${randomBytes(60).toString("hex")}`, n: i });
    }
    expect(threads.at(-1)?.pending).toBeGreaterThan(0);
    const summary = await shipper.close();
    await target.entriesReach(count);
    expect(target.entries.map((e) => e.n)).toEqual(Array.from({ length: count }, (_, i) => i));
    const seqs = target.datagrams.map((d) => {
      const frame = decodeFrame(d);
      return frame.ok ? frame.value.seq : -1;
    });
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThan(30);
    expect(summary).toMatchObject({ entries: count, sent: count, dropped: 0, batches: 30 });
  });

  it("splits a batch until every datagram fits maxDatagramBytes", async () => {
    const target = await receiver();
    const shipper = createShipper(options(target.port, { batchSize: 60, maxDatagramBytes: 1400 }));
    for (let i = 0; i < 60; i++) shipper.log({ n: i, message: randomBytes(300).toString("hex") });
    const summary = await shipper.close();
    await target.entriesReach(60);
    expect(target.entries.map((e) => e.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(target.datagrams.length).toBeGreaterThan(1);
    for (const datagram of target.datagrams) expect(datagram.byteLength).toBeLessThanOrEqual(1400);
    expect(summary).toMatchObject({ batches: 1, sent: 60, fragmented: 0 });
    expect(summary.datagrams).toBe(target.datagrams.length);
  });

  it("fragments a single 200 KB entry and the receiver puts it back together", async () => {
    const target = await receiver();
    const shipper = createShipper(options(target.port));
    const message = randomBytes(100 * 1024).toString("hex");
    shipper.log({ n: 0, message });
    const summary = await shipper.close();
    await target.entriesReach(1);
    expect(target.entries).toMatchObject([{ n: 0, message }]);
    expect(target.datagrams.length).toBeGreaterThan(1);
    for (const datagram of target.datagrams) {
      expect(datagram.byteLength).toBeLessThanOrEqual(65_507);
      expect((datagram[2] ?? 0) & 0x04).toBe(0x04); // FRAGMENT
    }
    expect(summary).toMatchObject({ sent: 1, fragmented: 1, datagrams: target.datagrams.length });
  });

  it("without sequencing sends exactly CB F2 01 + zlib(JSON array)", async () => {
    const target = await receiver();
    const shipper = createShipper(options(target.port, { sequenced: false, batchSize: 3 }));
    const at = { timestamp: "2026-11-24T10:30:00.123Z", service: "s", host: "h" };
    const sent = [0, 1, 2].map((n) => ({ ...at, level: "INFO", message: `m${n}`, n }));
    for (const entry of sent) shipper.log(entry);
    await shipper.close();
    await target.entriesReach(3);
    expect(target.datagrams).toHaveLength(1);
    const datagram = target.datagrams[0] as Buffer;
    expect([...datagram.subarray(0, 3)]).toEqual([0xcb, 0xf2, 0x01]);
    expect(inflateSync(datagram.subarray(3)).toString("utf8")).toBe(JSON.stringify(sent));
  });

  it("without sequencing or compression sends the bare JSON array", async () => {
    const target = await receiver();
    const shipper = createShipper(
      options(target.port, { sequenced: false, compress: false, batchSize: 2 }),
    );
    const at = { timestamp: "2026-11-24T10:30:00.123Z", service: "s", host: "h" };
    const sent = [
      { ...at, message: "a" },
      { ...at, message: "b" },
    ];
    for (const entry of sent) shipper.log(entry);
    await shipper.close();
    await target.entriesReach(2);
    expect(target.datagrams.map((d) => d.toString("utf8"))).toEqual([JSON.stringify(sent)]);
  });

  it("sees ECONNREFUSED from a closed port on the connected socket: retried, or dropped", async () => {
    const closed = await receiver();
    closed.close();
    // On loopback the port unreachable comes back before the next send, which reports it.
    const once = createShipper(options(closed.port, { maxRetries: 0, batchSize: 1 }));
    for (let i = 0; i < 4; i++) once.log({ n: i });
    const dropped = await once.close();
    expect(dropped.sent + dropped.dropped).toBe(4);
    expect(dropped.dropped).toBeGreaterThan(0);
    expect(dropped.dropped_by_reason).toEqual({ "send-failed": dropped.dropped });
    expect(dropped.retries).toBe(0);

    const retried = createShipper(options(closed.port, { maxRetries: 3, batchSize: 1 }));
    for (let i = 0; i < 4; i++) retried.log({ n: i });
    const summary = await retried.close();
    expect(summary.retries).toBeGreaterThan(0);
    expect(summary.send_errors).toBeGreaterThanOrEqual(summary.retries);
    expect(summary.sent + summary.dropped).toBe(4);
    // Each send failing with ECONNREFUSED reported an earlier datagram bounced.
    expect(dropped.refused).toBeGreaterThan(0);
    expect(summary.refused).toBeGreaterThan(0);
  });

  it("counts datagrams a closed port bounced after the socket accepted them as refused", async () => {
    const closed = await receiver();
    closed.close();
    const shipper = createShipper(options(closed.port, { batchSize: 1 }));
    const notices: unknown[] = [];
    const first = new Promise<void>((resolve) =>
      shipper.onRefusing?.((notice) => {
        notices.push(notice);
        resolve();
      }),
    );
    shipper.log({ n: 0 });
    await first;
    shipper.log({ n: 1 });
    await shipper.flush();
    await vi.waitFor(() => expect(shipper.summary().refused).toBe(2), { timeout: 10_000 });
    const summary = await shipper.close();
    expect(summary).toMatchObject({
      sent: 2,
      dropped: 0,
      datagrams: 2,
      send_errors: 0,
      refused: 2,
      refused_by_code: { ECONNREFUSED: 2 },
    });
    expect(notices).toEqual([{ code: "ECONNREFUSED", address: "127.0.0.1", port: closed.port }]);
  });

  it("reads the refusal of the last datagram before close() closes the socket", async () => {
    const closed = await receiver();
    closed.close();
    const shipper = createShipper(options(closed.port));
    shipper.log({ n: 0 });
    const summary = await shipper.close();
    expect(summary).toMatchObject({ sent: 1, datagrams: 1, refused: 1 });
  });
});
