import { describe, expect, it } from "vitest";
import { fixedZone, namedZone, parseZone } from "../../src/entries/zone.js";

const wall = (text: string) => Date.parse(`${text}Z`);

describe("zones", () => {
  it("reads a wall time at a fixed offset", () => {
    expect(fixedZone(90).utcMs(wall("2026-11-24T10:30:00"))).toBe(wall("2026-11-24T09:00:00"));
    expect(fixedZone(-300).name).toBe("-05:00");
  });

  it("follows daylight saving time in a named zone", () => {
    const paris = namedZone("Europe/Paris");
    expect(paris.utcMs(wall("2026-01-15T12:00:00"))).toBe(wall("2026-01-15T11:00:00"));
    expect(paris.utcMs(wall("2026-07-15T12:00:00"))).toBe(wall("2026-07-15T10:00:00"));
    const newYork = namedZone("America/New_York");
    expect(newYork.utcMs(wall("2026-07-15T12:00:00"))).toBe(wall("2026-07-15T16:00:00"));
  });

  it.each([
    ["UTC", "UTC"],
    ["Z", "UTC"],
    ["+01:00", "+01:00"],
    ["-0530", "-05:30"],
    ["local", "local"],
    ["Asia/Kolkata", "Asia/Kolkata"],
  ])("parses %j", (text, name) => expect(parseZone(text)?.name).toBe(name));

  it.each([["Mars/Olympus"], ["+25:00"], ["+01:99"], [""], ["1 2"]])("rejects %j", (text) => {
    expect(parseZone(text)).toBeUndefined();
  });

  it("reads the local zone from the process", () => {
    const local = parseZone("local");
    const at = wall("2026-11-24T10:30:00");
    const expected = new Date(2026, 10, 24, 10, 30, 0).getTime();
    expect(local?.utcMs(at)).toBe(expected);
  });
});
