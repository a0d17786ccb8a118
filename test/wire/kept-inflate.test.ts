import { randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import fc from "fast-check";
import { zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { inflateCappedFresh } from "../../src/wire/compression.js";
import { CHUNK_BYTES, keptInflate } from "../../src/wire/kept-inflate.js";
import { concat } from "../fixtures/hex.js";

const MIB = 1024 * 1024;

/** A result with its bytes as a Buffer, for comparing. */
function plain(result: ReturnType<typeof inflateCappedFresh> | undefined) {
  if (result === undefined) return undefined;
  return result.ok ? { ok: true, value: Buffer.from(result.value) } : result;
}

function kept(data: Uint8Array, maxBytes: number) {
  return plain(keptInflate(data, maxBytes));
}

function fresh(data: Uint8Array, maxBytes: number) {
  return plain(inflateCappedFresh(data, maxBytes));
}

/** Text like a batch's JSON, repetitive enough to compress. */
const jsonish = fc
  .array(fc.string({ maxLength: 120 }), { maxLength: 60 })
  .map((lines) => Buffer.from(`[${lines.map((line) => JSON.stringify({ m: line })).join(",")}]`));
const anyBytes = fc.uint8Array({ maxLength: 4096 }).map((bytes) => Buffer.from(bytes));
const plainData = fc.oneof(jsonish, anyBytes);

/** A zlib stream of some data, made by node:zlib or by fflate, at any level. */
const stream = fc
  .tuple(plainData, fc.integer({ min: 0, max: 9 }), fc.boolean())
  .map(([data, level, ours]) => ({
    data,
    stream: ours
      ? deflateSync(data, { level })
      : Buffer.from(zlibSync(data, { level: level as 0 | 1 | 9 })),
  }));

/** What a datagram may hold: a stream damaged in one of the ways inflateCapped rejects, or not. */
const input = fc.oneof(
  stream.map(({ stream }) => stream),
  fc.tuple(stream, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([{ stream }, at, mask]) => {
    const damaged = Buffer.from(stream);
    const i = at % damaged.length;
    damaged[i] = (damaged[i] ?? 0) ^ mask;
    return damaged;
  }),
  fc.tuple(stream, fc.nat()).map(([{ stream }, cut]) => stream.subarray(0, cut % stream.length)),
  fc
    .tuple(stream, fc.uint8Array({ minLength: 1, maxLength: 8 }))
    .map(([{ stream }, tail]) => concat(stream, tail)),
  fc.uint8Array({ maxLength: 300 }),
);

describe("keptInflate", () => {
  it("runs on this Node (its context passed the check against inflateSync)", () => {
    const data = Buffer.from('[{"a":1}]');
    expect(kept(deflateSync(data), MIB)).toEqual({ ok: true, value: data });
  });

  it("gives inflateSync's result for any input, call after call, errors between", () => {
    // Within a cap no damaged stream of these sizes can pass (zlib inflates 1,032 times at most).
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 10 }), (inputs) => {
        for (const data of inputs) expect(kept(data, 16 * MIB)).toEqual(fresh(data, 16 * MIB));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the data at a cap of its size or more, too-large one byte under", () => {
    fc.assert(
      fc.property(stream, fc.nat(100), ({ data, stream }, over) => {
        expect(kept(stream, data.length + over + 1)).toEqual({ ok: true, value: data });
        if (data.length > 0) {
          expect(kept(stream, data.length)).toEqual({ ok: true, value: data });
        }
        if (data.length > 1) {
          expect(kept(stream, data.length - 1)).toEqual({ ok: false, reason: "too-large" });
          expect(fresh(stream, data.length - 1)).toEqual({ ok: false, reason: "too-large" });
        }
      }),
      { numRuns: 200 },
    );
  });

  it("goes past its kept chunk into chunks of its own, each result a buffer of its own", () => {
    const large = randomBytes(3 * CHUNK_BYTES + 123);
    const small = Buffer.from('[{"m":"after a large one"}]');
    // Each result read after the calls that follow it: none is the kept chunk.
    const first = keptInflate(deflateSync(large), MIB);
    const second = keptInflate(deflateSync(small), MIB);
    const third = keptInflate(deflateSync(small.subarray(1)), MIB);
    expect(plain(first)).toEqual({ ok: true, value: large });
    expect(plain(second)).toEqual({ ok: true, value: small });
    expect(plain(third)).toEqual({ ok: true, value: small.subarray(1) });
    // The exact size, past the kept chunk: accepted; one byte more: too large.
    expect(kept(deflateSync(large), large.length)).toEqual({ ok: true, value: large });
    expect(kept(deflateSync(large), large.length - 1)).toEqual({ ok: false, reason: "too-large" });
  });

  it("stops a zlib bomb at its cap, and inflates the next stream as ever", () => {
    const bomb = deflateSync(new Uint8Array(100 * MIB), { level: 9 });
    expect(kept(bomb, 16 * MIB)).toEqual({ ok: false, reason: "too-large" });
    expect(kept(deflateSync(Buffer.from("x")), MIB)).toEqual({ ok: true, value: Buffer.from("x") });
  });
});
