import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MONTHS } from "../../src/entries/calendar.js";
import {
  accessLogTimestamp,
  epochNumberMs,
  IsoFormatter,
  leadingTimestamp,
  timeValueMs,
} from "../../src/entries/timestamp.js";
import { fixedZone, utcZone } from "../../src/entries/zone.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");
const utc = { zone: utcZone, now: () => NOW };
const paris = { zone: fixedZone(60), now: () => NOW };

const at = (text: string, context = utc) => leadingTimestamp(text, context);
const iso = (text: string, context = utc) => {
  const found = at(text, context);
  return found === undefined ? undefined : new Date(found.ms).toISOString();
};

describe("leadingTimestamp", () => {
  it.each([
    ["2026-11-24T10:30:00.123Z ERROR x", "2026-11-24T10:30:00.123Z", 24],
    ["2026-11-24T10:30:00Z", "2026-11-24T10:30:00.000Z", 20],
    ["2026-11-24t10:30:00z x", "2026-11-24T10:30:00.000Z", 20],
    ["2026-11-24T10:30:00.123456789Z x", "2026-11-24T10:30:00.123Z", 30],
    ["2026-11-24T10:30:00.1+01:00 x", "2026-11-24T09:30:00.100Z", 27],
    ["2026-11-24T10:30:00-0530 x", "2026-11-24T16:00:00.000Z", 24],
    ["2026-11-24T10:30:00+02 x", "2026-11-24T08:30:00.000Z", 22],
    ["2026-11-24 10:30:00 x", "2026-11-24T10:30:00.000Z", 19],
    ["2026-11-24 10:30:00,123 [main] INFO", "2026-11-24T10:30:00.123Z", 23],
    ["2026-11-24 10:30:00 +0100 x", "2026-11-24T09:30:00.000Z", 25],
    // After a space, only a full offset is one: `+05` may be anything.
    ["2026-11-24 10:30:00 +05 x", "2026-11-24T10:30:00.000Z", 19],
    ["2026-11-24 10:30 x", "2026-11-24T10:30:00.000Z", 16],
    ["2026/11/24 10:30:00 [error] 12#0", "2026-11-24T10:30:00.000Z", 19],
    ["[2026-11-24 10:30:00] x", "2026-11-24T10:30:00.000Z", 21],
    ["Nov 24 10:30:00 host app: x", "2026-11-24T10:30:00.000Z", 15],
    ["Nov  4 10:30:00 host", "2026-11-04T10:30:00.000Z", 15],
    ["Nov 24 10:30:00.250 host", "2026-11-24T10:30:00.250Z", 19],
    ["[10/Oct/2000:13:55:36 -0700] GET", "2000-10-10T20:55:36.000Z", 28],
    ["10/Oct/2000:13:55:36 +0000 x", "2000-10-10T13:55:36.000Z", 26],
    ["1796600707 x", "2026-12-06T23:45:07.000Z", 10],
    ["1796600707.5 x", "2026-12-06T23:45:07.500Z", 12],
    ["1796600707929 x", "2026-12-06T23:45:07.929Z", 13],
    ["[1796600707929] x", "2026-12-06T23:45:07.929Z", 15],
  ])("reads %j", (text, expected, end) => {
    expect(iso(text)).toBe(expected);
    expect(at(text)?.end).toBe(end);
  });

  it("reads a time without an offset in the context's zone, one with an offset at it", () => {
    expect(iso("2026-11-24 10:30:00 x", paris)).toBe("2026-11-24T09:30:00.000Z");
    expect(iso("Nov 24 10:30:00 x", paris)).toBe("2026-11-24T09:30:00.000Z");
    expect(iso("2026-11-24T10:30:00Z x", paris)).toBe("2026-11-24T10:30:00.000Z");
    expect(iso("2026-11-24T10:30:00+03:00 x", paris)).toBe("2026-11-24T07:30:00.000Z");
  });

  it("gives a syslog time the year that puts it nearest to now", () => {
    const january = { zone: utcZone, now: () => Date.parse("2027-01-02T00:00:00Z") };
    expect(iso("Dec 31 23:59:00 x", january)).toBe("2026-12-31T23:59:00.000Z");
    expect(iso("Jan  1 00:01:00 x", january)).toBe("2027-01-01T00:01:00.000Z");
    const december = { zone: utcZone, now: () => Date.parse("2026-12-31T23:00:00Z") };
    expect(iso("Jan  1 00:30:00 x", december)).toBe("2027-01-01T00:30:00.000Z");
    // Months away, the nearer of last year's and this year's.
    expect(iso("Jun  1 00:00:00 x", january)).toBe("2027-06-01T00:00:00.000Z");
    expect(iso("Jul  1 00:00:00 x", january)).toBe("2027-07-01T00:00:00.000Z");
    expect(iso("Aug  1 00:00:00 x", january)).toBe("2026-08-01T00:00:00.000Z");
    expect(iso("Feb 29 12:00:00 x", january)).toBe("2028-02-29T12:00:00.000Z");
  });

  it.each([
    ["not a time"],
    ["2026-13-01T00:00:00Z month 13"],
    ["2026-02-30 10:00:00 no such day"],
    ["2026-11-24T25:00:00Z"],
    ["2026-11-24"],
    ["2026-11-24T10:30:00Zulu"],
    ["2026-11-24T10:30:00.123abc"],
    ["12345 items"],
    ["17966007071 eleven digits"],
    ["1796600707abc"],
    ["Nov 24 bad"],
    ["Novel 24 10:30:00"],
    ["Foo 24 10:30:00 x"],
    ["[2026-11-24 10:30:00 no bracket"],
    ["[WARN] x"],
    [" 2026-11-24T10:30:00Z leading space"],
    [""],
  ])("finds no timestamp in %j", (text) => {
    expect(at(text)).toBeUndefined();
  });

  it("finds the bracketed time of an access log line", () => {
    const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326';
    const found = accessLogTimestamp(line, utc);
    expect(found && new Date(found.ms).toISOString()).toBe("2000-10-10T20:55:36.000Z");
    expect(found?.end).toBe(line.indexOf("]") + 1);
    expect(accessLogTimestamp("host says [hello] there", utc)).toBeUndefined();
    expect(
      accessLogTimestamp(`${"x".repeat(200)} [10/Oct/2000:13:55:36 -0700]`, utc),
    ).toBeUndefined();
  });
});

describe("timeValueMs and epochNumberMs", () => {
  it.each([
    [1796600707, "2026-12-06T23:45:07.000Z"],
    [1796600707.25, "2026-12-06T23:45:07.250Z"],
    [1796600707929, "2026-12-06T23:45:07.929Z"],
    [1796600707929123, "2026-12-06T23:45:07.929Z"],
    [1796600707929123000, "2026-12-06T23:45:07.929Z"],
    ["1796600707929123", "2026-12-06T23:45:07.929Z"],
    ["2026-11-24T10:30:00.123Z", "2026-11-24T10:30:00.123Z"],
    [" 2026-11-24 10:30:00 ", "2026-11-24T10:30:00.000Z"],
  ])("reads %j", (value, expected) => {
    const ms = timeValueMs(value, utc);
    expect(ms === undefined ? ms : new Date(ms).toISOString()).toBe(expected);
  });

  it.each([["yesterday"], ["2026-11-24T10:30:00Z and more"], [null], [{}], [Number.NaN], [1e300]])(
    "reads no time from %j",
    (value) => expect(timeValueMs(value, utc)).toBeUndefined(),
  );

  it("keeps numbers within a Date's range", () => {
    expect(epochNumberMs(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(epochNumberMs(0)).toBe(0);
  });
});

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Dates from 1971 to 2099, to the millisecond. */
const instants = fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) });
/** Offsets in minutes, -14:00 to +14:00. */
const offsets = fc.integer({ min: -14 * 60, max: 14 * 60 });

function offsetText(minutes: number, colon: boolean): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}${colon ? ":" : ""}${pad(abs % 60)}`;
}

/** The wall reading of `ms` at `offset` minutes, as UTC fields. */
function wall(ms: number, offset: number): Date {
  return new Date(ms + offset * 60_000);
}

function isoWall(d: Date, between: string, fraction: string): string {
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return `${date}${between}${time}${fraction}${pad(d.getUTCMilliseconds(), 3)}`;
}

describe("leadingTimestamp properties", () => {
  it("reads back RFC 3339 text at any offset, with T or a space", () => {
    fc.assert(
      fc.property(instants, offsets, fc.boolean(), fc.boolean(), (ms, offset, t, colon) => {
        const text = `${isoWall(wall(ms, offset), t ? "T" : " ", ".")}${offsetText(offset, colon)} message`;
        expect(at(text)?.ms).toBe(ms);
      }),
    );
  });

  it("reads back a time without an offset in the zone it was written in", () => {
    fc.assert(
      fc.property(instants, offsets, fc.constantFrom(".", ","), (ms, offset, dot) => {
        const context = { zone: fixedZone(offset), now: () => NOW };
        expect(at(`${isoWall(wall(ms, offset), " ", dot)} x`, context)?.ms).toBe(ms);
      }),
    );
  });

  it("reads back syslog and common log times", () => {
    fc.assert(
      fc.property(instants, offsets, fc.integer({ min: -150, max: 150 }), (ms, offset, days) => {
        const second = ms - (ms % 1000);
        const d = wall(second, offset);
        const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
        const month = MONTHS[d.getUTCMonth()];
        const context = { zone: fixedZone(offset), now: () => second + days * 86_400_000 };
        const syslog = `${month} ${String(d.getUTCDate()).padStart(2, " ")} ${clock} host app: x`;
        expect(at(syslog, context)?.ms).toBe(second);
        const clf = `[${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${clock} ${offsetText(offset, false)}] x`;
        expect(at(clf)?.ms).toBe(second);
      }),
    );
  });

  it("reads back epoch seconds and milliseconds", () => {
    const thirteenDigits = fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 });
    fc.assert(
      fc.property(thirteenDigits, (ms) => {
        expect(at(`${ms} x`)?.ms).toBe(ms);
        const seconds = Math.floor(ms / 1000);
        expect(at(`${seconds}.${pad(ms % 1000, 3)} x`)?.ms).toBe(ms);
      }),
    );
  });

  it("never throws, and what it finds is a valid date inside the text", () => {
    const texts = fc.oneof(
      fc.string(),
      fc.string({ unit: "binary" }),
      fc.stringMatching(/^[[\d][\dT :./,+\-ZJanOctNov]{0,40}/),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const found = at(text);
        if (found === undefined) return;
        expect(Number.isFinite(found.ms)).toBe(true);
        expect(Number.isNaN(new Date(found.ms).getTime())).toBe(false);
        expect(found.end).toBeGreaterThan(0);
        expect(found.end).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("IsoFormatter", () => {
  it("writes what Date#toISOString writes", () => {
    const formatter = new IsoFormatter();
    const any = fc.integer({ min: -8.64e15, max: 8.64e15 });
    fc.assert(
      fc.property(fc.oneof(instants, any), (ms) => {
        expect(formatter.format(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
