import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVEL_NAMES, LEVELS } from "../../src/client/levels.js";
import {
  levelFromName,
  levelFromPinoNumber,
  levelFromSyslogPriority,
  levelOfLetters,
} from "../../src/entries/level-names.js";
import { levelWord } from "../../src/entries/level-word.js";

describe("levelWord", () => {
  it.each([
    ["ERROR payment failed", "ERROR"],
    ["WARN disk low", "WARNING"],
    ["WARNING disk low", "WARNING"],
    ["INFO started", "INFO"],
    ["DEBUG x", "DEBUG"],
    ["TRACE x", "DEBUG"],
    ["FATAL x", "CRITICAL"],
    ["CRITICAL x", "CRITICAL"],
    ["[warn] x", "WARNING"],
    ["<error> x", "ERROR"],
    ["(Info) x", "INFO"],
    ["[WARN]x", "WARNING"],
    ["error: cannot open file", "ERROR"],
    ["Error connecting to db", "ERROR"],
    ["ERROR:root:message", "ERROR"],
    ["[main] ERROR com.foo.Bar - boom", "ERROR"],
    ["web-1 sshd[123]: error: connection closed", "ERROR"],
    ["web-1 app[9]: WARN slow", "WARNING"],
    ["myapp - ERROR - boom", "ERROR"],
    ["level=warn msg=x", "WARNING"],
    ['ts=1 level="error" msg=x', "ERROR"],
    ["ts=1 lvl=debug msg=x", "DEBUG"],
    ["severity=critical x", "CRITICAL"],
    ["[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] x", "ERROR"],
    ["NOTICE x", "INFO"],
    ["SEVERE x", "ERROR"],
  ])("finds the level of %j", (text, level) => {
    expect(levelWord(text)).toBe(level);
  });

  it.each([
    ["User logged in"],
    ["plain line about an error somewhere"],
    ["one two three four ERROR five"],
    ["The Error was handled"],
    ["debugging the thing"],
    ["errors: 0"],
    ["informational"],
    ["x=1 y=2 z=3 w=4 level=error"],
    ["level=chatty x"],
    [""],
    ["   "],
    ["----"],
  ])("finds no level in %j", (text) => {
    expect(levelWord(text)).toBeUndefined();
  });

  it("starts where it is told", () => {
    const line = "2026-11-24T10:30:00Z warn x";
    expect(levelWord(line, 20)).toBe("WARNING");
    expect(levelWord("a b c d e f ERROR", 10)).toBe("ERROR");
  });

  it("skips punctuation-only words without counting them", () => {
    expect(levelWord("- | - x y z ERROR")).toBe("ERROR");
  });

  it("takes tabs as spaces between words, wherever they fall", () => {
    expect(levelWord("GET\t/x\tERROR boom")).toBe("ERROR");
    expect(levelWord("a b\tc ERROR")).toBe("ERROR");
    expect(levelWord("a\tb c\td ERROR")).toBeUndefined();
    expect(levelWord("a \t b\t\t[warn]\tx")).toBe("WARNING");
    expect(levelWord("x\tWARN")).toBe("WARNING");
    expect(levelWord("app\tERROR: x", 3)).toBe("ERROR");
  });

  const names = fc.constantFrom(
    ...["TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL"],
  );
  const casing = fc.constantFrom(
    (s: string) => s,
    (s: string) => s.toLowerCase(),
    (s: string) => s[0] + s.slice(1).toLowerCase(),
  );
  const wrap = fc.constantFrom(
    (s: string) => `[${s}]`,
    (s: string) => `<${s}>`,
    (s: string) => `${s}:`,
    (s: string) => `level=${s}`,
  );
  const filler = fc.array(fc.stringMatching(/^[a-z]{1,8}\d$/), { minLength: 0, maxLength: 3 });

  it("finds a bracketed level word of any case among the first four words", () => {
    fc.assert(
      fc.property(names, casing, wrap, filler, (name, cased, wrapped, before) => {
        const line = [...before, wrapped(cased(name)), "the message"].join(" ");
        expect(levelWord(line)).toBe(levelFromName(name));
      }),
    );
  });

  it("never takes a word past the fourth", () => {
    const many = fc.array(fc.stringMatching(/^[a-z]{1,8}\d$/), { minLength: 4, maxLength: 8 });
    fc.assert(
      fc.property(names, many, (name, before) => {
        expect(levelWord([...before, name, "rest"].join(" "))).toBeUndefined();
      }),
    );
  });

  it("never throws, and gives a level of LEVELS or nothing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.nat(50), (text, start) => {
        const level = levelWord(text, start);
        if (level !== undefined) expect(LEVELS).toContain(level);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("level names and numbers", () => {
  it.each([
    [10, "DEBUG"],
    [20, "DEBUG"],
    [30, "INFO"],
    [35, "INFO"],
    [40, "WARNING"],
    [50, "ERROR"],
    [60, "CRITICAL"],
    [100, "CRITICAL"],
    [0, "DEBUG"],
  ])("pino %d is %s", (n, level) => expect(levelFromPinoNumber(n)).toBe(level));

  it.each([
    [0, "CRITICAL"],
    ["1", "CRITICAL"],
    ["2", "CRITICAL"],
    ["3", "ERROR"],
    [4, "WARNING"],
    ["5", "INFO"],
    ["6", "INFO"],
    ["7", "DEBUG"],
    ["8", undefined],
    ["x", undefined],
    [2.5, undefined],
  ])("syslog priority %j is %s", (p, level) => expect(levelFromSyslogPriority(p)).toBe(level));

  it.each([
    ["verbose", "DEBUG"],
    ["silly", "DEBUG"],
    ["http", "INFO"],
    ["notice", "INFO"],
    ["Warn", "WARNING"],
    ["emerg", "CRITICAL"],
    ["panic", "CRITICAL"],
    ["nope", undefined],
  ])("name %j is %s", (name, level) => expect(levelFromName(name)).toBe(level));
});

describe("levelOfLetters", () => {
  const NAMES = [...LEVEL_NAMES, "FINE", "FINEST", "VERBOSE", "INFORMATION", "EMERGENCY", "DPANIC"];
  /** A level name or a run of letters, any case, sometimes one letter off or cut. */
  const letters = fc.oneof(
    fc
      .constantFrom(...NAMES)
      .chain((name) =>
        fc
          .array(fc.boolean(), { minLength: name.length, maxLength: name.length })
          .map((lower) => [...name].map((c, i) => (lower[i] ? c.toLowerCase() : c)).join("")),
      ),
    fc.constantFrom(...NAMES).map((name) => name.slice(1)),
    fc.constantFrom(...NAMES).map((name) => `${name}S`),
    fc.stringMatching(/^[A-Za-z]{1,14}$/),
  );

  it("gives what levelFromName gives for the letters, read in place", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 4 }),
        letters,
        fc.string({ maxLength: 4 }),
        (a, word, b) => {
          const text = `${a}${word}${b}`;
          expect(levelOfLetters(text, a.length, a.length + word.length)).toBe(levelFromName(word));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
