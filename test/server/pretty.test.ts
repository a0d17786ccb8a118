import { describe, expect, it } from "vitest";
import { clockTime, escapeControl, formatPretty } from "../../src/server/pretty.js";

const plain = { color: false, utc: true };
const receivedAt = Date.UTC(2026, 10, 24, 8, 1, 2, 3);

describe("formatPretty", () => {
  it("lays out time, level, service, message, then the other fields as key=value", () => {
    const entry = JSON.stringify({
      timestamp: "2026-11-24T10:30:00.123Z",
      level: "INFO",
      message: "User logged in",
      service: "batch-log-shipper",
      metadata: { "user.id": "u123", attempts: 2 },
      region: "eu west",
    });
    expect(formatPretty(entry, receivedAt, plain)).toBe(
      '10:30:00.123 INFO     batch-log-shipper User logged in user.id=u123 attempts=2 region="eu west"',
    );
  });

  it("uses the receive time when the entry has no usable timestamp, and - for missing columns", () => {
    expect(formatPretty('{"message":"hi"}', receivedAt, plain)).toBe("08:01:02.003 -        - hi");
    expect(formatPretty('{"timestamp":"soon","message":"hi"}', receivedAt, plain)).toBe(
      "08:01:02.003 -        - hi timestamp=soon",
    );
  });

  it("colours the level only when asked", () => {
    const entry = '{"level":"ERROR","service":"api","message":"boom"}';
    expect(formatPretty(entry, receivedAt, plain)).not.toContain("\u001b[");
    const coloured = formatPretty(entry, receivedAt, { color: true, utc: true });
    expect(coloured).toContain("\u001b[31mERROR   \u001b[0m");
    expect(coloured).toContain("\u001b[36mapi\u001b[0m");
  });

  it("escapes control characters so an entry cannot drive the terminal or break the line", () => {
    const entry = JSON.stringify({
      level: "INFO\u001b[2J",
      message: "line one\nline two\u001b]0;title\u0007",
      metadata: { "k\r": "v\u009b" },
    });
    const line = formatPretty(entry, receivedAt, { color: true, utc: true });
    for (const raw of ["\n", "\r", "\u0007", "\u009b"]) expect(line).not.toContain(raw);
    const colours = ["\u001b[0m", "\u001b[2m", "\u001b[32m", "\u001b[36m"];
    expect(colours.reduce((text, code) => text.replaceAll(code, ""), line)).not.toContain("\u001b");
    expect(line).toContain("line one\\nline two\\u001b]0;title\\u0007");
  });

  it("keeps non-string values readable and shows non-object text as the message", () => {
    const entry = '{"message":{"a":1},"n":1.5,"ok":true,"none":null,"list":[1,"x"]}';
    expect(formatPretty(entry, receivedAt, plain)).toBe(
      '08:01:02.003 -        - {"a":1} n=1.5 ok=true none=null list=[1,"x"]',
    );
    expect(formatPretty("not json", receivedAt, plain)).toBe("08:01:02.003 -        - not json");
  });
});

describe("clockTime", () => {
  it("formats HH:MM:SS.mmm with zero padding", () => {
    expect(clockTime("2026-01-02T03:04:05.006Z", 0, true)).toBe("03:04:05.006");
    expect(clockTime(undefined, Date.UTC(2026, 0, 1, 23, 59, 59, 999), true)).toBe("23:59:59.999");
  });
});

describe("escapeControl", () => {
  it("leaves printable text, including non-ASCII, as is", () => {
    expect(escapeControl("héllo wörld ✓")).toBe("héllo wörld ✓");
    expect(escapeControl("a\tb")).toBe("a\\tb");
  });
});
