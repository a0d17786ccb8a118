import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVEL_NAMES } from "../../src/client/levels.js";
import { letterWordLevel } from "../../src/entries/level-letters.js";
import { levelOfLetters } from "../../src/entries/level-names.js";

const NAMES = [...LEVEL_NAMES, "FINE", "FINER", "FINEST", "VERBOSE", "SILLY", "INFORMATION"];

/** The end of the ASCII letters from `at`. */
function lettersEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && /[A-Za-z]/.test(text.charAt(i))) i++;
  return i;
}

describe("letterWordLevel", () => {
  it("names a level only as levelOfLetters does, and never before an =", () => {
    const word = fc.oneof(
      fc.constantFrom(...NAMES, "NOTICE", "HTTP", "SEVERE", "ALERT", "EMERG", "EMERGENCY"),
      fc.constantFrom(...NAMES).map((name) => `${name}${name}`),
      fc.stringMatching(/^[A-Za-z]{0,14}$/),
    );
    const caseFlips = fc.array(fc.boolean(), { minLength: 24, maxLength: 24 });
    const after = fc.constantFrom("", " x", "=x", ":", "]", "1", "é");
    fc.assert(
      fc.property(word, caseFlips, after, (w, flips, tail) => {
        const cased = [...w].map((c, i) => (flips[i] ? c.toLowerCase() : c.toUpperCase())).join("");
        const text = ` ${cased}${tail}`;
        const found = letterWordLevel(text, 1);
        if (tail.startsWith("=")) expect(found).toBeUndefined();
        else if (found !== undefined)
          expect(found).toBe(levelOfLetters(text, 1, lettersEnd(text, 1)));
      }),
      { numRuns: 2000 },
    );
  });

  it("knows every name parseLevel knows, in any case", () => {
    for (const name of NAMES) {
      for (const text of [name, name.toLowerCase(), name[0] + name.slice(1).toLowerCase()]) {
        expect(letterWordLevel(`${text} x`, 0)).toBe(levelOfLetters(text, 0, text.length));
        expect(letterWordLevel(`${text} x`, 0)).toBeDefined();
      }
    }
  });
});
