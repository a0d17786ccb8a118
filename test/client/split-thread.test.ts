/**
 * The splitting thread with its real worker: the program built into dist/
 * (the global setup builds it before any test runs).
 */
import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { SplitThread } from "../../src/client/split-thread.js";
import {
  BatchEncoder,
  type EncodedMessage,
  type EncodeResult,
  type EncoderOptions,
} from "../../src/wire/send/encoder.js";
import type { SplitResult } from "../../src/wire/send/splitter.js";
import { toHex, utf8 } from "../fixtures/hex.js";

const WORKER = new URL("../../dist/client/split-worker.js", import.meta.url);
const STREAM = utf8("stream-1");

const threads: SplitThread[] = [];
afterEach(async () => {
  for (const thread of threads.splice(0)) await thread.close();
});

function thread(maxPending: number, workerUrl = WORKER): SplitThread {
  const made = new SplitThread({ maxPending, workerUrl });
  threads.push(made);
  return made;
}

/** Batches that go through every way of cutting: whole, halves, a fragment, a truncation. */
const BATCHES: string[][] = (() => {
  const line = (n: number, size: number) =>
    JSON.stringify({ n, level: "INFO", message: `${n}:${"abcdefghij".repeat(size / 10)}` });
  const noise = (n: number, bytes: number) =>
    JSON.stringify({ n, message: randomBytes(bytes).toString("base64") });
  return [
    Array.from({ length: 100 }, (_, i) => line(i, 100)),
    Array.from({ length: 40 }, (_, i) => noise(i, 300)),
    [line(0, 20), noise(1, 3000), line(2, 20)],
    Array.from({ length: 7 }, (_, i) => line(i, 300)),
  ];
})();

/** encodeWith() as a promise; the promises of earlier calls settle first. */
function encodeAsync(encoder: BatchEncoder, entryJsons: readonly string[]): Promise<EncodeResult> {
  return new Promise((resolve, reject) => {
    encoder.encodeWith(entryJsons, (error, result) =>
      result !== undefined ? resolve(result) : reject(error),
    );
  });
}

const described = (messages: readonly EncodedMessage[]) =>
  messages.map((m) => ({ ...m, datagrams: m.datagrams.map(toHex) }));

describe("SplitThread", () => {
  it.each<[string, EncoderOptions]>([
    [
      "sequenced, compressed",
      { compress: true, sequenced: true, stream: STREAM, maxDatagramBytes: 1400 },
    ],
    [
      "signed",
      { compress: true, sequenced: true, stream: STREAM, key: utf8("k"), maxDatagramBytes: 900 },
    ],
    ["unsequenced", { compress: true, sequenced: false, maxDatagramBytes: 1000 }],
  ])(
    "gives byte for byte what encode() gives (%s), several batches at once",
    async (_name, options) => {
      // maxPending 2: the third and fourth batches are split here and finish first.
      const splitter = thread(2);
      const encoder = new BatchEncoder({ ...options, splitAsync: splitter.split });
      const expected = new BatchEncoder(options);
      const want = BATCHES.map((batch) => expected.encode(batch));
      const calls = BATCHES.map((batch) => encodeAsync(encoder, batch));
      expect(splitter.pending).toBe(2);
      const got = await Promise.all(calls);
      expect(got.map((r) => described(r.messages))).toEqual(want.map((r) => described(r.messages)));
      expect(got.map((r) => r.dropped)).toEqual(want.map((r) => r.dropped));
      expect(splitter.pending).toBe(0);
      const messages = want.flatMap((r) => r.messages);
      expect(messages.some((m) => m.fragmented || m.truncated > 0)).toBe(true);
      expect(want[1]?.messages.length).toBeGreaterThan(1);
    },
  );

  it("gives byte for byte what encode() gives for batches handed over in one turn and later", async () => {
    const options = { compress: true, sequenced: true, stream: STREAM, maxDatagramBytes: 1400 };
    const splitter = thread(16);
    const encoder = new BatchEncoder({ ...options, splitAsync: splitter.split });
    const expected = new BatchEncoder(options);
    const want = [...BATCHES, ...BATCHES].map((batch) => expected.encode(batch));
    // The first three batches go over together, the rest one turn at a time.
    const calls = BATCHES.slice(0, 3).map((batch) => encodeAsync(encoder, batch));
    for (const batch of [...BATCHES.slice(3), ...BATCHES]) {
      await Promise.resolve();
      calls.push(encodeAsync(encoder, batch));
    }
    expect(splitter.pending).toBe(8);
    const got = await Promise.all(calls);
    expect(got.map((r) => described(r.messages))).toEqual(want.map((r) => described(r.messages)));
    expect(splitter.pending).toBe(0);
  });

  it("splits on the calling thread, at once, when the worker's program is missing", () => {
    const splitter = thread(4, new URL("./no-such-worker.js", import.meta.url));
    const results: SplitResult[] = [];
    const settings = { compress: true, sequenced: true, room: 1000, sliceRoom: 900 };
    splitter.split(['{"a":1}'], undefined, settings, 6, (_error, result) => {
      if (result !== undefined) results.push(result);
    });
    expect(results).toHaveLength(1);
    expect(splitter.pending).toBe(0);
  });

  it("close() fails the batches the worker holds; later ones are split here", async () => {
    const splitter = thread(4);
    const settings = { compress: true, sequenced: true, room: 1000, sliceRoom: 900 };
    const told: string[] = [];
    splitter.split(['{"a":1}'], undefined, settings, 6, (error) =>
      told.push(error?.message ?? "parts"),
    );
    expect(splitter.pending).toBe(1);
    await splitter.close();
    expect(told).toEqual(["the splitting thread was closed"]);
    splitter.split(['{"a":2}'], [7], settings, 6, (error) => told.push(error?.message ?? "parts"));
    expect(told).toEqual(["the splitting thread was closed", "parts"]);
  });

  it("start() resolves once the worker runs, which then takes the next batch", async () => {
    const splitter = thread(4);
    await splitter.start();
    await splitter.start();
    const settings = { compress: true, sequenced: true, room: 1000, sliceRoom: 900 };
    const result = new Promise<SplitResult | undefined>((resolve) =>
      splitter.split(['{"a":1}'], undefined, settings, 6, (_error, split) => resolve(split)),
    );
    expect(splitter.pending).toBe(1);
    expect((await result)?.parts).toHaveLength(1);
  });

  it("start() resolves when the worker cannot run; batches are then split here", async () => {
    const splitter = thread(4, new URL("./no-such-worker.js", import.meta.url));
    await splitter.start();
    const settings = { compress: true, sequenced: true, room: 1000, sliceRoom: 900 };
    splitter.split(['{"a":1}'], undefined, settings, 6, () => {});
    expect(splitter.pending).toBe(0);
  });

  it("rejects a maxPending below 1", () => {
    expect(() => new SplitThread({ maxPending: 0 })).toThrow(TypeError);
  });
});

describe("a splitting thread starting", () => {
  it("is starting from its first batch until it runs, then says so once", async () => {
    let online = 0;
    const made = new SplitThread({ maxPending: 4, workerUrl: WORKER, onOnline: () => online++ });
    threads.push(made);
    expect(made.starting).toBe(false);
    const settings = { compress: true, sequenced: true, room: 60_000, sliceRoom: 60_000 };
    const done = new Promise<SplitResult | undefined>((resolve) =>
      made.split(['{"a":1}'], undefined, settings, 3, (_error, result) => resolve(result)),
    );
    expect(made.starting).toBe(true);
    expect(online).toBe(0);
    await made.start();
    expect(made.starting).toBe(false);
    expect(online).toBe(1);
    expect((await done)?.parts).toHaveLength(1);
    expect(online).toBe(1);
  });

  it("is never starting when its program is missing", async () => {
    const made = thread(4, new URL("file:///nonexistent/split-worker.js"));
    expect(await made.start()).toBeUndefined();
    expect(made.starting).toBe(false);
  });
});
