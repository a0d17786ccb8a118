import { describe, expect, it } from "vitest";
import { isoTime, textEntries } from "../../src/formats/text.js";
import { utf8Text } from "../../src/wire/payload.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";

const RECEIVED = Date.UTC(2026, 10, 24, 12, 0, 0, 7);
const AT = "2026-11-24T12:00:00.007Z";

function entry(message: string): string {
  return `{"timestamp":"${AT}","message":${JSON.stringify(message)}}`;
}

describe("textEntries", () => {
  it("makes one entry of a line, with the receive time", () => {
    expect(textEntries(utf8("hello world"), RECEIVED)).toEqual([entry("hello world")]);
  });

  it("splits on LF and CRLF and skips empty and blank lines", () => {
    const text = "one\r\ntwo\n\n   \nthree\n";
    expect(textEntries(utf8(text), RECEIVED)).toEqual([entry("one"), entry("two"), entry("three")]);
  });

  it("keeps a lone CR and the spaces of a line as they are", () => {
    expect(textEntries(utf8("  a\rb  "), RECEIVED)).toEqual([entry("  a\rb  ")]);
  });

  it("replaces invalid UTF-8 with U+FFFD and drops a leading BOM", () => {
    const bytes = concat(hex("efbbbf"), utf8("a"), hex("c3"), utf8("\nb"), hex("ff"));
    expect(textEntries(bytes, RECEIVED)).toEqual([entry("a\ufffd"), entry("b\ufffd")]);
  });

  it("gives no entry for white space only", () => {
    expect(textEntries(utf8("\n \r\n\t"), RECEIVED)).toEqual([]);
  });

  it("escapes control characters so each entry stays one line of JSON", () => {
    const [line] = textEntries(utf8("tab\there\u0000"), RECEIVED);
    expect(line).toBe(entry("tab\there\u0000"));
    expect(line).not.toMatch(/[\t\0]/);
  });
});

describe("utf8Text and isoTime", () => {
  it("drops one BOM only", () => {
    expect(utf8Text(hex("efbbbf efbbbf 61"))).toBe("\ufeffa");
  });

  it("formats milliseconds as RFC 3339 UTC", () => {
    expect(isoTime(0)).toBe("1970-01-01T00:00:00.000Z");
  });
});
