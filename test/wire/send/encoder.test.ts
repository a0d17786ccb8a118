import { randomBytes } from "node:crypto";
import { inflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import * as compression from "../../../src/wire/compression.js";
import { DEFAULT_MAX_DECOMPRESSED_BYTES, Flag } from "../../../src/wire/constants.js";
import { decodeFrame } from "../../../src/wire/frame.js";
import { Reassembler } from "../../../src/wire/receive/reassembler.js";
import { packEntries, packedEntries } from "../../../src/wire/send/batch-entries.js";
import {
  BatchEncoder,
  cutUtf8,
  type EncodedMessage,
  type EncodeResult,
  type EncoderOptions,
  type SplitRunner,
} from "../../../src/wire/send/encoder.js";
import { splitEntriesSync, splitSync } from "../../../src/wire/send/split-runners.js";
import { MAX_BATCH_PAYLOAD_BYTES, type SplitResult } from "../../../src/wire/send/splitter.js";
import { hex, toHex, utf8 } from "../../fixtures/hex.js";

vi.mock(import("../../../src/wire/compression.js"), async (original) => {
  const actual = await original();
  return { ...actual, compress: vi.fn(actual.compress) };
});

const STREAM = hex("0011223344556677");
const SEQUENCED: EncoderOptions = {
  compress: true,
  sequenced: true,
  stream: STREAM,
  maxDatagramBytes: 65_507,
};

/** Decodes datagrams the way a receiver does, with no help from the encoder's metadata. */
function decodeAll(datagrams: readonly Uint8Array[]): string[] {
  const reassembler = new Reassembler({ now: () => 0, maxMessageBytes: 2 ** 30 });
  const entries: string[] = [];
  const take = (payload: Uint8Array, compressed: boolean) => {
    const text = Buffer.from(compressed ? inflateSync(payload) : payload).toString("utf8");
    const parsed = JSON.parse(text) as unknown[];
    for (const entry of parsed) entries.push(JSON.stringify(entry));
  };
  for (const datagram of datagrams) {
    if (datagram[0] !== 0xcb) {
      take(datagram, false);
      continue;
    }
    const result = decodeFrame(datagram);
    if (!result.ok) throw new Error(`bad datagram: ${result.reason}`);
    const frame = result.value;
    const compressed = (frame.flags & Flag.COMPRESSED) !== 0;
    if (frame.fragmentCount === undefined) {
      take(frame.payload, compressed);
      continue;
    }
    const key = `${toHex(frame.stream ?? new Uint8Array())}:${frame.seq}`;
    const index = frame.fragmentIndex ?? 0;
    const added = reassembler.add(key, frame.flags, index, frame.fragmentCount, frame.payload);
    if (added.status === "complete") take(added.payload, compressed);
    else if (added.status !== "pending") throw new Error(`fragment ${added.status}`);
  }
  return entries;
}

function datagramsOf(messages: readonly EncodedMessage[]): Uint8Array[] {
  return messages.flatMap((m) => m.datagrams);
}

/** An entry whose JSON is exactly `bytes` long, with incompressible text. */
function entryOfSize(bytes: number, seed: number): string {
  const prefix = `{"n":${seed},"m":"`;
  const text = randomBytes(bytes)
    .toString("base64")
    .slice(0, bytes - prefix.length - 2);
  const json = `${prefix}${text}"}`;
  expect(Buffer.byteLength(json)).toBe(bytes);
  return json;
}

describe("BatchEncoder golden bytes", () => {
  it("unsequenced, compressed: exactly the original shipper's CB F2 01 + zlib", () => {
    const encoder = new BatchEncoder({
      compress: true,
      sequenced: false,
      maxDatagramBytes: 65_507,
    });
    const { messages } = encoder.encode(['{"a":1}']);
    expect(messages.map((m) => m.datagrams.map(toHex))).toEqual([
      ["cbf201789c8bae564a54b232ac8d05000dc402c1"],
    ]);
    expect(messages[0]).toMatchObject({ seq: undefined, compressed: true, payloadBytes: 9 });
  });

  it("unsequenced, uncompressed: the bare JSON array, no header", () => {
    const encoder = new BatchEncoder({ compress: false, sequenced: false, maxDatagramBytes: 1000 });
    const { messages } = encoder.encode(['{"a":1}', '{"b":"é"}']);
    expect(messages.map((m) => m.datagrams.map(toHex))).toEqual([
      [toHex(utf8('[{"a":1},{"b":"é"}]'))],
    ]);
  });

  it("sequenced: stream, big-endian seq, COMPRESSED only when smaller", () => {
    const encoder = new BatchEncoder({ ...SEQUENCED, firstSeq: 0x01020304 });
    const entry = '{"level":"INFO","message":"hello hello hello hello hello hello"}';
    const small = encoder.encode(['{"a":1}']).messages;
    const large = encoder.encode([entry, entry]).messages;
    expect(toHex(small[0]?.datagrams[0] ?? new Uint8Array())).toBe(
      "cbf202" + "0011223344556677" + "01020304" + "5b7b2261223a317d5d",
    );
    expect(toHex(large[0]?.datagrams[0] ?? new Uint8Array())).toBe(
      "cbf203" +
        "0011223344556677" +
        "01020305" +
        "789c8bae56ca492d4bcd51b252f2f473f357d251ca4d2d2e4e4c4f55b252ca48cdc9c957c04b2ad5ea506a402c004f952cb7",
    );
    expect(small[0]?.compressed).toBe(false);
    expect(large[0]?.compressed).toBe(true);
  });

  it("sequenced and signed: the tag over every byte before it", () => {
    const encoder = new BatchEncoder({ ...SEQUENCED, firstSeq: 0x01020304, key: utf8("k3y") });
    const { messages } = encoder.encode(['{"a":1}']);
    expect(toHex(messages[0]?.datagrams[0] ?? new Uint8Array())).toBe(
      "cbf20a0011223344556677010203045b7b2261223a317d5d4b676b95a9468a27bac4004102764713",
    );
  });
});

describe("BatchEncoder splitting", () => {
  const entrySize = 100;
  const entries = Array.from({ length: 8 }, (_, i) => entryOfSize(entrySize, i));
  /** Largest datagram that holds `k` of the entries, sequenced (15 header bytes). */
  const fitting = (k: number) => 15 + k * (entrySize + 1) + 1;

  it.each([
    [0, fitting(8), 1],
    [1, fitting(8) - 1, 2],
    [1, fitting(4), 2],
    [2, fitting(4) - 1, 4],
    [3, fitting(2) - 1, 8],
  ])("cuts %d time(s) in halves when the max is %d bytes", (_levels, max, datagrams) => {
    for (const sequenced of [true, false]) {
      const maxDatagramBytes = sequenced ? max : max - 15;
      const encoder = new BatchEncoder({
        compress: false,
        sequenced,
        maxDatagramBytes,
        ...(sequenced ? { stream: STREAM } : {}),
      });
      const { messages, dropped } = encoder.encode(entries);
      expect(dropped).toEqual([]);
      expect(messages).toHaveLength(datagrams);
      for (const m of messages) {
        expect(m.datagrams).toHaveLength(1);
        expect(m.datagrams[0]?.length).toBeLessThanOrEqual(maxDatagramBytes);
        expect(m.entries).toBe(8 / datagrams);
        // Self-contained: each datagram alone decodes to its own entries.
        expect(decodeAll(m.datagrams)).toHaveLength(m.entries);
      }
      expect(decodeAll(datagramsOf(messages))).toEqual(entries);
      const seqs = messages.map((_, i) => (sequenced ? i : undefined));
      expect(messages.map((m) => m.seq)).toEqual(seqs);
    }
  });

  it("cuts a compressible batch into self-contained datagrams under a small max", () => {
    const batch = Array.from({ length: 1000 }, (_, i) =>
      JSON.stringify({ level: "INFO", message: `user u${i} logged in`, service: "api", n: i }),
    );
    for (const sequenced of [true, false]) {
      const encoder = new BatchEncoder({ ...SEQUENCED, sequenced, maxDatagramBytes: 1400 });
      const { messages } = encoder.encode(batch);
      expect(messages.length).toBeGreaterThan(1);
      for (const m of messages) {
        expect(m.datagrams[0]?.length).toBeLessThanOrEqual(1400);
        expect(m.compressed).toBe(true);
        const alone = decodeAll(m.datagrams);
        expect(alone).toHaveLength(m.entries);
      }
      expect(decodeAll(datagramsOf(messages))).toEqual(batch);
    }
  });

  it("sends the entries as they are when the sizes given with them are wrong", () => {
    const batch = ['{"m":"é"}', '{"m":"a"}', '{"m":"日本"}'];
    const right = batch.map((e) => Buffer.byteLength(e));
    for (const sizes of [right, right.map((n) => n - 1), right.map((n) => n + 3), [0, 0, 0]]) {
      for (const compress of [true, false]) {
        const encoder = new BatchEncoder({ ...SEQUENCED, compress });
        const { messages } = encoder.encode(batch, sizes);
        expect(messages).toHaveLength(1);
        expect(decodeAll(datagramsOf(messages))).toEqual(batch);
      }
    }
  });

  it("sends the whole text when the sizes undercount it by a character that would not fit", () => {
    // 16 ASCII bytes, then "é" (2 bytes): sizes 9 + 6 make room for exactly 16.
    const batch = ['{"m":"a"}', '{"m":"é"}'];
    for (const sequenced of [true, false]) {
      const options = { compress: false, sequenced, maxDatagramBytes: 65_507 };
      const encoder = new BatchEncoder(sequenced ? { ...options, stream: STREAM } : options);
      const { messages } = encoder.encode(batch, [9, 6]);
      expect(decodeAll(datagramsOf(messages))).toEqual(batch);
    }
  });

  it("does not compress the whole batch again at every level of halving", () => {
    const spy = vi.mocked(compression.compress);
    const batch = Array.from({ length: 4096 }, (_, i) =>
      JSON.stringify({ message: randomBytes(24).toString("hex"), n: i }),
    );
    const rawBytes = batch.reduce((sum, e) => sum + Buffer.byteLength(e) + 1, 1);
    spy.mockClear();
    const encoder = new BatchEncoder({ ...SEQUENCED, maxDatagramBytes: 1400 });
    const { messages } = encoder.encode(batch);
    const compressedBytes = spy.mock.calls.reduce((sum, [data]) => sum + data.length, 0);
    // Halving with a compression at every level would compress about 12 x rawBytes here.
    expect(compressedBytes).toBeLessThan(4 * rawBytes);
    expect(decodeAll(datagramsOf(messages))).toEqual(batch);
  });
});

describe("BatchEncoder fragments", () => {
  const megabyte = randomBytes(750_000).toString("base64"); // 1,000,000 characters
  const entry = JSON.stringify({ message: megabyte });

  it.each([false, true])(
    "cuts a 1 MB entry into fragments of at most 1400 bytes (compress %s)",
    (compress) => {
      const encoder = new BatchEncoder({ ...SEQUENCED, compress, maxDatagramBytes: 1400 });
      const { messages, dropped } = encoder.encode(['{"before":1}', entry, '{"after":1}']);
      expect(dropped).toEqual([]);
      expect(messages.map((m) => m.fragmented)).toEqual([false, true, false]);
      const fragmented = messages[1] as EncodedMessage;
      const payloads = fragmented.datagrams.map((d) => {
        const frame = decodeFrame(d);
        if (!frame.ok) throw new Error(frame.reason);
        expect(frame.value.seq).toBe(1);
        return frame.value.payload;
      });
      const joined = Buffer.concat(payloads);
      const text = compress ? inflateSync(joined) : joined;
      expect(text.toString()).toBe(`[${entry}]`);
      const sliceRoom = 1400 - 19;
      expect(fragmented.datagrams).toHaveLength(Math.ceil(joined.length / sliceRoom));
      for (const d of fragmented.datagrams.slice(0, -1)) expect(d.length).toBe(1400);
      expect(fragmented.datagrams.at(-1)?.length).toBeLessThanOrEqual(1400);
      expect(fragmented).toMatchObject({
        entries: 1,
        compressed: compress,
        payloadBytes: entry.length + 2,
      });
      expect(messages.map((m) => m.seq)).toEqual([0, 1, 2]);
      expect(decodeAll(datagramsOf(messages))).toEqual(['{"before":1}', entry, '{"after":1}']);
    },
  );

  it("keeps each signed fragment within the max", () => {
    const encoder = new BatchEncoder({ ...SEQUENCED, key: utf8("k"), maxDatagramBytes: 1400 });
    const { messages } = encoder.encode([entry]);
    for (const d of messages[0]?.datagrams ?? []) {
      expect(d.length).toBeLessThanOrEqual(1400);
      expect(d[2]).toBe(Flag.SEQUENCED | Flag.FRAGMENT | Flag.SIGNED | Flag.COMPRESSED);
    }
  });

  it("drops an entry that would need more than 4096 fragments, without using a seq", () => {
    // 181 payload bytes per fragment at max 200: 4096 fragments hold 741,376 bytes.
    const encoder = new BatchEncoder({ ...SEQUENCED, compress: false, maxDatagramBytes: 200 });
    const { messages, dropped } = encoder.encode([entry, '{"a":1}']);
    expect(dropped).toEqual([{ entries: 1, reason: "oversize" }]);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.seq).toBe(0);
    expect(encoder.nextSeq).toBe(1);
  });
});

describe("BatchEncoder truncation (unsequenced)", () => {
  /** Incompressible text mixing 1-, 2- and 4-byte UTF-8 code points. */
  const message = [...randomBytes(600)]
    .map((b) => ["é", "😀", "a", "ß"][b % 4] + (b >> 2).toString(36))
    .join("");
  const entry = JSON.stringify({ level: "INFO", message, service: "svc" });

  it.each([false, true])(
    "cuts `message` on a code point boundary to fit (compress %s)",
    (compress) => {
      const max = 200;
      const encoder = new BatchEncoder({ compress, sequenced: false, maxDatagramBytes: max });
      const { messages, dropped } = encoder.encode(['{"a":1}', entry]);
      expect(dropped).toEqual([]);
      expect(messages.map((m) => m.truncated)).toEqual([0, 1]);
      const datagram = messages[1]?.datagrams[0] as Uint8Array;
      expect(datagram.length).toBeLessThanOrEqual(max);
      const [decoded] = decodeAll([datagram]).map((e) => JSON.parse(e));
      expect(decoded).toEqual({
        level: "INFO",
        message: decoded.message,
        service: "svc",
        truncated: true,
      });
      expect(decoded.message.length).toBeGreaterThan(0);
      expect(message.startsWith(decoded.message)).toBe(true);
      expect(decoded.message).not.toContain("\ufffd");
      if (!compress) {
        // The longest cut that fits: one more code point would not.
        const kept = [...decoded.message].length;
        const longer = { ...decoded, message: [...message].slice(0, kept + 1).join("") };
        expect(Buffer.byteLength(`[${JSON.stringify(longer)}]`)).toBeGreaterThan(max);
      }
    },
  );

  it("drops an entry that cannot fit even with an empty message", () => {
    const huge = JSON.stringify({ message: "m", metadata: { blob: "x".repeat(5000) } });
    const noMessage = JSON.stringify({ other: "y".repeat(5000) });
    const encoder = new BatchEncoder({ compress: false, sequenced: false, maxDatagramBytes: 200 });
    const { messages, dropped } = encoder.encode([huge, '{"a":1}', noMessage]);
    expect(dropped).toEqual([{ entries: 2, reason: "oversize" }]);
    expect(messages.map((m) => m.entries)).toEqual([1]);
  });

  it.each([
    ["aé", 2, "a"],
    ["aé", 3, "aé"],
    ["😀", 3, ""],
    ["😀b", 4, "😀"],
  ])("cutUtf8(%j, %d) = %j", (text, length, expected) => {
    expect(cutUtf8(Buffer.from(text), length)).toBe(expected);
  });
});

describe("BatchEncoder seq", () => {
  it("counts one seq per message and wraps after 2^32 - 1", () => {
    const encoder = new BatchEncoder({ ...SEQUENCED, firstSeq: 2 ** 32 - 2 });
    const seqs = [0, 1, 2].flatMap(() => encoder.encode(['{"a":1}']).messages.map((m) => m.seq));
    expect(seqs).toEqual([2 ** 32 - 2, 2 ** 32 - 1, 0]);
    expect(encoder.nextSeq).toBe(1);
  });

  it.each([
    ["a max below 64", { ...SEQUENCED, maxDatagramBytes: 63 }],
    ["a max above 65527", { ...SEQUENCED, maxDatagramBytes: 65_528 }],
    ["sequenced without a stream", { compress: true, sequenced: true, maxDatagramBytes: 1000 }],
    [
      "a key when not sequenced",
      { compress: true, sequenced: false, key: utf8("k"), maxDatagramBytes: 1000 },
    ],
    ["a firstSeq past 2^32 - 1", { ...SEQUENCED, firstSeq: 2 ** 32 }],
  ])("rejects %s", (_name, options) => {
    expect(() => new BatchEncoder(options as EncoderOptions)).toThrow(TypeError);
  });
});

describe("BatchEncoder property", () => {
  const entryArb = fc
    .record({
      level: fc.constantFrom("DEBUG", "INFO", "ERROR"),
      message: fc.string({ unit: "binary", maxLength: 3000 }),
      n: fc.integer(),
    })
    .map((e) => JSON.stringify(e));
  const modeArb = fc.record({
    sequenced: fc.boolean(),
    compress: fc.boolean(),
    signed: fc.boolean(),
  });

  it("fits every datagram and gives back the entries in order", () => {
    fc.assert(
      fc.property(
        fc.array(entryArb, { maxLength: 60 }),
        fc.integer({ min: 200, max: 65_507 }),
        modeArb,
        (entries, max, mode) => {
          const options: EncoderOptions = {
            compress: mode.compress,
            sequenced: mode.sequenced,
            maxDatagramBytes: max,
            ...(mode.sequenced ? { stream: STREAM } : {}),
            ...(mode.sequenced && mode.signed ? { key: utf8("key") } : {}),
          };
          const { messages, dropped } = new BatchEncoder(options).encode(entries);
          const datagrams = datagramsOf(messages);
          for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(max);
          const decoded = decodeAll(datagrams);
          if (mode.sequenced) {
            expect(dropped).toEqual([]);
            expect(decoded).toEqual(entries);
            return;
          }
          // Unsequenced: entries too large alone come back with a cut message, flagged.
          expect(dropped).toEqual([]);
          expect(decoded).toHaveLength(entries.length);
          decoded.forEach((got, i) => {
            if (got === entries[i]) return;
            const original = JSON.parse(entries[i] as string);
            const cut = JSON.parse(got);
            expect(cut.truncated).toBe(true);
            expect(original.message.startsWith(cut.message)).toBe(true);
            expect({ ...cut, message: original.message, truncated: undefined }).toEqual({
              ...original,
              truncated: undefined,
            });
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives back the same entries, every datagram within the max, whatever sizes come with them", () => {
    const wordArb = fc.constantFrom("a", "é", "日本", "🙂", " ", "\\", '"');
    const textEntryArb = fc
      .array(wordArb, { maxLength: 40 })
      .map((words) => JSON.stringify({ message: words.join("") }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(textEntryArb, fc.integer({ min: -5, max: 5 })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer({ min: 200, max: 2000 }),
        fc.boolean(),
        (given, max, compress) => {
          const entries = given.map(([entry]) => entry);
          const sizes = given.map(([entry, off]) => Math.max(0, Buffer.byteLength(entry) + off));
          const encoder = new BatchEncoder({ ...SEQUENCED, compress, maxDatagramBytes: max });
          const { messages, dropped } = encoder.encode(entries, sizes);
          const datagrams = datagramsOf(messages);
          for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(max);
          expect(dropped).toEqual([]);
          expect(decodeAll(datagrams)).toEqual(entries);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** encodeWith() as a promise; the promises of earlier calls settle first. */
function encodeAsync(
  encoder: BatchEncoder,
  entryJsons: readonly string[],
  entryBytes?: readonly number[],
): Promise<EncodeResult> {
  return new Promise((resolve, reject) => {
    encoder.encodeWith(
      entryJsons,
      (error, result) => (result !== undefined ? resolve(result) : reject(error)),
      entryBytes,
    );
  });
}

describe("BatchEncoder encodeWith", () => {
  const entryArb = fc
    .record({
      level: fc.constantFrom("DEBUG", "INFO", "ERROR"),
      message: fc.oneof(
        fc.string({ unit: "binary", maxLength: 3000 }),
        fc.string({ unit: "binary", maxLength: 3000, size: "max" }),
        fc.string({ unit: fc.constantFrom("a", "b", " "), maxLength: 8000, size: "max" }),
      ),
      n: fc.integer(),
    })
    .map((e) => JSON.stringify(e));
  const optionsArb = fc
    .record({
      max: fc.oneof(fc.integer({ min: 64, max: 1500 }), fc.integer({ min: 64, max: 65_507 })),
      compress: fc.boolean(),
      sequenced: fc.boolean(),
      signed: fc.boolean(),
      firstSeq: fc.constantFrom(0, 7, 2 ** 32 - 3),
      stream: fc.uint8Array({ minLength: 8, maxLength: 8 }),
    })
    .map(
      (o): EncoderOptions => ({
        compress: o.compress,
        sequenced: o.sequenced,
        maxDatagramBytes: o.max,
        ...(o.sequenced ? { stream: o.stream, firstSeq: o.firstSeq } : {}),
        ...(o.sequenced && o.signed ? { key: utf8("key") } : {}),
      }),
    );

  /** Everything a message carries, datagrams as hex so that a difference shows the bytes. */
  const described = (messages: readonly EncodedMessage[]) =>
    messages.map((m) => ({ ...m, datagrams: m.datagrams.map(toHex) }));

  it("gives byte for byte what encode() gives, batches split at once and finishing out of order", async () => {
    const seen = { split: 0, fragmented: 0, truncated: 0, dropped: 0, uncompressed: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(entryArb, { maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        optionsArb,
        fc.scheduler(),
        async (batches, options, s) => {
          const expected = new BatchEncoder(options);
          const want = batches.map((batch) => expected.encode(batch));
          // Each split answers later, in an order the scheduler picks, or at once.
          const later = s.scheduleFunction(async (split: () => SplitResult) => split());
          const splitAsync: SplitRunner = (jsons, sizes, settings, level, finish) => {
            const zip = (data: Uint8Array) => compression.compress(data, level);
            // Half the batches are split as the splitting thread splits them: packed.
            const packed = () => packedEntries(packEntries(jsons, sizes));
            const split = () =>
              jsons.length % 2 === 0
                ? splitSync(jsons, settings, zip, sizes)
                : splitEntriesSync(packed(), settings, zip);
            if (jsons.length % 3 === 0) finish(null, split());
            else void later(split).then((result) => finish(null, result));
          };
          const encoder = new BatchEncoder({ ...options, splitAsync });
          const settled: number[] = [];
          // Every other batch comes with its entries' sizes, which must change nothing.
          const sizesOf = (batch: string[], i: number) =>
            i % 2 === 0 ? batch.map((json) => Buffer.byteLength(json)) : undefined;
          const calls = batches.map((batch, i) =>
            encodeAsync(encoder, batch, sizesOf(batch, i)).then((result) => {
              settled.push(i);
              return result;
            }),
          );
          await s.waitAll();
          const got = await Promise.all(calls);
          expect(settled).toEqual(batches.map((_, i) => i));
          got.forEach((result, i) => {
            expect(described(result.messages)).toEqual(described(want[i]?.messages ?? []));
            expect(result.dropped).toEqual(want[i]?.dropped);
            const whole = result.messages.filter((m) => !m.fragmented && m.truncated === 0);
            if (whole.length > 1) seen.split++;
            if (result.messages.some((m) => m.fragmented)) seen.fragmented++;
            if (result.messages.some((m) => m.truncated > 0)) seen.truncated++;
            if (result.dropped.length > 0) seen.dropped++;
            if (options.compress && result.messages.some((m) => !m.compressed)) seen.uncompressed++;
          });
          expect(encoder.nextSeq).toBe(expected.nextSeq);
          expect(encoder.pending).toBe(0);
          for (const d of datagramsOf(got.flatMap((r) => r.messages))) {
            expect(d.length).toBeLessThanOrEqual(options.maxDatagramBytes);
          }
        },
      ),
      { numRuns: 100 },
    );
    // The runs went through every way a batch can be cut.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(0);
  });

  it("gives what encode() gives with the default split, on the calling thread", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { maxLength: 40 }),
        optionsArb,
        async (batch, options) => {
          const want = new BatchEncoder(options).encode(batch);
          const got = await encodeAsync(new BatchEncoder(options), batch);
          expect(described(got.messages)).toEqual(described(want.messages));
          expect(got.dropped).toEqual(want.dropped);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("compresses with the deflate it is given, in encode() and in encodeWith()'s own split", async () => {
    const levels: number[] = [];
    const deflate = (data: Uint8Array, level: number) => {
      levels.push(level);
      return compression.compress(data, level);
    };
    const batch = Array.from({ length: 50 }, (_, n) => JSON.stringify({ n, m: "again and again" }));
    const options = { ...SEQUENCED, compressionLevel: 4 };
    const want = described(new BatchEncoder(options).encode(batch).messages);
    expect(described(new BatchEncoder({ ...options, deflate }).encode(batch).messages)).toEqual(
      want,
    );
    const calls = levels.length;
    expect(calls).toBeGreaterThan(0);
    const got = await encodeAsync(new BatchEncoder({ ...options, deflate }), batch);
    expect(described(got.messages)).toEqual(want);
    expect(levels.length).toBeGreaterThan(calls);
    expect(new Set(levels)).toEqual(new Set([4]));
  });

  it("takes seqs in call order, refuses encode() meanwhile, and a failed split costs no seq", () => {
    const finish: (() => void)[] = [];
    const encoder = new BatchEncoder({
      ...SEQUENCED,
      splitAsync: (jsons, _sizes, settings, level, done) => {
        const bad = jsons.some((json) => json.includes("fail"));
        const split = () => splitSync(jsons, settings, (data) => compression.compress(data, level));
        finish.push(() => (bad ? done(new Error("zlib failed")) : done(null, split())));
      },
    });
    const told: string[] = [];
    const tell = (name: string) => (error: Error | null, result?: EncodeResult) =>
      told.push(`${name}:${error?.message ?? result?.messages.map((m) => m.seq).join(",")}`);
    encoder.encodeWith(['{"a":1}', '{"a":2}'], tell("first"));
    encoder.encodeWith(['{"fail":1}'], tell("failing"));
    encoder.encodeWith(['{"a":3}'], tell("third"));
    expect(encoder.pending).toBe(3);
    expect(() => encoder.encode(['{"a":4}'])).toThrow(/pending/);
    // The later splits finish first; they wait their turn, and take no seq meanwhile.
    finish[2]?.();
    finish[1]?.();
    expect(told).toEqual([]);
    expect(encoder.nextSeq).toBe(0);
    finish[0]?.();
    expect(told).toEqual(["first:0", "failing:zlib failed", "third:1"]);
    expect(encoder.pending).toBe(0);
    expect(encoder.encode(['{"a":4}']).messages.map((m) => m.seq)).toEqual([2]);
  });

  it("calls back before encodeWith() returns when the split answers at once", async () => {
    const encoder = new BatchEncoder({
      ...SEQUENCED,
      splitAsync: (jsons, _sizes, settings, level, done) =>
        done(
          null,
          splitSync(jsons, settings, (data) => compression.compress(data, level)),
        ),
    });
    const seqs: (number | undefined)[] = [];
    encoder.encodeWith(['{"a":1}'], (_error, result) => seqs.push(result?.messages[0]?.seq));
    expect(seqs).toEqual([0]);
    const result = await encodeAsync(encoder, ['{"a":2}']);
    expect(result.messages.map((m) => m.seq)).toEqual([1]);
  });
});

describe("BatchEncoder: the inflated size of a datagram", () => {
  it("cuts a batch whose JSON passes MAX_BATCH_PAYLOAD_BYTES, even when it compresses to fit", () => {
    const encoder = new BatchEncoder(SEQUENCED);
    // 20,000 copies of one entry: about 2 MB of JSON that deflates to a few KB.
    const entry = JSON.stringify({
      level: "INFO",
      message: "the same line, again and again".repeat(3),
    });
    const batch = Array.from({ length: 20_000 }, () => entry);
    const { messages } = encoder.encode(batch);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.payloadBytes).toBeLessThanOrEqual(MAX_BATCH_PAYLOAD_BYTES);
      expect(message.datagrams).toHaveLength(1);
    }
    expect(decodeAll(datagramsOf(messages))).toHaveLength(20_000);
    expect(MAX_BATCH_PAYLOAD_BYTES * 2).toBe(DEFAULT_MAX_DECOMPRESSED_BYTES);
  });
});
