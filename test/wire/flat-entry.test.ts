/**
 * Flat entries (flat-entry.ts) are checked whole by one regular expression;
 * every other element goes through the scanner token by token. The two
 * paths must agree on everything: valid or not, which bound is passed
 * first, and the entries' text. A space after an entry's opening brace
 * sends that entry down the token path without changing what it means, so
 * each payload is read both ways and the answers compared.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { flatEntryEnd } from "../../src/wire/flat-entry.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits, scanJson } from "../../src/wire/json-scan.js";
import { parsePayloadText } from "../../src/wire/payload.js";

const key = fc.oneof(
  fc.constantFrom("timestamp", "level", "message", "service", "metadata", "user.id", ""),
  fc.string({ unit: "binary", maxLength: 6 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(true, false, null, 0, -0, 1e21, 1.5e-7),
);
const inner = fc.dictionary(key, scalar, { maxKeys: 4 });
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 2, arbitrary: inner },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(key, inner, { maxKeys: 2 }) },
);
const entry = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(key, value, { maxKeys: 6 }) },
  { weight: 1, arbitrary: scalar },
);

/** One character put in, taken out or replaced somewhere in one entry's text. */
const edit = fc.tuple(
  fc.nat(),
  fc.nat(),
  fc.constantFrom("insert", "delete", "replace", "none", "none"),
  fc.constantFrom(...'{}[]":,\\ 0123456789-+.eEtrufalsn\u0001\u00e9x'),
);

function edited(texts: string[], [which, at, how, put]: [number, number, string, string]) {
  const out = [...texts];
  if (out.length === 0 || how === "none") return out;
  const i = which % out.length;
  const text = out[i] ?? "";
  const k = at % (text.length + 1);
  const rest = how === "insert" ? text.slice(k) : text.slice(k + 1);
  out[i] = text.slice(0, k) + (how === "delete" ? "" : put) + rest;
  return out;
}

const limits = fc.record({
  maxDepth: fc.constantFrom(1, 2, 3, 4, 64),
  maxEntries: fc.constantFrom(1, 3, 30_000),
  maxFields: fc.constantFrom(1, 2, 3, 5, 1000),
});

/** The payload as is (flat entries checked whole), and with every entry read token by token. */
function bothWays(texts: string[]): [string, string] {
  const slow = texts.map((t) => (t.startsWith("{") ? `{ ${t.slice(1)}` : t));
  return [`[${texts.join(",")}]`, `[${slow.join(",")}]`];
}

describe("flat entries checked whole agree with the token scanner", () => {
  it("on arrays of entries of any shape, edited or not, under any bounds", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 6 }),
        edit,
        limits,
        (entries, change, bounds: JsonLimits) => {
          const texts = edited(
            entries.map((e) => JSON.stringify(e)),
            change,
          );
          const [fast, slow] = bothWays(texts);
          expect(scanJson(fast, bounds)).toBe(scanJson(slow, bounds));
          const scan = () => undefined;
          expect(parsePayloadText(fast, scan, bounds)).toEqual(
            parsePayloadText(slow, scan, bounds),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("on numbers, well formed or not", () => {
    const numberish = fc
      .array(fc.constantFrom("0", "0", "1", "7", "-", "+", ".", "e", "E"), {
        minLength: 1,
        maxLength: 6,
      })
      .map((chars) => chars.join(""));
    fc.assert(
      fc.property(fc.array(numberish, { minLength: 1, maxLength: 3 }), (numbers) => {
        const texts = numbers.map((n, i) => `{"n${i}":${n},"m":{"x":${n}}}`);
        const [fast, slow] = bothWays(texts);
        expect(scanJson(fast)).toBe(scanJson(slow));
        expect(parsePayloadText(fast, () => undefined)).toEqual(
          parsePayloadText(slow, () => undefined),
        );
      }),
      { numRuns: 3000 },
    );
  });

  it("agree with JSON.parse on every flat entry taken whole", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), edit, (entries, change) => {
        const text = `[${edited(
          entries.map((e) => JSON.stringify(e)),
          change,
        ).join(",")}]`;
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(scanJson(text) === undefined).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("flatEntryEnd", () => {
  const d = DEFAULT_JSON_LIMITS;
  it("takes compact objects of plain strings, numbers, literals and inner objects", () => {
    const text = '[{"a":"x","b":-1.5e+3,"c":true,"d":null,"m":{},"n":{"k":0}}]';
    expect(flatEntryEnd(text, 1, d.maxDepth, d.maxFields)).toBe(text.length - 1);
  });

  it("leaves to the scanner escapes, white space, arrays, deeper objects and bad numbers", () => {
    for (const entry of [
      '{"a":"\\n"}',
      '{ "a":1}',
      '{"a":[1]}',
      '{"a":{"b":{}}}',
      '{"a":01}',
      '{"a":1.}',
      '{"a":"\u0001"}',
    ]) {
      expect(flatEntryEnd(`[${entry}]`, 1, d.maxDepth, d.maxFields)).toBe(-1);
    }
  });

  it("agrees with the token scanner on entries of a megabyte, taken or refused", () => {
    const members = Array.from({ length: 100_000 }, (_, i) => `"k${i}":${i}`).join(",");
    const long = `{"a":"${"x".repeat(1 << 20)}","b":{"c":1}}`;
    for (const entry of [`{${members}}`, `{${members},}`, long, `${long.slice(0, -2)}\u0001}}`]) {
      const [fast, slow] = bothWays([entry, '{"n":1}']);
      for (const bounds of [DEFAULT_JSON_LIMITS, { ...DEFAULT_JSON_LIMITS, maxFields: 200_000 }]) {
        expect(scanJson(fast, bounds)).toBe(scanJson(slow, bounds));
        expect(parsePayloadText(fast, () => undefined, bounds)).toEqual(
          parsePayloadText(slow, () => undefined, bounds),
        );
      }
    }
  });

  it("leaves to the scanner an entry that a bound could refuse", () => {
    expect(flatEntryEnd('[{"a":{}}]', 1, 2, 1000)).toBe(-1);
    expect(flatEntryEnd('[{"a":1,"b":2}]', 1, 64, 3)).toBe(-1);
    expect(flatEntryEnd('[{"a":1,"b":2}]', 1, 64, 4)).toBe(14);
  });
});
