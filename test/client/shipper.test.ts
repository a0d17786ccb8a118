import { deflateSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createShipper,
  OFF_THREAD_MIN_BYTES,
  type Shipper,
  type ShipperOptions,
} from "../../src/client/shipper.js";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { decodeFrame } from "../../src/wire/frame.js";
import { type SplitRunner, splitSync } from "../../src/wire/send/split-runners.js";
import { FakeTime } from "../support/fake-time.js";
import { type SendBehaviour, settle, socketFactory } from "./fakes.js";

/**
 * The splitting thread, replaced by one that splits here: at once, or, while
 * `held` is on, when the test calls the finish it kept (in any order); while
 * `fail` is on, every split fails as when the thread stops. While
 * `slowStart` is on, the thread is starting from its first split until the
 * test calls `online`.
 */
const splitting = vi.hoisted(() => ({
  fail: false,
  hold: false,
  held: [] as (() => void)[],
  made: 0,
  started: 0,
  slowStart: false,
  online: () => {},
}));
vi.mock(import("../../src/client/split-thread.js"), async (original) => {
  const actual = await original();
  class SplitHere {
    starting = false;
    readonly #listeners: (() => void)[] = [];
    constructor(options: { onOnline?: () => void }) {
      splitting.made++;
      if (options.onOnline !== undefined) this.#listeners.push(options.onOnline);
      splitting.online = () => {
        this.starting = false;
        for (const listener of this.#listeners) listener();
      };
    }
    listenOnline(listener: () => void): void {
      this.#listeners.push(listener);
    }
    async start(): Promise<void> {
      splitting.started++;
    }
    readonly split: SplitRunner = (jsons, sizes, settings, level, finish) => {
      if (splitting.slowStart && splitting.started === 0) {
        splitting.started++;
        this.starting = true;
      }
      const zip = (data: Uint8Array) => deflateSync(data, { level });
      const run = () =>
        splitting.fail
          ? finish(new Error("the splitting thread stopped"))
          : finish(null, splitSync(jsons, settings, zip, sizes));
      if (splitting.hold) splitting.held.push(run);
      else run();
    };
    async close(): Promise<void> {}
  }
  return { ...actual, SplitThread: SplitHere as unknown as typeof actual.SplitThread };
});

function setup(
  options: Partial<ShipperOptions> = {},
  behave: (datagram: Uint8Array, attempt: number) => SendBehaviour = () => "ok",
) {
  const clock = new FakeTime();
  const factory = socketFactory(behave);
  const shipper = createShipper({
    targetHost: "logs.example",
    targetPort: 9999,
    batchSize: 10,
    flushIntervalMs: 5000,
    batchBytes: 0,
    flushLevel: undefined,
    compress: true,
    sequenced: true,
    maxDatagramBytes: 65_507,
    maxRetries: 3,
    clock,
    random: () => 0.5,
    createSocket: factory.create,
    lookup: async () => ({ address: "10.0.0.1", family: 4 }),
    ...options,
  });
  /** Every entry that reached the sockets, decoded, in arrival order. */
  const received = () => {
    const decoder = createDecoder({ now: () => clock.now() });
    return factory.sockets
      .flatMap((socket) => socket.sent)
      .flatMap((datagram) => decoder.decode(datagram).entries)
      .map((json) => JSON.parse(json) as Record<string, unknown>);
  };
  return { clock, factory, shipper, received };
}

const entry = (n: number, level = "INFO") => ({ n, level, message: `entry ${n}` });

/** log(), answering as the boolean callers pace with: false while above a bound. */
function logged(shipper: Shipper, value: Record<string, unknown>): boolean {
  void shipper.log(value);
  return shipper.isFull?.() !== true;
}

describe("createShipper", () => {
  it("batches by size and flushes the rest at close, every entry once and in order", async () => {
    const { shipper, received, factory } = setup();
    for (let i = 0; i < 25; i++) expect(logged(shipper, entry(i))).toBe(true);
    await settle();
    expect(factory.sockets[0]?.sent).toHaveLength(2);
    const summary = await shipper.close();
    expect(received().map((e) => e.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(summary).toMatchObject({
      entries: 25,
      sent: 25,
      dropped: 0,
      batches: 3,
      datagrams: 3,
      retries: 0,
      send_errors: 0,
      flush_triggers: { size: 2, interval: 0, bytes: 0, level: 0, shutdown: 1 },
      batch_size: { p50: 10, p95: 10 },
    });
    expect(summary.bytes).toBe(factory.sockets[0]?.sent.reduce((n, d) => n + d.byteLength, 0));
    expect(factory.sockets[0]?.closed).toBe(true);
  });

  it("flushes on the interval and on an entry at the flush level", async () => {
    const { shipper, clock } = setup({ flushLevel: "ERROR" });
    shipper.log(entry(0));
    await clock.advance(5000);
    shipper.log(entry(1));
    shipper.log(entry(2, "error"));
    const summary = await shipper.close();
    expect(summary.flush_triggers).toMatchObject({ interval: 1, level: 1, shutdown: 0 });
    expect(summary.sent).toBe(3);
  });

  it("reconfigure() to a smaller batch size sends full batches at once, nothing twice", async () => {
    const { shipper, received } = setup({ batchSize: 100 });
    for (let i = 0; i < 7; i++) shipper.log(entry(i));
    shipper.reconfigure({ batchSize: 3 });
    await settle();
    expect(shipper.summary().flush_triggers.size).toBe(2);
    expect(received().map((e) => e.n)).toEqual([0, 1, 2, 3, 4, 5]);
    const summary = await shipper.close();
    expect(received().map((e) => e.n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(summary.sent).toBe(7);
  });

  it("retries ECONNREFUSED and counts the retries and the send time", async () => {
    const { shipper, clock } = setup({}, (_d, attempt) => (attempt === 0 ? "ECONNREFUSED" : "ok"));
    shipper.log(entry(0));
    const closed = shipper.close();
    await clock.advance(100);
    const summary = await closed;
    expect(summary).toMatchObject({ sent: 1, dropped: 0, retries: 1, send_errors: 1 });
    expect(summary.send_ms).toEqual({ p50: 100, p95: 100 });
    // The failed send also reports that an earlier datagram was bounced.
    expect(summary).toMatchObject({ refused: 1, refused_by_code: { ECONNREFUSED: 1 } });
  });

  it("counts datagrams the target bounced as refused, and tells listeners when that starts", async () => {
    const { shipper, clock, factory } = setup({ batchSize: 1 });
    const notices: unknown[] = [];
    shipper.onRefusing?.((notice) => notices.push(notice));
    const icmp = (code: string) => Object.assign(new Error(code), { code });
    shipper.log(entry(0));
    await settle();
    const socket = factory.sockets[0];
    for (let i = 0; i < 3; i++) socket?.emitError(icmp("ECONNREFUSED"));
    expect(notices).toEqual([{ code: "ECONNREFUSED", address: "10.0.0.1", port: 9999 }]);
    // Datagrams go out unrefused for 10 s: the next refusal is news again.
    shipper.log(entry(1));
    await clock.advance(10_000);
    shipper.log(entry(2));
    await settle();
    socket?.emitError(icmp("EHOSTUNREACH"));
    expect(notices).toHaveLength(2);
    expect(notices[1]).toEqual({ code: "EHOSTUNREACH", address: "10.0.0.1", port: 9999 });
    const summary = await shipper.close();
    expect(summary).toMatchObject({
      sent: 3,
      dropped: 0,
      datagrams: 3,
      send_errors: 0,
      retries: 0,
      refused: 4,
      refused_by_code: { ECONNREFUSED: 3, EHOSTUNREACH: 1 },
    });
  });

  it("stops telling a listener once it unsubscribes", async () => {
    const { shipper, factory } = setup({ batchSize: 1 });
    let notices = 0;
    const stop = shipper.onRefusing?.(() => {
      notices += 1;
    });
    stop?.();
    shipper.log(entry(0));
    await settle();
    factory.sockets[0]?.emitError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }));
    expect(notices).toBe(0);
    expect(shipper.summary().refused).toBe(1);
  });

  it("drops a batch whose datagram still fails after the retries", async () => {
    const { shipper, clock, factory } = setup({ maxRetries: 2 }, () => "ENOBUFS");
    for (let i = 0; i < 4; i++) shipper.log(entry(i));
    const flushed = shipper.flush();
    await clock.advance(10_000);
    await flushed;
    expect(factory.sockets[0]?.attempts).toHaveLength(3);
    expect(shipper.summary()).toMatchObject({
      sent: 0,
      dropped: 4,
      dropped_by_reason: { "send-failed": 4 },
      retries: 2,
      send_errors: 3,
      datagrams: 0,
    });
  });

  it("counts EMSGSIZE drops under their own reason, without retrying", async () => {
    const { shipper, factory } = setup({}, () => "EMSGSIZE");
    shipper.log(entry(0));
    const summary = await shipper.close();
    expect(factory.sockets[0]?.attempts).toHaveLength(1);
    expect(summary).toMatchObject({ dropped_by_reason: { emsgsize: 1 }, retries: 0 });
  });

  it("log() returns false above maxQueuedBytes and ready() resolves once sends drain", async () => {
    const { shipper, factory } = setup(
      { batchSize: 1, compress: false, maxQueuedBytes: 300 },
      () => "hold",
    );
    const results: boolean[] = [];
    for (let i = 0; results.at(-1) !== false; i++) results.push(logged(shipper, entry(i)));
    expect(results.length).toBeGreaterThan(1);
    let ready = false;
    void shipper.ready().then(() => {
      ready = true;
    });
    await settle();
    expect(ready).toBe(false);
    factory.sockets[0]?.release();
    await settle();
    expect(ready).toBe(true);
    await shipper.ready();
    expect((await shipper.close()).sent).toBe(results.length);
  });

  it("tryLog() drops and counts entries while the queue is full", async () => {
    const { shipper, factory } = setup(
      { batchSize: 1, compress: false, maxQueuedBytes: 300 },
      () => "hold",
    );
    let accepted = 0;
    while (shipper.tryLog(entry(accepted))) accepted += 1;
    expect(shipper.tryLog(entry(-1))).toBe(false);
    expect(shipper.summary()).toMatchObject({
      entries: accepted + 2,
      dropped_by_reason: { "queue-full": 2 },
    });
    await settle();
    expect(factory.sockets[0]?.held).toBe(accepted);
    factory.sockets[0]?.release();
    await settle();
    expect(shipper.tryLog(entry(accepted))).toBe(true);
    const closing = shipper.close();
    await settle();
    factory.sockets[0]?.release();
    const summary = await closing;
    expect(summary).toMatchObject({ sent: accepted + 1, dropped: 2 });
  });

  it("sends a batch that alone reaches maxQueuedBytes instead of waiting", async () => {
    const { shipper, factory } = setup({ batchSize: 1000, maxQueuedBytes: 1000 });
    let accepted = 0;
    while (logged(shipper, entry(accepted))) accepted += 1;
    await shipper.flush();
    expect(factory.sockets[0]?.sent.length).toBeGreaterThan(0);
    expect(shipper.summary().flush_triggers.bytes).toBe(1);
    await shipper.ready();
  });

  it("close() is idempotent and bounded by drainTimeoutMs when the socket never calls back", async () => {
    const { shipper, clock, factory } = setup({ drainTimeoutMs: 2000 }, () => "never");
    for (let i = 0; i < 3; i++) shipper.log(entry(i));
    const first = shipper.close();
    expect(shipper.close()).toBe(first);
    let done = false;
    void first.then(() => {
      done = true;
    });
    await clock.advance(1999);
    expect(done).toBe(false);
    await clock.advance(1);
    const summary = await first;
    expect(summary).toMatchObject({
      entries: 3,
      sent: 0,
      dropped: 3,
      dropped_by_reason: { "shutdown-timeout": 3 },
      flush_triggers: { shutdown: 1 },
    });
    expect(factory.sockets[0]?.closed).toBe(true);
    expect(clock.pending).toBe(0);
    expect(await shipper.close()).toEqual(summary);
  });

  it("counts entries logged after close() as dropped", async () => {
    const { shipper } = setup();
    await shipper.close();
    await expect(shipper.log(entry(0))).rejects.toMatchObject({
      code: "shipper.entryDropped",
      reason: "closed",
    });
    expect(shipper.summary()).toMatchObject({ entries: 1, dropped_by_reason: { closed: 1 } });
  });

  it("counts an entry JSON cannot serialize", async () => {
    const { shipper } = setup();
    shipper.log({ big: 1n });
    const summary = await shipper.close();
    expect(summary).toMatchObject({
      entries: 1,
      dropped_by_reason: { unserializable: 1 },
      batches: 0,
    });
  });

  it("fragments a single entry too large for a datagram and counts it once", async () => {
    const { shipper, received } = setup({ compress: false, maxDatagramBytes: 1000 });
    shipper.log({ n: 0, message: "x".repeat(5000) });
    const summary = await shipper.close();
    expect(summary).toMatchObject({ sent: 1, fragmented: 1, batches: 1 });
    expect(summary.datagrams).toBeGreaterThan(5);
    expect(received()).toMatchObject([{ n: 0, message: "x".repeat(5000) }]);
  });

  it("truncates in unsequenced mode and drops what cannot be truncated (oversize)", async () => {
    const { shipper, received } = setup({
      sequenced: false,
      compress: false,
      maxDatagramBytes: 200,
    });
    shipper.log({ n: 0, message: "y".repeat(1000) });
    shipper.log({ n: 1, data: "z".repeat(1000) });
    const summary = await shipper.close();
    expect(summary).toMatchObject({
      entries: 2,
      sent: 1,
      truncated: 1,
      dropped_by_reason: { oversize: 1 },
    });
    expect(received()).toMatchObject([{ n: 0, truncated: true }]);
  });

  it("reconnects when a new lookup gives another address", async () => {
    let address = "10.0.0.1";
    const { shipper, clock, factory } = setup({
      batchSize: 1,
      lookup: async () => ({ address, family: 4 }),
    });
    shipper.log(entry(0));
    await settle();
    address = "10.0.0.2";
    await clock.advance(30_000);
    shipper.log(entry(1));
    await shipper.close();
    expect(factory.sockets.map((s) => [s.connectedTo?.address, s.sent.length])).toEqual([
      ["10.0.0.1", 1],
      ["10.0.0.2", 1],
    ]);
  });

  it("signs every datagram when given a key", async () => {
    const key = new TextEncoder().encode("secret");
    const { shipper, factory, clock } = setup({ key, batchSize: 2 });
    for (let i = 0; i < 4; i++) shipper.log(entry(i));
    await shipper.close();
    const sent = factory.sockets[0]?.sent ?? [];
    expect(sent).toHaveLength(2);
    const verifying = createDecoder({ now: () => clock.now(), keys: [key] });
    expect(sent.flatMap((d) => verifying.decode(d).entries)).toHaveLength(4);
    const wrongKey = createDecoder({ now: () => clock.now(), keys: [new Uint8Array([1])] });
    expect(sent.map((d) => wrongKey.decode(d).rejected)).toEqual([
      "unauthenticated",
      "unauthenticated",
    ]);
  });

  it.each([
    [{ targetPort: 0 }, /targetPort/],
    [{ targetHost: "" }, /targetHost/],
    [{ maxDatagramBytes: 10 }, /maxDatagramBytes/],
    [{ maxRetries: -1 }, /maxRetries/],
    [{ batchSize: 0 }, /batchSize/],
    [{ maxQueuedBytes: 0 }, /maxQueuedBytes/],
    [{ sequenced: false, key: new Uint8Array(4) }, /key/],
  ])("rejects %j naming the option", (bad, message) => {
    expect(() => setup(bad as Partial<ShipperOptions>)).toThrow(message);
  });
});

describe("logJson", () => {
  it("sends serialized entries as given, in order with log()'s, through the same batches", async () => {
    const { shipper, received, factory } = setup({ batchSize: 3 });
    expect(shipper.logJson('{"n":0,"big":12345678901234567890}', "INFO")).toBe(true);
    expect(logged(shipper, entry(1))).toBe(true);
    expect(shipper.logJson('{"n":2}', undefined)).toBe(true);
    await settle();
    expect(factory.sockets[0]?.sent).toHaveLength(1);
    const decoder = createDecoder({ now: () => 0 });
    const sent = factory.sockets[0]?.sent[0] ?? new Uint8Array();
    expect(decoder.decode(sent).entries[0]).toBe('{"n":0,"big":12345678901234567890}');
    const summary = await shipper.close();
    expect(received().map((e) => e.n)).toEqual([0, 1, 2]);
    expect(summary).toMatchObject({ entries: 3, sent: 3, flush_triggers: { size: 1 } });
  });

  it("flushes at the flush level and pauses above maxQueuedBytes like log()", async () => {
    const { shipper, factory } = setup(
      { flushLevel: "ERROR", compress: false, maxQueuedBytes: 100 },
      () => "hold",
    );
    const json = (n: number) => JSON.stringify({ n, message: "x".repeat(50) });
    expect(shipper.logJson(json(0), "INFO")).toBe(true);
    expect(shipper.logJson(json(1), "CRITICAL")).toBe(false);
    expect(shipper.summary().flush_triggers).toMatchObject({ level: 1 });
    await settle();
    factory.sockets[0]?.release();
    await shipper.ready();
    expect((await shipper.close()).sent).toBe(2);
  });

  it("takes the byte length it is given instead of measuring", async () => {
    const { shipper } = setup({ batchBytes: 100 });
    shipper.logJson('{"n":0}', "INFO", 150);
    expect(shipper.summary().flush_triggers).toMatchObject({ bytes: 1 });
    shipper.logJson('{"n":1}', "INFO");
    expect(shipper.summary().flush_triggers).toMatchObject({ bytes: 1 });
    expect((await shipper.close()).sent).toBe(2);
  });

  it("counts entries given after close() as dropped", async () => {
    const { shipper } = setup();
    await shipper.close();
    expect(shipper.logJson('{"n":0}', "INFO")).toBe(false);
    expect(shipper.summary()).toMatchObject({ entries: 1, dropped_by_reason: { closed: 1 } });
  });
});

describe("batches split off the main thread", () => {
  afterEach(() => {
    splitting.fail = false;
    splitting.hold = false;
    splitting.held.length = 0;
  });
  /** Ten of these make a batch that goes off the main thread. */
  const big = (n: number) => ({ n, level: "INFO", message: `${n} `.repeat(600) });
  const seqOf = (datagram: Uint8Array) => {
    const frame = decodeFrame(datagram);
    return frame.ok ? frame.value.seq : undefined;
  };

  function heldSetup(options: Partial<ShipperOptions> = {}, behave?: () => SendBehaviour) {
    splitting.hold = true;
    splitting.held.length = 0;
    const made = setup(options, behave);
    return {
      ...made,
      /** Lets the held splits finish, in the order given (indexes in split order). */
      finish: async (...order: number[]) => {
        const held = [...splitting.held];
        for (const i of order) held[i]?.();
        await settle();
      },
    };
  }

  it("numbers and sends batches in batch order whatever order their splits finish in", async () => {
    const { shipper, factory, received, finish } = heldSetup();
    expect(JSON.stringify(Array.from({ length: 10 }, (_, i) => big(i))).length).toBeGreaterThan(
      OFF_THREAD_MIN_BYTES,
    );
    for (let i = 0; i < 30; i++) shipper.log(big(i));
    await settle();
    expect(splitting.held).toHaveLength(3);
    const sent = () => factory.sockets[0]?.sent ?? [];
    await finish(2);
    expect(sent()).toHaveLength(0);
    await finish(0);
    expect(sent().map(seqOf)).toEqual([0]);
    await finish(1);
    expect(sent().map(seqOf)).toEqual([0, 1, 2]);
    const summary = await shipper.close();
    expect(received().map((e) => e.n)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(summary).toMatchObject({ entries: 30, sent: 30, dropped: 0, batches: 3 });
  });

  it("holds the caller back while the thread starts, and lets it go once it runs", async () => {
    splitting.slowStart = true;
    splitting.started = 0;
    try {
      const { shipper, factory } = setup({ batchSize: 10 });
      const accepted = Array.from({ length: 10 }, (_, i) =>
        shipper.logJson(JSON.stringify(big(i)), "INFO"),
      );
      expect(accepted).toEqual([...Array(9).fill(true), false]);
      let ready = false;
      void shipper.ready().then(() => {
        ready = true;
      });
      await settle();
      expect(ready).toBe(false);
      splitting.online();
      await settle();
      expect(ready).toBe(true);
      expect(shipper.logJson(JSON.stringify(big(10)), "INFO")).toBe(true);
      await shipper.close();
      expect(factory.sockets[0]?.sent.length).toBeGreaterThan(0);
    } finally {
      splitting.slowStart = false;
    }
  });

  it("has no splitting thread with compressThread false: every batch is encoded at once", async () => {
    splitting.made = 0;
    const { shipper, factory } = heldSetup({ compressThread: false });
    await shipper.start?.();
    for (let i = 0; i < 30; i++) shipper.log(big(i));
    expect(splitting.made).toBe(0);
    expect(splitting.held).toHaveLength(0);
    await settle();
    expect(factory.sockets[0]?.sent).toHaveLength(3);
    expect((await shipper.close()).sent).toBe(30);
  });

  it("start() starts the splitting thread when batches are compressed, and only then", async () => {
    splitting.made = 0;
    splitting.started = 0;
    const compressed = setup();
    await compressed.shipper.start?.();
    expect([splitting.made, splitting.started]).toEqual([1, 1]);
    const plain = setup({ compress: false });
    await plain.shipper.start?.();
    expect([splitting.made, splitting.started]).toEqual([1, 1]);
    await compressed.shipper.close();
    await plain.shipper.close();
  });

  it("keeps a small batch behind a batch still splitting", async () => {
    const { shipper, factory, finish } = heldSetup();
    for (let i = 0; i < 10; i++) shipper.log(big(i));
    for (let i = 10; i < 20; i++) shipper.log(entry(i));
    await settle();
    expect(splitting.held).toHaveLength(2);
    await finish(1);
    expect(factory.sockets[0]?.sent ?? []).toHaveLength(0);
    await finish(0);
    expect((factory.sockets[0]?.sent ?? []).map(seqOf)).toEqual([0, 1]);
    expect((await shipper.close()).sent).toBe(20);
  });

  it("flush() and close() wait for batches still splitting; nothing lost or counted twice", async () => {
    const { shipper, finish, received } = heldSetup();
    for (let i = 0; i < 15; i++) shipper.log(big(i));
    let flushed = false;
    void shipper.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(flushed).toBe(false);
    await finish(0, 1);
    expect(flushed).toBe(true);
    for (let i = 15; i < 25; i++) shipper.log(big(i));
    let closed = false;
    const closing = shipper.close().then((summary) => {
      closed = true;
      return summary;
    });
    await settle();
    expect(closed).toBe(false);
    await finish(2);
    const summary = await closing;
    expect(summary).toMatchObject({ entries: 25, sent: 25, dropped: 0, batches: 3 });
    expect(received().map((e) => e.n)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it("drainTimeoutMs bounds close() when a split never finishes, counting its entries once", async () => {
    const { shipper, clock, factory, finish } = heldSetup({ drainTimeoutMs: 2000 });
    for (let i = 0; i < 10; i++) shipper.log(big(i));
    const closing = shipper.close();
    await clock.advance(2000);
    const summary = await closing;
    expect(summary).toMatchObject({
      entries: 10,
      sent: 0,
      dropped: 10,
      dropped_by_reason: { "shutdown-timeout": 10 },
    });
    // A split that finishes afterwards changes nothing.
    await finish(0);
    expect(factory.sockets[0]?.sent ?? []).toHaveLength(0);
    expect(shipper.summary()).toEqual(summary);
    expect(clock.pending).toBe(0);
  });

  it("counts the entries of a batch whose split fails as encode-failed, and sends the next", async () => {
    const { shipper, factory, received } = setup();
    splitting.fail = true;
    for (let i = 0; i < 10; i++) shipper.log(big(i));
    await settle();
    splitting.fail = false;
    for (let i = 10; i < 20; i++) shipper.log(big(i));
    const summary = await shipper.close();
    expect(summary).toMatchObject({
      entries: 20,
      sent: 10,
      dropped: 10,
      dropped_by_reason: { "encode-failed": 10 },
      send_errors: 0,
    });
    expect(summary.dropped_by_reason["send-failed"]).toBeUndefined();
    expect(factory.sockets[0]?.sent).toHaveLength(1);
    expect(received().map((e) => e.n)).toEqual(Array.from({ length: 10 }, (_, i) => i + 10));
  });

  it("counts batches waiting for their split in the backpressure bound", async () => {
    const { shipper, finish } = heldSetup({ maxQueuedBytes: 25_000 });
    const accepted: boolean[] = [];
    for (let i = 0; i < 30; i++) accepted.push(logged(shipper, big(i)));
    expect(accepted.slice(0, 10).every(Boolean)).toBe(true);
    expect(accepted.at(-1)).toBe(false);
    expect(shipper.queuedBytes?.()).toBeGreaterThan(25_000);
    let ready = false;
    void shipper.ready().then(() => {
      ready = true;
    });
    await settle();
    expect(ready).toBe(false);
    await finish(0, 1, 2);
    expect(ready).toBe(true);
    expect((await shipper.close()).sent).toBe(30);
  });
});
