import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ACK_IGNORE_REASONS,
  decodeAck,
  encodeAck,
  encodeAcks,
  MAX_ACK_RANGES,
} from "../../src/wire/ack.js";
import { SEQ_MODULO } from "../../src/wire/constants.js";
import { MAX_RANGE_SEQS, rangeContains, rangeSize, toRanges } from "../../src/wire/seq-ranges.js";
import { signTag } from "../../src/wire/sign.js";
import { concat, hex, toHex } from "../fixtures/hex.js";

const STREAM = hex("0011223344556677");
const KEY = new TextEncoder().encode("ack key");

/** Hand-built from PROTOCOL.md section 6: magic, flags, stream, count, ranges. */
const ONE_RANGE = hex("cbf2 80 0011223344556677 0001 00000005 00000009");
const TWO_RANGES_WRAPPING = hex(
  "cbf2 80 0011223344556677 0002 fffffffe 00000001 00000010 00000010",
);

describe("the acknowledgement datagram, byte for byte", () => {
  it("decodes a hand-built unsigned acknowledgement", () => {
    const result = decodeAck(ONE_RANGE, { stream: STREAM });
    expect(result).toEqual({
      ok: true,
      ack: { stream: STREAM, ranges: [{ first: 5, last: 9 }], signed: false },
    });
  });

  it("decodes a wrapping range and ranges in any order", () => {
    const result = decodeAck(TWO_RANGES_WRAPPING);
    expect(result.ok && result.ack.ranges).toEqual([
      { first: 0xffff_fffe, last: 1 },
      { first: 16, last: 16 },
    ]);
  });

  it("encodes exactly the hand-built bytes", () => {
    expect(toHex(encodeAck(STREAM, [{ first: 5, last: 9 }]))).toBe(toHex(ONE_RANGE));
    const ranges = [
      { first: 0xffff_fffe, last: 1 },
      { first: 16, last: 16 },
    ];
    expect(toHex(encodeAck(STREAM, ranges))).toBe(toHex(TWO_RANGES_WRAPPING));
  });

  it("signs as section 2 does: CB F2 88, tag = HMAC-SHA256 of every byte before it, 16 bytes", () => {
    const body = hex("cbf2 88 0011223344556677 0001 00000005 00000009");
    const signed = concat(body, signTag(KEY, body));
    expect(toHex(encodeAck(STREAM, [{ first: 5, last: 9 }], KEY))).toBe(toHex(signed));
    const result = decodeAck(signed, { stream: STREAM, keys: [KEY] });
    expect(result.ok && result.ack.signed).toBe(true);
  });

  it.each([
    ["not the magic", "cbf3 80 0011223344556677 0001 00000005 00000009", "not-ack"],
    ["a frame, not an ack", "cbf2 02 0011223344556677 00000001 5b5d", "not-ack"],
    ["empty", "", "not-ack"],
    ["the magic alone", "cbf2", "not-ack"],
    ["ACK with COMPRESSED", "cbf2 81 0011223344556677 0001 00000005 00000009", "bad-flags"],
    ["ACK with ACK_REQUESTED", "cbf2 90 0011223344556677 0001 00000005 00000009", "bad-flags"],
    ["a count of 0", "cbf2 80 0011223344556677 0000", "malformed"],
    [
      "a count of 513",
      `cbf2 80 0011223344556677 0201 ${"0000000000000000".repeat(513)}`,
      "malformed",
    ],
    ["a range cut short", "cbf2 80 0011223344556677 0001 00000005 000000", "malformed"],
    ["a byte too many", "cbf2 80 0011223344556677 0001 00000005 00000009 00", "malformed"],
    ["the header cut short", "cbf2 80 0011223344556677 00", "malformed"],
    [
      "a signed one without its tag",
      "cbf2 88 0011223344556677 0001 00000005 00000009",
      "malformed",
    ],
    ["a range of 2^31 seqs", "cbf2 80 0011223344556677 0001 00000000 7fffffff", "bad-range"],
    [
      "a wrapping range of 2^32 seqs",
      "cbf2 80 0011223344556677 0001 00000005 00000004",
      "bad-range",
    ],
  ])("ignores %s", (_name, datagram, reason) => {
    expect(decodeAck(hex(datagram))).toEqual({ ok: false, reason });
  });

  it("takes a range of 2^31 - 1 seqs, wrapping or not", () => {
    expect(decodeAck(hex("cbf2 80 0011223344556677 0001 00000000 7ffffffe")).ok).toBe(true);
    expect(decodeAck(hex("cbf2 80 0011223344556677 0001 80000002 00000000")).ok).toBe(true);
  });

  it("with keys: ignores unsigned and wrongly signed acknowledgements", () => {
    expect(decodeAck(ONE_RANGE, { keys: [KEY] })).toEqual({ ok: false, reason: "unsigned" });
    const other = encodeAck(STREAM, [{ first: 5, last: 9 }], new TextEncoder().encode("other"));
    expect(decodeAck(other, { keys: [KEY] })).toEqual({ ok: false, reason: "bad-tag" });
    const flipped = encodeAck(STREAM, [{ first: 5, last: 9 }], KEY);
    flipped[14] = (flipped[14] ?? 0) ^ 1;
    expect(decodeAck(flipped, { keys: [KEY] })).toEqual({ ok: false, reason: "bad-tag" });
  });

  it("without keys: takes a signed acknowledgement without checking its tag", () => {
    const signed = encodeAck(STREAM, [{ first: 5, last: 9 }], KEY);
    signed[signed.length - 1] = (signed.at(-1) ?? 0) ^ 1;
    expect(decodeAck(signed).ok).toBe(true);
  });

  it("ignores another stream's acknowledgement", () => {
    expect(decodeAck(ONE_RANGE, { stream: hex("0011223344556678") })).toEqual({
      ok: false,
      reason: "other-stream",
    });
  });

  it("refuses to encode what the wire cannot carry", () => {
    expect(() => encodeAck(STREAM, [])).toThrow(TypeError);
    expect(() => encodeAck(hex("00"), [{ first: 0, last: 0 }])).toThrow(TypeError);
    expect(() => encodeAck(STREAM, [{ first: 0, last: 2 ** 31 - 1 }])).toThrow(TypeError);
    expect(() => encodeAck(STREAM, [{ first: -1, last: 0 }])).toThrow(TypeError);
    const many = Array.from({ length: MAX_ACK_RANGES + 1 }, (_, i) => ({
      first: 2 * i,
      last: 2 * i,
    }));
    expect(() => encodeAck(STREAM, many)).toThrow(TypeError);
    expect(encodeAcks(STREAM, many).map((d) => decodeAck(d).ok)).toEqual([true, true]);
  });
});

const uint32 = fc.integer({ min: 0, max: SEQ_MODULO - 1 });
const range = fc
  .tuple(uint32, fc.integer({ min: 0, max: MAX_RANGE_SEQS - 1 }))
  .map(([first, span]) => ({ first, last: (first + span) % SEQ_MODULO }));

describe("acknowledgement properties", () => {
  it("round-trips any stream, ranges (wrapping too) and key", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.array(range, { minLength: 1, maxLength: MAX_ACK_RANGES }),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 64 }), { nil: undefined }),
        (stream, ranges, key) => {
          const datagram = encodeAck(stream, ranges, key);
          const keys = key === undefined ? [] : [key];
          const result = decodeAck(datagram, { stream, keys });
          expect(result).toEqual({ ok: true, ack: { stream, ranges, signed: key !== undefined } });
        },
      ),
    );
  });

  it("gives an acknowledgement or a named reason for any bytes, never a throw", () => {
    const ackLike = fc
      .tuple(fc.constantFrom(0x80, 0x88, 0x81, 0x00), fc.uint8Array({ maxLength: 80 }))
      .map(([flags, rest]) => concat(hex("cbf2"), Uint8Array.of(flags), rest));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), ackLike), (bytes) => {
        const result = decodeAck(bytes, { keys: bytes.length % 2 === 0 ? [KEY] : [] });
        if (!result.ok) expect(ACK_IGNORE_REASONS).toContain(result.reason);
      }),
    );
  });

  it("toRanges covers exactly the seqs given, with no range over 2^31 - 1 seqs", () => {
    const near = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: SEQ_MODULO - 40, max: SEQ_MODULO - 1 }),
      uint32,
    );
    fc.assert(
      fc.property(fc.array(near, { maxLength: 200 }), (seqs) => {
        const ranges = toRanges(seqs);
        const covered = new Set<number>();
        for (const r of ranges) {
          expect(rangeSize(r)).toBeLessThanOrEqual(MAX_RANGE_SEQS);
          for (let i = 0; i < rangeSize(r); i++) covered.add((r.first + i) % SEQ_MODULO);
        }
        expect([...covered].sort((a, b) => a - b)).toEqual(
          [...new Set(seqs)].sort((a, b) => a - b),
        );
        // Fewest: no two ranges touch, so none could be merged.
        for (const a of ranges) {
          for (const b of ranges) {
            if (a !== b) expect(rangeContains(a, (b.last + 1) % SEQ_MODULO)).toBe(false);
          }
        }
      }),
    );
  });

  it("toRanges joins a run ending at 2^32 - 1 to one starting at 0", () => {
    expect(toRanges([0xffff_fffe, 0xffff_ffff, 0, 1, 5])).toEqual([
      { first: 5, last: 5 },
      { first: 0xffff_fffe, last: 1 },
    ]);
    expect(toRanges([3, 1, 2, 2, 7])).toEqual([
      { first: 1, last: 3 },
      { first: 7, last: 7 },
    ]);
    expect(toRanges([])).toEqual([]);
  });
});
