/**
 * The array split that rides on the scan (payload.ts) against the reference
 * it replaces: scan the whole text first, then split the array's elements in
 * a second pass. Both must give the same entries, byte for byte, and the
 * same count of invalid entries, whatever the elements and their spacing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSpace, scanJson } from "../../src/wire/json-scan.js";
import { compactJson, parsePayloadText, stringEnd } from "../../src/wire/payload.js";

const QUOTE = 0x22;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** The reference: the second pass over a text the scan found valid. */
function splitArray(text: string, open: number): { entries: string[]; invalidEntries: number } {
  const entries: string[] = [];
  let invalidEntries = 0;
  let depth = 1;
  let start = -1;
  let last = -1;
  let spaced = false;
  let i = open + 1;
  while (depth > 0) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      if (depth > 1) spaced = true;
      i++;
      continue;
    }
    if (depth === 1 && (code === COMMA || code === CLOSE_BRACKET)) {
      if (start >= 0) {
        if (text.charCodeAt(start) !== OPEN_BRACE) invalidEntries++;
        else
          entries.push(spaced ? compactJson(text, start, last + 1) : text.slice(start, last + 1));
      }
      if (code === CLOSE_BRACKET) break;
      start = -1;
      spaced = false;
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (code === QUOTE) i = stringEnd(text, i);
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
    last = i;
    i++;
  }
  return { entries, invalidEntries };
}

function reference(text: string) {
  const refused = scanJson(text);
  if (refused !== undefined) return { ok: false, reason: refused };
  let open = 0;
  while (isSpace(text.charCodeAt(open))) open++;
  return { ok: true, value: splitArray(text, open) };
}

/** JSON white space, sometimes none. */
const space = fc.constantFrom("", "", " ", "\n", "\t", " \r\n  ");

/** An array text with white space of any kind around any token, elements of any kind. */
const spacedArray = fc
  .tuple(fc.array(fc.jsonValue(), { maxLength: 12 }), fc.array(space, { minLength: 1 }))
  .map(([items, spaces]) => {
    let n = 0;
    const gap = () => spaces[n++ % spaces.length] ?? "";
    const body = items.map((item) => {
      const text = JSON.stringify(item, null, n % 3 === 0 ? undefined : gap() || 1);
      return `${gap()}${text}${gap()}`;
    });
    return `${gap()}[${body.join(",")}]${gap()}`;
  });

describe("the array split agrees with the two-pass reference", () => {
  it("on arrays of any values, spaced any way", () => {
    fc.assert(
      fc.property(spacedArray, (text) => {
        expect(parsePayloadText(text, () => undefined)).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("on arrays with strings of any characters, escapes and brackets inside", () => {
    const tricky = fc.array(
      fc.oneof(
        fc.dictionary(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })),
        fc.string({ unit: "binary" }),
        fc.constant({ "a\\": ']}"', b: ["\\\\", { c: "{[" }] }),
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(tricky, space, (items, gap) => {
        const text = `[${items.map((item) => `${gap}${JSON.stringify(item)}`).join(",")}]`;
        expect(parsePayloadText(text, () => undefined)).toEqual(reference(text));
      }),
      { numRuns: 1000 },
    );
  });

  it("on broken arrays: the same refusal", () => {
    fc.assert(
      fc.property(
        spacedArray,
        fc.nat(),
        fc.constantFrom("", ",", "]", "{", '"', "x"),
        (text, at, put) => {
          const cut = at % (text.length + 1);
          const broken = text.slice(0, cut) + put + text.slice(cut + 1);
          if (!broken.trimStart().startsWith("[")) return;
          expect(parsePayloadText(broken, () => undefined)).toEqual(reference(broken));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
