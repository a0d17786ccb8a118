import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../../../src/server/outputs/http-result.js";
import { anyValue, severityNumber, unixNanos } from "../../../src/server/outputs/otlp-values.js";

describe("OTLP values", () => {
  it.each([
    ["2026-12-07T03:00:00Z", "1796612400000000000"],
    ["2026-12-07T03:00:00.5Z", "1796612400500000000"],
    ["2026-12-07T03:00:00.123456789Z", "1796612400123456789"],
    ["2026-12-07T05:00:00.000001+02:00", "1796612400000001000"],
    [1796612400.25, "1796612400250000000"],
    ["yesterday", undefined],
    ["2026-12-07", undefined],
    [null, undefined],
  ])("reads the timestamp %s as %s ns", (timestamp, nanos) => {
    expect(unixNanos(timestamp)).toBe(nanos);
  });

  it.each([
    ["TRACE", 1],
    ["debug", 5],
    ["INFO", 9],
    ["WARN", 13],
    ["WARNING", 13],
    ["ERROR", 17],
    ["CRITICAL", 21],
    ["FATAL", 21],
    ["verbose", 0],
    [3, 0],
  ])("maps the level %s to severity %i", (level, number) => {
    expect(severityNumber(level)).toBe(number);
  });

  it("encodes JSON values the OTLP JSON way", () => {
    expect(anyValue(7)).toEqual({ intValue: "7" });
    expect(anyValue(1.5)).toEqual({ doubleValue: 1.5 });
    expect(anyValue(true)).toEqual({ boolValue: true });
    expect(anyValue(null)).toBeUndefined();
    expect(anyValue([1, "a"])).toEqual({
      arrayValue: { values: [{ intValue: "1" }, { stringValue: "a" }] },
    });
    expect(anyValue({ a: { b: null, c: "x" } })).toEqual({
      kvlistValue: {
        values: [
          {
            key: "a",
            value: { kvlistValue: { values: [{ key: "c", value: { stringValue: "x" } }] } },
          },
        ],
      },
    });
  });

  it("reads any Retry-After text as a bounded wait or nothing, never a throw", () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 4e12 }), (text, now) => {
        const ms = parseRetryAfter(text, now);
        if (ms !== undefined) expect(ms >= 0 && ms <= MAX_RETRY_AFTER_MS).toBe(true);
      }),
    );
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter("99999", 0)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.now())).toBe(0);
    expect(parseRetryAfter("-5", 0)).toBeUndefined();
  });
});
