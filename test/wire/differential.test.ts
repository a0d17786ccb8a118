/** Our zlib against a second, independent implementation (fflate), both ways. */
import fc from "fast-check";
import { unzlibSync, zlibSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { compress, inflateCapped } from "../../src/wire/compression.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { toHex, utf8 } from "../fixtures/hex.js";

const MIB = 1024 * 1024;
const level = fc.constantFrom(0, 1, 6, 9) as fc.Arbitrary<0 | 1 | 6 | 9>;

function logBatch(count: number, seed: number): string {
  const levels = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      timestamp: new Date(1_800_000_000_000 + (seed + i) * 137).toISOString(),
      level: levels[(seed + i) % levels.length],
      message: `request ${seed + i} took ${(seed * 31 + i * 17) % 997} ms`,
      service: "batch-log-shipper",
      metadata: { "user.id": `u${(seed + i) % 50}`, attempt: i % 3 },
    })),
  );
}

describe("fflate's zlib through our inflate and decoder", () => {
  it("inflates any bytes compressed by fflate at any level", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), level, (data, lvl) => {
        const result = inflateCapped(zlibSync(data, { level: lvl }), MIB);
        expect(result.ok && toHex(result.value)).toBe(toHex(data));
      }),
      { numRuns: 300 },
    );
  });

  it("decodes a framed batch whose payload fflate compressed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(1000), level, (count, seed, lvl) => {
        const json = logBatch(count, seed);
        const datagram = encodeFrame({ compressed: true }, zlibSync(utf8(json), { level: lvl }));
        const out = createDecoder({ now: () => 0 }).decode(datagram);
        expect(out.rejected).toBeUndefined();
        expect(out.entries.map((entry) => JSON.parse(entry))).toEqual(JSON.parse(json));
      }),
      { numRuns: 100 },
    );
  });

  it("agrees with fflate that a corrupted stream does not inflate to the original", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), (data, at) => {
        const stream = zlibSync(data);
        const i = at % stream.length;
        stream[i] = (stream[i] ?? 0) ^ 0xff;
        const ours = inflateCapped(stream, MIB);
        let theirs: string | undefined;
        try {
          theirs = toHex(unzlibSync(stream));
        } catch {
          theirs = undefined;
        }
        // Node checks Adler-32 and fflate does not: when ours succeeds, theirs must agree.
        if (ours.ok) expect(theirs).toBe(toHex(ours.value));
        else expect(ours.reason).toBe("invalid-compression");
      }),
      { numRuns: 300 },
    );
  });
});

describe("our compress() through fflate's unzlibSync", () => {
  it("inflates to the same bytes at any level", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), level, (data, lvl) => {
        expect(toHex(unzlibSync(compress(data, lvl)))).toBe(toHex(data));
      }),
      { numRuns: 300 },
    );
  });

  it("inflates log batches to the same bytes", () => {
    for (const count of [1, 10, 100, 1000]) {
      const data = utf8(logBatch(count, count));
      expect(toHex(unzlibSync(compress(data)))).toBe(toHex(data));
    }
  });
});
