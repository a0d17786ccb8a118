import { deflateSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compress, inflateCapped, inflateCappedFresh } from "../../src/wire/compression.js";
import { concat, hex, toHex, utf8 } from "../fixtures/hex.js";

const MIB = 1024 * 1024;
/** Python: zlib.compress(b'[{"a":1}]') */
const PYTHON_ZLIB = hex("789c8bae564a54b232ac8d05000dc402c1");

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

describe("compress", () => {
  it("writes a zlib stream (RFC 1950 header 78 9c at the default level)", () => {
    const out = compress(utf8('[{"a":1}]'));
    expect(toHex(out.subarray(0, 2))).toBe("789c");
    expect(toHex(out)).toBe(toHex(PYTHON_ZLIB));
  });

  it("honours the level", () => {
    expect(toHex(compress(utf8("x"), 1).subarray(0, 2))).toBe("7801");
    expect(toHex(compress(utf8("x"), 9).subarray(0, 2))).toBe("78da");
  });

  it("round-trips through inflateCapped", () => {
    const data = utf8(JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ i }))));
    const result = inflateCapped(compress(data), MIB);
    expect(result.ok && text(result.value)).toBe(text(data));
  });
});

describe("inflateCapped", () => {
  it("inflates the Python shipper's zlib output", () => {
    const result = inflateCapped(PYTHON_ZLIB, MIB);
    expect(result.ok && text(result.value)).toBe('[{"a":1}]');
  });

  it("rejects a wrong Adler-32 checksum", () => {
    const bad = PYTHON_ZLIB.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0x01;
    expect(inflateCapped(bad, MIB)).toEqual({ ok: false, reason: "invalid-compression" });
  });

  it.each([
    ["empty input", ""],
    ["a bad header", "7800 8bae564a54b232ac8d05000dc402c1"],
    ["a raw deflate stream without the zlib header", "8bae564a54b232ac8d0500"],
    ["a truncated stream", "789c8bae564a54b232ac8d0500"],
    ["the checksum missing", "789c8bae564a54b232ac8d05000dc4"],
    ["plain JSON", toHex(utf8('[{"a":1}]'))],
  ])("rejects %s", (_name, data) => {
    expect(inflateCapped(hex(data), MIB)).toEqual({ ok: false, reason: "invalid-compression" });
  });

  it("rejects bytes after the end of the zlib stream", () => {
    expect(inflateCapped(concat(PYTHON_ZLIB, hex("00")), MIB)).toEqual({
      ok: false,
      reason: "invalid-compression",
    });
    expect(inflateCapped(concat(PYTHON_ZLIB, PYTHON_ZLIB), MIB)).toEqual({
      ok: false,
      reason: "invalid-compression",
    });
  });

  it("accepts output of exactly the cap and rejects one byte more", () => {
    const cap = 100_000;
    const exact = inflateCapped(deflateSync(new Uint8Array(cap)), cap);
    expect(exact.ok && exact.value.length).toBe(cap);
    expect(inflateCapped(deflateSync(new Uint8Array(cap + 1)), cap)).toEqual({
      ok: false,
      reason: "too-large",
    });
  });

  it("throws RangeError on a cap that is not a positive integer", () => {
    expect(() => inflateCapped(PYTHON_ZLIB, 0)).toThrow(RangeError);
    expect(() => inflateCapped(PYTHON_ZLIB, 1.5)).toThrow(RangeError);
  });

  describe("a zlib bomb (100 MiB of zeros) under a 16 MiB cap", () => {
    const bomb = deflateSync(new Uint8Array(100 * MIB), { level: 9 });
    afterEach(() => vi.restoreAllMocks());

    it("is too-large", () => {
      expect(bomb.length).toBeLessThan(200_000);
      expect(inflateCapped(bomb, 16 * MIB)).toEqual({ ok: false, reason: "too-large" });
    });

    it.each([
      ["on the thread's kept stream", inflateCapped],
      ["on a fresh stream (inflateSync)", inflateCappedFresh],
    ])("never allocates output buffers past the cap, %s", (_name, inflate) => {
      const sizes: number[] = [];
      const allocUnsafe = Buffer.allocUnsafe;
      vi.spyOn(Buffer, "allocUnsafe").mockImplementation((size: number) => {
        sizes.push(size);
        return allocUnsafe(size);
      });
      expect(inflate(bomb, 16 * MIB)).toEqual({ ok: false, reason: "too-large" });
      const total = sizes.reduce((sum, size) => sum + size, 0);
      expect(sizes.length).toBeGreaterThan(0);
      // The engine's output chunks: the cap plus at most one chunk of slack.
      expect(total).toBeLessThanOrEqual(16 * MIB + 64 * 1024);
    });
  });
});
