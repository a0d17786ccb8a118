import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalScanner, MAX_SCAN_DEPTH, scanNumber } from "../../src/entries/canonical-json.js";
import { oddLine, pinoLine } from "../support/pino-lines.js";

function scansWhole(text: string): boolean {
  const scanner = new CanonicalScanner();
  scanner.reset(text);
  return scanner.value(text, 0, 0) === text.length;
}

/** JSON text with small changes that make it not canonical (or not JSON). */
const mutated = fc.jsonValue().chain((value) => {
  const text = JSON.stringify(value) ?? "null";
  return fc.constantFrom(
    text,
    text.replace(/,/, " ,"),
    text.replace(/"/, '"\\u0041'),
    text.replace(/(\d)/, "$1.0"),
    text.replace(/(\d)/, "$1e1"),
    text.replace(/\{/, '{"k":1,"k":1,'),
    text.replace(/\{/, '{"1":1,'),
    text.replace(/-/, "-0"),
    text.slice(1),
    `${text}x`,
  );
});

describe("the canonical JSON scanner", () => {
  it("accepts only text that JSON.parse and JSON.stringify give back as it is", () => {
    fc.assert(
      fc.property(fc.oneof(mutated, pinoLine, oddLine, fc.string({ unit: "binary" })), (text) => {
        if (scansWhole(text)) expect(JSON.stringify(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });

  it("accepts what JSON.stringify writes, keys that are indexes and __proto__ aside", () => {
    const plainKeys = fc.string().filter((k) => !/^\d/.test(k) && k !== "__proto__");
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.string()),
        fc.array(tie("v"), { maxLength: 4 }),
        fc.dictionary(plainKeys, tie("v"), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const text = JSON.stringify(v);
        if (text.includes("\\u")) return; // a lone surrogate or a control character
        expect(scansWhole(text)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["0", true],
    ["-1", true],
    ["123456789012345", true],
    ["1.5", true],
    ["1e+21", true],
    ["-0", false],
    ["01", false],
    ["1.0", false],
    ["1e5", false],
    ["1E+21", false],
    ["12345678901234567890", false],
    ["-", false],
    ["1.", false],
  ])("reads the number %s as canonical: %s", (text, canonical) => {
    expect(scanNumber(text, 0) === text.length).toBe(canonical);
  });

  it("leaves values nested deeper than its limit to the general path", () => {
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    expect(scansWhole(deep(MAX_SCAN_DEPTH))).toBe(true);
    expect(scansWhole(deep(MAX_SCAN_DEPTH + 1))).toBe(false);
  });

  it("forgets the keys of an object once it closes", () => {
    const text = '{"a":1,"b":{"c":2}}';
    const scanner = new CanonicalScanner();
    scanner.reset(text);
    expect(scanner.value(text, 0, 0)).toBe(text.length);
    // The object's keys were forgotten when it closed.
    expect(scanner.hasKey(text, 0, '"a"')).toBe(false);
  });
});
