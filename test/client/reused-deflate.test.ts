import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { reusedDeflate, threadDeflate } from "../../src/client/reused-deflate.js";

/** Text like a batch's JSON, repetitive enough to compress. */
const jsonish = fc
  .array(fc.string({ maxLength: 120 }), { maxLength: 60 })
  .map((lines) => Buffer.from(`[${lines.map((line) => JSON.stringify({ m: line })).join(",")}]`));

const anyBytes = fc.uint8Array({ maxLength: 5000 }).map((bytes) => Buffer.from(bytes));

describe("a zlib compressor that keeps its stream", () => {
  it("gives deflateSync's bytes for every input, call after call, at every level", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.array(fc.oneof(jsonish, anyBytes), { minLength: 1, maxLength: 8 }),
        (level, inputs) => {
          const deflate = reusedDeflate(level);
          for (const input of inputs) {
            expect(Buffer.from(deflate(input))).toEqual(deflateSync(input, { level }));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("grows its output for data that does not compress, and shrinks back after", () => {
    const deflate = reusedDeflate(3);
    const noise = randomBytes(700 * 1024);
    const small = Buffer.from('[{"m":"after a large one"}]');
    expect(Buffer.from(deflate(noise))).toEqual(deflateSync(noise, { level: 3 }));
    expect(Buffer.from(deflate(small))).toEqual(deflateSync(small, { level: 3 }));
    expect(Buffer.from(deflate(new Uint8Array(0)))).toEqual(
      deflateSync(Buffer.alloc(0), { level: 3 }),
    );
  });

  it("gives each result in a buffer of its own, exactly its size", () => {
    const deflate = reusedDeflate(3);
    const first = deflate(Buffer.from("a".repeat(1000)));
    const second = deflate(Buffer.from("b".repeat(1000)));
    expect(first.buffer).not.toBe(second.buffer);
    for (const result of [first, second]) {
      expect(result.byteOffset).toBe(0);
      expect(result.byteLength).toBe(result.buffer.byteLength);
    }
    expect(Buffer.from(first)).toEqual(deflateSync(Buffer.from("a".repeat(1000)), { level: 3 }));
  });
});

describe("threadDeflate", () => {
  it("gives deflateSync's bytes at each level asked for, calls at several levels interleaved", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.oneof(jsonish, anyBytes)), {
          minLength: 1,
          maxLength: 12,
        }),
        (calls) => {
          for (const [level, input] of calls) {
            expect(Buffer.from(threadDeflate(input, level))).toEqual(deflateSync(input, { level }));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
