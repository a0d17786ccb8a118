import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVELS, type Level, levelRank, parseLevel } from "../../src/client/levels.js";

/** The documented names and aliases. */
const NAMES_BY_HAND = new Map<string, Level>([
  ["TRACE", "DEBUG"],
  ["DEBUG", "DEBUG"],
  ["INFO", "INFO"],
  ["WARN", "WARNING"],
  ["WARNING", "WARNING"],
  ["ERR", "ERROR"],
  ["ERROR", "ERROR"],
  ["CRIT", "CRITICAL"],
  ["CRITICAL", "CRITICAL"],
  ["FATAL", "CRITICAL"],
]);

describe("parseLevel", () => {
  it.each([
    ["DEBUG", "DEBUG"],
    ["debug", "DEBUG"],
    ["trace", "DEBUG"],
    ["Info", "INFO"],
    ["warn", "WARNING"],
    ["WARNING", "WARNING"],
    ["err", "ERROR"],
    ["error", "ERROR"],
    ["crit", "CRITICAL"],
    ["fatal", "CRITICAL"],
    ["CRITICAL", "CRITICAL"],
    [" info ", "INFO"],
  ])("%s -> %s", (text, level) => {
    expect(parseLevel(text)).toBe(level);
  });

  it.each(["", "verbose", "WARNINGS", "constructor", "toString", "__proto__"])(
    "%j is not a level",
    (text) => {
      expect(parseLevel(text)).toBeUndefined();
    },
  );
});

describe("parseLevel and levelRank agree", () => {
  it("for any text, in any case, with any white space around it", () => {
    const names = ["trace", "debug", "info", "warn", "warning", "err", "error", "crit", "critical"];
    const text = fc.oneof(
      fc.string(),
      fc
        .tuple(
          fc.constantFrom(...names, "fatal", "loud"),
          fc.array(fc.boolean()),
          fc.constantFrom("", " ", "\t", "\n "),
        )
        .map(([name, upper, space]) => {
          const cased = [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("");
          return `${space}${cased}${space}`;
        }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const level = parseLevel(t);
        expect(level).toBe(NAMES_BY_HAND.get(t.trim().toUpperCase()));
        expect(levelRank(t)).toBe(level === undefined ? -1 : LEVELS.indexOf(level));
      }),
    );
  });
});

describe("levelRank", () => {
  it("orders the levels from DEBUG to CRITICAL", () => {
    expect(LEVELS.map(levelRank)).toEqual([0, 1, 2, 3, 4]);
  });

  it("ranks aliases like the level they name", () => {
    expect(levelRank("warn")).toBe(levelRank("WARNING"));
    expect(levelRank("fatal")).toBe(4);
  });

  it.each([undefined, null, 30, {}, "loud"])("%j ranks -1", (value) => {
    expect(levelRank(value)).toBe(-1);
  });
});
