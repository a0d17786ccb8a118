import { describe, expect, it } from "vitest";
import { entryFiller } from "../../src/entries/fill.js";

const fill = entryFiller({
  service: "api",
  host: "web-1",
  now: () => Date.UTC(2026, 10, 24, 10, 30),
});

describe("entryFiller", () => {
  it("adds timestamp first, service and host last", () => {
    const filled = fill({ level: "INFO", message: "hi" });
    expect(filled).toEqual({
      timestamp: "2026-11-24T10:30:00.000Z",
      level: "INFO",
      message: "hi",
      service: "api",
      host: "web-1",
    });
    expect(Object.keys(filled)).toEqual(["timestamp", "level", "message", "service", "host"]);
  });

  it("keeps fields present, whatever their value, and returns a full entry as it is", () => {
    const full = { timestamp: 5, service: null, host: "", message: "m" };
    expect(fill(full)).toBe(full);
    expect(fill({ service: "billing", message: "m" })).toMatchObject({
      service: "billing",
      host: "web-1",
    });
  });

  it("does not change the caller's object", () => {
    const entry = { message: "m" };
    fill(entry);
    expect(entry).toEqual({ message: "m" });
  });
});
