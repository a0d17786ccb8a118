import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type JoinerOptions,
  MultilineJoiner,
  type MultilineRule,
} from "../../../../src/commands/client/input/multiline.js";
import {
  javaRule,
  nodeRule,
  presetRule,
  pythonRule,
  startRule,
} from "../../../../src/commands/client/input/multiline-rules.js";
import { FakeTime } from "../../../support/fake-time.js";

/** Non-blank lines of a fixture, as the line splitter hands them out. */
function fixture(name: string): string[] {
  const text = readFileSync(
    new URL(`../../../fixtures/multiline/${name}`, import.meta.url),
    "utf8",
  );
  return text.split("\n").filter((line) => line.trim() !== "");
}

function joiner(rule: MultilineRule, extra: Partial<JoinerOptions> = {}): MultilineJoiner {
  return new MultilineJoiner({
    rule,
    maxBytes: 1024 * 1024,
    maxLines: 1000,
    timeoutMs: 1000,
    timers: new FakeTime(),
    ...extra,
  });
}

/** Every entry the joiner makes of `lines`, the last one flushed. */
function join(rule: MultilineRule, lines: readonly string[], extra: Partial<JoinerOptions> = {}) {
  const j = joiner(rule, extra);
  const entries: string[] = [];
  for (const line of lines) {
    const entry = j.push(line, Buffer.byteLength(line));
    if (entry !== undefined) {
      expect(j.bytes).toBe(Buffer.byteLength(entry));
      entries.push(entry);
    }
  }
  const last = j.flush();
  if (last !== undefined) entries.push(last);
  expect(j.flush()).toBeUndefined();
  return { entries, splits: j.splits };
}

describe("multiline presets on real stack traces", () => {
  it("java: a logged exception with causes and suppressed is one entry", () => {
    const lines = fixture("java.log");
    const { entries } = join(javaRule, lines);
    expect(entries).toEqual([
      lines[0],
      lines.slice(1, 17).join("\n"),
      lines[17],
      lines.slice(18).join("\n"),
    ]);
  });

  it("node: errors with properties and causes, and an uncaught exception's report", () => {
    const lines = fixture("node.log");
    const { entries } = join(nodeRule, lines);
    expect(entries).toEqual([
      lines[0],
      lines.slice(1, 9).join("\n"),
      lines[9],
      lines.slice(10, 18).join("\n"),
      lines.slice(18).join("\n"),
    ]);
    expect(entries[4]).toMatch(/^\/app\/src\/index\.js:7\n.*\n {4}\^\nError: boot failed\n/);
    expect(entries[4]).toMatch(/\nNode\.js v20\.20\.0$/);
  });

  it("node: a code frame whose source line is not indented", () => {
    const lines = ["/app/x.mjs:3", "throw err;", "^", "Error: x", "    at f (/app/x.mjs:3:1)"];
    expect(join(nodeRule, lines).entries).toEqual([lines.join("\n")]);
  });

  it("python: logger.exception with a chained traceback, then an uncaught one", () => {
    const lines = fixture("python.log");
    const { entries } = join(pythonRule, lines);
    expect(entries).toEqual([lines[0], lines.slice(1, 14).join("\n"), lines.slice(14).join("\n")]);
    expect(entries[1]).toMatch(/\napp\.errors\.PaymentError: card declined$/);
    expect(entries[2]).toMatch(
      /^2026-11-24 10:30:02,000 CRITICAL .*\nTraceback .*\nKeyboardInterrupt$/s,
    );
  });

  it("python: the line after the exception line starts a new entry", () => {
    const lines = ["Traceback (most recent call last):", '  File "a.py", line 1', "E: x", "next"];
    expect(join(pythonRule, lines).entries).toEqual([lines.slice(0, 3).join("\n"), "next"]);
  });

  it("java: a second exception after frames starts a new entry", () => {
    const lines = ["a.B: one", "\tat a.B.f(B.java:1)", "a.C: two", "\tat a.C.g(C.java:2)"];
    expect(join(javaRule, lines).entries).toEqual([
      lines.slice(0, 2).join("\n"),
      lines.slice(2).join("\n"),
    ]);
  });

  it("plain lines stay one entry each under every preset", () => {
    const lines = ["GET / 200", "GET /a 404", "done: ok"];
    for (const preset of ["java", "node", "python"] as const) {
      expect(join(presetRule(preset), lines).entries).toEqual(lines);
    }
  });
});

describe("--multiline-start", () => {
  const start = startRule(/^\d{4}-\d\d-\d\d /);

  it("a matching line starts an entry; any other continues it", () => {
    const lines = ["2026-11-24 a", "x", "  y", "2026-11-24 b", "2026-11-24 c", "z"];
    expect(join(start, lines).entries).toEqual([
      "2026-11-24 a\nx\n  y",
      "2026-11-24 b",
      "2026-11-24 c\nz",
    ]);
  });

  it("lines before the first match make an entry of their own", () => {
    expect(join(start, ["pre", "amble", "2026-11-24 a"]).entries).toEqual([
      "pre\namble",
      "2026-11-24 a",
    ]);
  });
});

describe("bounds", () => {
  const all = startRule(/^START/);

  it("past maxLines the entry is sent and a new one starts, counted as a split", () => {
    const lines = ["START", "1", "2", "3", "4", "5", "6"];
    const { entries, splits } = join(all, lines, { maxLines: 3 });
    expect(entries).toEqual(["START\n1\n2", "3\n4\n5", "6"]);
    expect(splits).toBe(2);
  });

  it("an entry never passes maxBytes, its newlines counted", () => {
    // "START\néé" is 5 + 1 + 4 = 10 bytes; one more line of 2 bytes would make 13.
    const { entries, splits } = join(all, ["START", "éé", "ab", "cd"], { maxBytes: 10 });
    expect(entries).toEqual(["START\néé", "ab\ncd"]);
    expect(splits).toBe(1);
    const exact = join(all, ["START", "éé", "a"], { maxBytes: 12 });
    expect(exact.entries).toEqual(["START\néé\na"]);
    expect(exact.splits).toBe(0);
  });

  it("a new entry started by its rule is no split", () => {
    expect(join(all, ["START", "START", "START"], { maxLines: 1 }).splits).toBe(0);
  });
});

describe("timeout", () => {
  it("idle() calls onDue after timeoutMs with an entry pending", async () => {
    const time = new FakeTime();
    let due = 0;
    const j = joiner(startRule(/^S/), { timers: time, timeoutMs: 500, onDue: () => due++ });
    j.idle();
    expect(time.pending).toBe(0); // nothing pending, nothing to wait for
    expect(j.push("S one", 5)).toBeUndefined();
    j.idle();
    j.idle(); // one timer, however often the source waits
    expect(time.pending).toBe(1);
    await time.advance(499);
    expect(due).toBe(0);
    await time.advance(1);
    expect(due).toBe(1);
    expect(j.flush()).toBe("S one");
  });

  it("a line pushed before the timeout cancels it; the next idle() waits afresh", async () => {
    const time = new FakeTime();
    let due = 0;
    const j = joiner(startRule(/^S/), { timers: time, timeoutMs: 500, onDue: () => due++ });
    j.push("S one", 5);
    j.idle();
    await time.advance(400);
    j.push("more", 4);
    expect(time.pending).toBe(0);
    j.idle();
    await time.advance(400);
    expect(due).toBe(0);
    await time.advance(100);
    expect(due).toBe(1);
    expect(j.flush()).toBe("S one\nmore");
  });

  it("flush() and close() cancel the timer", () => {
    const time = new FakeTime();
    const j = joiner(startRule(/^S/), { timers: time });
    j.push("S", 1);
    j.idle();
    j.flush();
    expect(time.pending).toBe(0);
    j.push("S", 1);
    j.idle();
    j.close();
    expect(time.pending).toBe(0);
  });
});

describe("joiner properties", () => {
  const line = fc.oneof(
    fc.constantFrom(
      "S start",
      "\tat a.B.c(B.java:1)",
      "    at f (x.js:1:1)",
      "Traceback (most recent call last):",
    ),
    fc.constantFrom("Caused by: x.Y: z", '  File "a.py", line 1', "^", "x.Y: boom", "}", "/a.js:1"),
    fc.string({ minLength: 1, maxLength: 40 }).filter((text) => !text.includes("\n")),
  );
  const rules = fc.constantFrom(javaRule, nodeRule, pythonRule, startRule(/^S/));

  it("keeps every line, in order, within the bounds, whatever the input", () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 60 }),
        rules,
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 160, max: 600 }),
        (lines, rule, maxLines, maxBytes) => {
          const { entries, splits } = join(rule, lines, { maxLines, maxBytes });
          expect(entries.flatMap((entry) => entry.split("\n"))).toEqual(lines);
          for (const entry of entries) {
            expect(entry.split("\n").length).toBeLessThanOrEqual(maxLines);
            expect(Buffer.byteLength(entry)).toBeLessThanOrEqual(maxBytes);
          }
          expect(splits).toBeLessThan(Math.max(1, entries.length));
        },
      ),
    );
  });
});
