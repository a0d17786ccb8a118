/**
 * AutoLineReader keeps the minute of the line before and the zone's offset
 * over it: whatever sequence of lines it reads, each reading must equal
 * what autoTimeAndLevel gives for that line alone, and both must equal the
 * instant computed from the line's fields.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AutoLineReader } from "../../src/entries/auto-line.js";
import { autoTimeAndLevel } from "../../src/entries/text-parsers.js";
import type { TimeContext } from "../../src/entries/timestamp.js";
import { namedZone, utcZone } from "../../src/entries/zone.js";
import { SEQUENCE_EDGES, SEQUENCE_ZONES } from "../support/time-edges.js";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

interface Shape {
  readonly dateSeparator: string;
  readonly between: string;
  readonly seconds: boolean;
  readonly fraction: string;
  readonly suffix: string;
  readonly bracket: boolean;
  /** 0: none; else which field is put out of range. */
  readonly broken: number;
  readonly rest: string;
}

/** The text of a line at `ms`, its fields read as UTC, in the shape given. */
function lineAt(ms: number, shape: Shape): string {
  const d = new Date(ms);
  const f = [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  if (shape.broken === 1) f[2] = f[1] === 2 ? 30 : 32;
  if (shape.broken === 2) f[3] = 24;
  if (shape.broken === 3) f[5] = 60;
  if (shape.broken === 4) f[5] = 61;
  if (shape.broken === 5) f[1] = 13;
  const [y, mo, day, h, mi, s] = f as [number, number, number, number, number, number];
  const sep = shape.dateSeparator;
  const fraction = shape.fraction.replace(/\d+/, (digits) =>
    pad(d.getUTCMilliseconds(), 3).concat("123456").slice(0, digits.length),
  );
  const time = `${pad(h, 2)}:${pad(mi, 2)}${shape.seconds ? `:${pad(s, 2)}${fraction}` : ""}`;
  const stamp = `${pad(y, 4)}${sep}${pad(mo, 2)}${sep}${pad(day, 2)}${shape.between}${time}${shape.suffix}`;
  return `${shape.bracket ? `[${stamp}]` : stamp}${shape.rest}`;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  dateSeparator: fc.constantFrom("-", "-", "/"),
  between: fc.constantFrom("T", " ", "t"),
  seconds: fc.constantFrom(true, true, false),
  fraction: fc.constantFrom(".000", ".000", ",000", "", ".0", ".00", ".000000", "."),
  suffix: fc.constantFrom("", "", "Z", "z", "+05:30", "-0800", " +0100", "+02", "x", "0", " -"),
  bracket: fc.boolean(),
  broken: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })),
  rest: fc.constantFrom(
    " INFO [worker-1] GET /api/users/7919 200 in 31 ms id=1",
    " WARNING disk low",
    " error: cannot open",
    " [warn] x",
    " level=debug msg=x",
    "  - CRITICAL boom",
    " GET /x 200",
    " Information x",
    " EMERGENCYX x",
    " verbosely",
    "",
    "]",
    " ",
  ),
});

/** A line that starts with no ISO timestamp, or with another form. */
const otherLine = fc.constantFrom(
  "INFO no time here",
  "1767225600 WARN epoch seconds",
  "1767225600123 epoch ms",
  "Jan 15 08:00:00 host app[1]: ERROR x",
  '127.0.0.1 - - [10/Oct/2026:13:55:36 -0700] "GET / HTTP/1.0" 200 2326',
  "[2027-01-15 08:00:00.000 INFO unclosed",
  "2027-01-15",
  "",
  "[",
);

const step = fc.record({
  deltaMs: fc.oneof(
    fc.integer({ min: 0, max: 1_000 }),
    fc.integer({ min: 0, max: 70_000 }),
    fc.integer({ min: -90_000, max: 90_000 }),
    fc.integer({ min: -4e9, max: 4e9 }),
  ),
  shape,
  other: fc.option(otherLine, { freq: 8 }),
});

/** Reads `line` with `reader`, and expects what autoTimeAndLevel reads of it alone. */
function readsAsAlone(reader: AutoLineReader, line: string, context: TimeContext): void {
  reader.read(line);
  const alone = autoTimeAndLevel(line, context);
  expect([line, reader.ms, reader.level]).toEqual([line, alone.ms ?? Number.NaN, alone.level]);
}

describe("AutoLineReader", () => {
  it("reads each line of any sequence as autoTimeAndLevel reads it alone", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEQUENCE_EDGES),
        fc.constantFrom(...SEQUENCE_ZONES),
        fc.array(step, { minLength: 1, maxLength: 80 }),
        (start, zone, steps) => {
          const context = { zone, now: () => start };
          const reader = new AutoLineReader(context);
          let ms = start;
          for (const { deltaMs, shape: s, other } of steps) {
            ms += deltaMs;
            readsAsAlone(reader, other ?? lineAt(ms, s), context);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("reads the lines of one minute in one form as autoTimeAndLevel reads them alone", () => {
    // One date form for the whole run, as a log has: the lines then mostly
    // share the kept minute's text and are read from their seconds on.
    const form = fc.record({
      dateSeparator: fc.constantFrom("-", "/"),
      between: fc.constantFrom("T", " ", "t"),
      bracket: fc.boolean(),
    });
    const line = fc.record({
      offsetMs: fc.integer({ min: 0, max: 60_999 }),
      fraction: fc.constantFrom(".000", ".000", ",000", ".00", ".0000"),
      suffix: fc.constantFrom("", "", "Z", "z", " +0100", " -0800", " -", "+02", "x"),
      broken: fc.constantFrom(0, 0, 0, 0, 3, 4),
      rest: shape.map((s) => s.rest),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...SEQUENCE_EDGES),
        fc.constantFrom(...SEQUENCE_ZONES),
        form,
        fc.array(line, { minLength: 1, maxLength: 60 }),
        (start, zone, f, lines) => {
          const context = { zone, now: () => start };
          const reader = new AutoLineReader(context);
          const minute = start - (((start % 60_000) + 60_000) % 60_000);
          for (const l of lines) {
            readsAsAlone(
              reader,
              lineAt(minute + l.offsetMs, { ...f, ...l, seconds: true }),
              context,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads a line of the kept minute at the instant of its own fields", () => {
    const zone = namedZone("Europe/Berlin");
    const reader = new AutoLineReader({ zone, now: () => 0 });
    // 02:30 does not exist on 2026-03-29 in Berlin; 01:59 is UTC+1, 03:00 UTC+2.
    const lines = [
      ["2026-03-29 01:59:00.000 INFO a", "2026-03-29T00:59:00.000Z"],
      ["2026-03-29 01:59:59.999 INFO b", "2026-03-29T00:59:59.999Z"],
      ["2026-03-29 03:00:00.000 INFO c", "2026-03-29T01:00:00.000Z"],
      ["2026-03-29 03:00:01.500Z INFO d", "2026-03-29T03:00:01.500Z"],
      ["2026-03-29 03:00:02 INFO e", "2026-03-29T01:00:02.000Z"],
      ["[2026-03-29 03:00:03.1] INFO f", "2026-03-29T01:00:03.100Z"],
      ["2026-03-29 03:00:60.000 INFO g", "2026-03-29T01:01:00.000Z"],
    ] as const;
    for (const [line, iso] of lines) {
      reader.read(line);
      expect([line, new Date(reader.ms).toISOString(), reader.level]).toEqual([line, iso, "INFO"]);
    }
  });

  it("reads a 60th second as the next minute's first, in that minute's offset", () => {
    // New York leaves daylight saving time at 02:00 on 2026-11-01: 01:59
    // is UTC-4 (its first pass), 02:00 UTC-5.
    const zone = namedZone("America/New_York");
    const reader = new AutoLineReader({ zone, now: () => 0 });
    reader.read("2026-11-01 01:59:00.000 INFO a");
    expect(new Date(reader.ms).toISOString()).toBe("2026-11-01T05:59:00.000Z");
    reader.read("2026-11-01 01:59:60.000 INFO b");
    expect(new Date(reader.ms).toISOString()).toBe("2026-11-01T07:00:00.000Z");
    reader.read("2026-11-01 01:59:60.000Z INFO c");
    expect(new Date(reader.ms).toISOString()).toBe("2026-11-01T02:00:00.000Z");
  });

  it("finds no time where the line has none, and the level where it has one", () => {
    const reader = new AutoLineReader({ zone: utcZone, now: () => 0 });
    reader.read("2027-01-15 08:00:00.000 DEBUG x");
    reader.read("2027-01-15 08:00:61.000 ERROR x");
    // No timestamp: the level word is then the third word of the line.
    expect([reader.ms, reader.level]).toEqual([Number.NaN, "ERROR"]);
    reader.read("2027-01-15 08:00:01.000ms WARN x");
    expect(reader.ms).toBeNaN();
    reader.read("no time, ERROR later");
    expect([reader.ms, reader.level]).toEqual([Number.NaN, "ERROR"]);
  });
});
