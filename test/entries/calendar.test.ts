import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wallMs } from "../../src/entries/calendar.js";
import { namedZone } from "../../src/entries/zone.js";

/** wallMs() as the calendar gives it, field by field, with nothing kept between calls. */
function reference(f: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}): number {
  const date = new Date(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second, f.ms));
  const inRange =
    f.year >= 1000 &&
    f.year <= 9999 &&
    f.month >= 1 &&
    f.month <= 12 &&
    f.day >= 1 &&
    f.hour <= 23 &&
    f.minute <= 59 &&
    f.second <= 60 &&
    // The day exists in its month: Date.UTC would roll it into the next.
    new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCMonth() === f.month - 1;
  return inRange ? date.getTime() : Number.NaN;
}

const fields = fc.record({
  year: fc.oneof(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 0, max: 10_000 })),
  month: fc.integer({ min: 0, max: 13 }),
  day: fc.integer({ min: 0, max: 32 }),
  hour: fc.integer({ min: 0, max: 24 }),
  minute: fc.integer({ min: 0, max: 60 }),
  second: fc.integer({ min: 0, max: 61 }),
  ms: fc.integer({ min: 0, max: 999 }),
});

describe("wallMs", () => {
  it("agrees with the calendar, for any fields in any order of calls", () => {
    fc.assert(
      fc.property(fc.array(fields, { minLength: 1, maxLength: 20 }), (all) => {
        // Each reading twice and with its neighbour's second: the kept minute is hit and missed.
        for (const f of all) {
          expect(wallMs(f)).toEqual(reference(f));
          expect(wallMs({ ...f, second: 59 - (f.second % 60) })).toEqual(
            reference({ ...f, second: 59 - (f.second % 60) }),
          );
        }
      }),
    );
  });

  it("rolls a leap second into the next minute, as Date.UTC does", () => {
    const f = { year: 2016, month: 12, day: 31, hour: 23, minute: 59, second: 60, ms: 5 };
    expect(wallMs(f)).toBe(Date.UTC(2017, 0, 1, 0, 0, 0, 5));
  });
});

describe("a named zone's instants", () => {
  it("are the same from one zone reading many times as from a fresh zone each time", () => {
    const kept = namedZone("Europe/Paris");
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }), {
          minLength: 1,
          maxLength: 30,
        }),
        (walls) => {
          for (const wall of walls) {
            expect(kept.utcMs(wall)).toBe(namedZone("Europe/Paris").utcMs(wall));
            expect(kept.utcMs(wall + 1000)).toBe(namedZone("Europe/Paris").utcMs(wall + 1000));
          }
        },
      ),
    );
  });
});
