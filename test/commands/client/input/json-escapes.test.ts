import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstEscaped } from "../../../../src/commands/client/input/json-escapes.js";

/** What JSON.stringify escapes in ASCII text, LF excepted: the general search. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped.
const ESCAPED = /["\\\u0000-\u0009\u000b-\u001f]/g;

function reference(text: string, from: number, end: number): number {
  ESCAPED.lastIndex = from;
  const found = ESCAPED.test(text) ? ESCAPED.lastIndex - 1 : end;
  return Math.min(found, end);
}

/** Bytes of ASCII text: plain, with LF and each kind of escaped byte at the given weights. */
function asciiBytes(plain: number, escaped: number) {
  return fc.oneof(
    { weight: plain, arbitrary: fc.integer({ min: 0x20, max: 0x7f }) },
    { weight: 2, arbitrary: fc.constant(0x0a) },
    { weight: escaped, arbitrary: fc.integer({ min: 0, max: 0x1f }) },
    { weight: escaped, arbitrary: fc.constantFrom(0x22, 0x5c) },
  );
}

describe("firstEscaped", () => {
  it.each([
    // Short stretches: each kind of escaped byte now and then, read byte by byte.
    ["short", asciiBytes(12, 1), 80],
    // Long stretches before a quote: the native searches and the word test.
    ["long", asciiBytes(200, 1), 400],
  ] as const)(
    "finds what the general search finds, at any alignment and range (%s)",
    (_, byte, most) => {
      fc.assert(
        fc.property(
          fc.array(byte, { maxLength: most, size: "max" }),
          fc.nat(7),
          fc.nat(most),
          fc.nat(most),
          (values, shift, a, b) => {
            // Placed `shift` bytes into a larger buffer: every alignment of the words read.
            const backing = Buffer.alloc(values.length + shift + 8, 0x41);
            const bytes = backing.subarray(shift, shift + values.length);
            bytes.set(values);
            const from = Math.min(a, b, values.length);
            const end = Math.min(Math.max(a, b), values.length);
            const text = bytes.toString("latin1").slice(0, end);
            expect(firstEscaped(bytes, from, end)).toBe(reference(text, from, end));
          },
        ),
        { numRuns: 5000 },
      );
    },
  );

  it("passes over LF and finds each kind of escaped byte", () => {
    const at = (text: string) => firstEscaped(Buffer.from(text, "latin1"), 0, text.length);
    expect(at("plain text\nmore plain text")).toBe(26);
    expect(at('abcdefgh"')).toBe(8);
    expect(at("abcdefgh\\")).toBe(8);
    expect(at("abcdefgh\r\n")).toBe(8);
    expect(at("abc\x7fdefgh\x1f")).toBe(9);
    expect(at("\t")).toBe(0);
  });
});
