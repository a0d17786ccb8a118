/**
 * The timestamp readers keep what they read last (the minute's wall time,
 * the second's and the day's text): whatever sequence of lines they get,
 * each result must equal the one computed from that line alone.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IsoFormatter, leadingTimestamp } from "../../src/entries/timestamp.js";
import type { Zone } from "../../src/entries/zone.js";
import { SEQUENCE_EDGES, SEQUENCE_ZONES } from "../support/time-edges.js";

const SUFFIXES = ["Z", "", "+05:30", "-0800", " +0100", "+02", "z"];

const pad = (n: number, width: number) => String(n).padStart(width, "0");

interface Reading {
  readonly line: string;
  readonly fields: readonly [number, number, number, number, number, number, number];
  readonly suffix: string;
}

/** The line's text for fields taken from the UTC reading of `ms`, some of them broken. */
function reading(ms: number, suffix: string, separator: string, broken: number): Reading {
  const d = new Date(ms);
  const fields: [number, number, number, number, number, number, number] = [
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  ];
  // Out-of-range values: day 30 of February, hour 24, second 60 and 61, month 13.
  if (broken === 1) fields[2] = fields[1] === 2 ? 30 : 32;
  if (broken === 2) fields[3] = 24;
  if (broken === 3) fields[5] = 60;
  if (broken === 4) fields[5] = 61;
  if (broken === 5) fields[1] = 13;
  const [y, mo, day, h, mi, s, milli] = fields;
  const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(day, 2)}${separator}${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(milli, 3)}`;
  return { line: `${text}${suffix} INFO request done`, fields, suffix };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The instant of a reading computed from its fields alone, without the readers' memory. */
function expected({ fields, suffix }: Reading, zone: Zone): number | undefined {
  const [y, mo, day, h, mi, s, milli] = fields;
  if (mo < 1 || mo > 12 || day < 1 || day > daysIn(y, mo) || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  const wall = Date.UTC(y, mo - 1, day, h, mi) + s * 1000 + milli;
  const offset = /([+-])(\d\d):?(\d\d)?/.exec(suffix);
  if (suffix === "Z" || suffix === "z") return wall;
  if (offset === null) return zone.utcMs(wall);
  const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
  return wall - (offset[1] === "+" ? minutes : -minutes) * 60_000;
}

const step = fc.record({
  deltaMs: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: -90_000, max: 90_000 })),
  suffix: fc.constantFrom(...SUFFIXES),
  separator: fc.constantFrom("T", " ", "t"),
  broken: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })),
});

describe("timestamps read in sequence", () => {
  it("read each line of any sequence as that line alone gives", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEQUENCE_EDGES),
        fc.constantFrom(...SEQUENCE_ZONES),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        (start, zone, steps) => {
          const context = { zone, now: () => start };
          let ms = start;
          for (const { deltaMs, suffix, separator, broken } of steps) {
            ms += deltaMs;
            const one = reading(ms, suffix, separator, broken);
            expect(leadingTimestamp(one.line, context)?.ms).toBe(expected(one, zone));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("IsoFormatter over a sequence", () => {
  it("writes each instant of any sequence as Date#toISOString", () => {
    const delta = fc.oneof(
      fc.integer({ min: -1_500, max: 1_500 }),
      fc.integer({ min: -200_000_000, max: 200_000_000 }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...SEQUENCE_EDGES, 0, 253_402_300_799_999),
        fc.array(delta),
        (start, deltas) => {
          const iso = new IsoFormatter();
          let ms = start;
          for (const d of deltas) {
            ms = Math.max(-8.64e15, Math.min(8.64e15, ms + d));
            expect(iso.format(ms)).toBe(new Date(ms).toISOString());
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
