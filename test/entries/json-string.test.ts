import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonString } from "../../src/entries/json-string.js";

describe("jsonString", () => {
  it("gives what JSON.stringify gives, whatever the string", () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.string({ unit: fc.constantFrom("a", '"', "\\", "\n", "\u0000", "\u001f", "é", "\ud83d") }),
    );
    fc.assert(
      fc.property(text, (s) => jsonString(s) === JSON.stringify(s)),
      { numRuns: 1000 },
    );
  });

  it("escapes quotes, backslashes, control characters and lone surrogates", () => {
    for (const s of ['a"b', "a\\b", "\t", "\u007f", "😀", "\udc00x", "plain text é"]) {
      expect(jsonString(s)).toBe(JSON.stringify(s));
    }
  });
});
