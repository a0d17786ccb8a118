import { describe, expect, it } from "vitest";
import { LEVELS, levelRank, parseLevel } from "../../src/client/levels.js";

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
