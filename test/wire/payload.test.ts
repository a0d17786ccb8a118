import { describe, expect, it } from "vitest";
import { DEFAULT_JSON_LIMITS } from "../../src/wire/json-scan.js";
import { compactJson, parsePayload } from "../../src/wire/payload.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";

function parse(input: string | Uint8Array): { entries: string[]; invalidEntries: number } {
  const result = parsePayload(typeof input === "string" ? utf8(input) : input);
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function entriesOf(input: string | Uint8Array): string[] {
  return parse(input).entries;
}

describe("parsePayload: shapes", () => {
  it("takes each object of an array", () => {
    expect(entriesOf('[{"a":1},{"b":2}]')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("takes one bare object as an array of one", () => {
    expect(entriesOf('{"a":1}')).toEqual(['{"a":1}']);
  });

  it("accepts an empty array with no entries", () => {
    expect(parse("[]")).toEqual({ entries: [], invalidEntries: 0 });
  });

  it("accepts an empty object as an entry", () => {
    expect(entriesOf("[{}]")).toEqual(["{}"]);
  });

  it("counts each non-object element and keeps the objects beside it", () => {
    const input = '[1,{"a":1},"x",null,[{"b":2}],true,{"c":3},-0.5e3]';
    expect(parse(input)).toEqual({ entries: ['{"a":1}', '{"c":3}'], invalidEntries: 6 });
  });

  it.each([
    ["empty", ""],
    ["white space only", " \n"],
    ["a string", '"x"'],
    ["a number", "42"],
    ["null", "null"],
    ["an unterminated array", '[{"a":1}'],
    ["a trailing comma", '[{"a":1},]'],
    ["two values", '{"a":1}{"b":2}'],
    ["garbage after the array", '[{"a":1}] x'],
    ["single quotes", "[{'a':1}]"],
    ["NaN", '[{"a":NaN}]'],
    ["a raw newline in a string", '[{"a":"x\ny"}]'],
    ["a comment", '[{"a":1} /* c */]'],
    ["a leading zero", '[{"a":01}]'],
    ["two BOMs", "\ufeff\ufeff[]"],
    ["a BOM after white space", " \ufeff[]"],
  ])("rejects %s as invalid-json", (_name, input) => {
    expect(parsePayload(utf8(input))).toEqual({ ok: false, reason: "invalid-json" });
  });
});

describe("parsePayload: the entry text is the text received", () => {
  it("keeps field order, integer-like keys included", () => {
    expect(entriesOf('[{"b":1,"2":2,"a":3,"1":4}]')).toEqual(['{"b":1,"2":2,"a":3,"1":4}']);
  });

  it("keeps duplicate keys", () => {
    expect(entriesOf('{"a":1,"a":2}')).toEqual(['{"a":1,"a":2}']);
  });

  it("keeps numbers as written", () => {
    const input = '[{"a":1.0,"b":1e400,"c":-0,"d":12345678901234567890,"e":1E+2,"f":0.10}]';
    expect(entriesOf(input)).toEqual([input.slice(1, -1)]);
  });

  it("keeps string escapes as written", () => {
    const input = '[{"a":"\\u0041\\n\\"\\\\\\/","\\u00e9":"\\ud83d\\ude00"}]';
    expect(entriesOf(input)).toEqual([input.slice(1, -1)]);
  });

  it("compacts nested white space to one line and leaves strings alone", () => {
    const input = '[\n  {\n    "a" : [ 1 ,\t2 ],\r\n    "b": " x  y ",\n    "c": {  }\n  }\n]\n';
    expect(entriesOf(input)).toEqual(['{"a":[1,2],"b":" x  y ","c":{}}']);
  });

  it("compacts what Python's json.dumps writes", () => {
    const input =
      '[{"timestamp": "2026-11-24T10:30:00.123Z", "level": "INFO", "message": "User logged in", ' +
      '"service": "batch-log-shipper", "metadata": {"user.id": "u123"}}]';
    expect(entriesOf(input)).toEqual([
      '{"timestamp":"2026-11-24T10:30:00.123Z","level":"INFO","message":"User logged in",' +
        '"service":"batch-log-shipper","metadata":{"user.id":"u123"}}',
    ]);
  });

  it("trims white space around a bare object and between elements", () => {
    expect(entriesOf(' \t{"a":1}\r\n')).toEqual(['{"a":1}']);
    expect(entriesOf('[ {"a":1} , {"b":2} ]')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("handles backslashes before a closing quote", () => {
    expect(entriesOf('[{"a":"x\\\\"}, {"b":"\\\\\\""}]')).toEqual([
      '{"a":"x\\\\"}',
      '{"b":"\\\\\\""}',
    ]);
  });

  it("does not treat brackets inside strings as structure", () => {
    expect(parse('[{"a":"]}{["}, "]", {"b":"{"}]')).toEqual({
      entries: ['{"a":"]}{["}', '{"b":"{"}'],
      invalidEntries: 1,
    });
  });
});

describe("parsePayload: unicode", () => {
  it("keeps astral characters", () => {
    expect(entriesOf('[{"m":"log 😀 𝄞"}]')).toEqual(['{"m":"log 😀 𝄞"}']);
  });

  it("keeps escaped lone surrogates as their escapes, still valid JSON", () => {
    const [entry] = entriesOf('[{"m":"\\ud800 \\udc00"}]');
    expect(entry).toBe('{"m":"\\ud800 \\udc00"}');
    expect(JSON.parse(entry ?? "").m).toBe("\ud800 \udc00");
  });

  it("replaces invalid UTF-8 bytes in strings by U+FFFD", () => {
    const bytes = concat(utf8('[{"m":"a'), hex("ff c3 28 ed a0 80"), utf8('b"}]'));
    const [entry] = entriesOf(bytes);
    expect(JSON.parse(entry ?? "").m).toMatch(/^a\ufffd+\(\ufffd+b$/);
  });

  it("rejects invalid UTF-8 outside strings as invalid-json", () => {
    expect(parsePayload(concat(utf8("["), hex("ff"), utf8("]")))).toEqual({
      ok: false,
      reason: "invalid-json",
    });
  });

  it("drops one leading BOM", () => {
    expect(entriesOf(concat(hex("efbbbf"), utf8('[{"a":1}]')))).toEqual(['{"a":1}']);
    expect(entriesOf(concat(hex("efbbbf"), utf8(' {"a":1}')))).toEqual(['{"a":1}']);
  });

  it("keeps U+2028 and U+2029 inside strings (valid JSON, not a line break in NDJSON)", () => {
    expect(entriesOf('[{"m":"a\u2028b\u2029c"}]')).toEqual(['{"m":"a\u2028b\u2029c"}']);
  });
});

describe("parsePayload: deep nesting never crashes", () => {
  const deepLimits = { ...DEFAULT_JSON_LIMITS, maxDepth: 200_001, maxFields: 200_000 };

  it("handles a 100,000-deep array as one invalid entry when the depth limit allows it", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect(parsePayload(utf8(`[${deep}]`), deepLimits)).toEqual({
      ok: true,
      value: { entries: [], invalidEntries: 1 },
    });
  });

  it("passes an entry with 100,000-deep content through unchanged when the depth limit allows it", () => {
    const deep = `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(parsePayload(utf8(`[${deep}]`), deepLimits)).toEqual({
      ok: true,
      value: { entries: [deep], invalidEntries: 0 },
    });
  });

  it("rejects unbalanced deep nesting as invalid-json when the depth limit allows it", () => {
    expect(parsePayload(utf8("[".repeat(200_000)), deepLimits)).toEqual({
      ok: false,
      reason: "invalid-json",
    });
  });

  it("refuses nesting past the default depth of 64 as too-deep, balanced or not", () => {
    const at64 = `${"[".repeat(64)}${"]".repeat(64)}`;
    expect(parsePayload(utf8(at64))).toEqual({
      ok: true,
      value: { entries: [], invalidEntries: 1 },
    });
    const at65 = `${"[".repeat(65)}${"]".repeat(65)}`;
    expect(parsePayload(utf8(at65))).toEqual({ ok: false, reason: "too-deep" });
    expect(parsePayload(utf8("[".repeat(200_000)))).toEqual({ ok: false, reason: "too-deep" });
  });
});

describe("parsePayload: bounds on entries and fields", () => {
  const limits = { maxDepth: 64, maxEntries: 3, maxFields: 2 };

  it("takes a payload at each bound and refuses one past it, whole", () => {
    expect(parsePayload(utf8('[{"a":1},{"b":2},{"c":[3]}]'), limits)).toEqual({
      ok: true,
      value: { entries: ['{"a":1}', '{"b":2}', '{"c":[3]}'], invalidEntries: 0 },
    });
    expect(parsePayload(utf8("[{},{},{},{}]"), limits)).toEqual({
      ok: false,
      reason: "too-many-entries",
    });
    expect(parsePayload(utf8('[{"a":1},{"c":[3,4]}]'), limits)).toEqual({
      ok: false,
      reason: "too-many-fields",
    });
    expect(parsePayload(utf8('{"a":1,"b":2,"c":3}'), limits)).toEqual({
      ok: false,
      reason: "too-many-fields",
    });
  });
});

describe("compactJson", () => {
  it("returns the slice itself when there is nothing to remove", () => {
    expect(compactJson('xx{"a":[1,2]}yy', 2, 13)).toBe('{"a":[1,2]}');
  });

  it("removes every run of white space outside strings", () => {
    const text = '{ "a" :\n\t[ 1 , 2 ] , "b c" : " " }';
    expect(compactJson(text, 0, text.length)).toBe('{"a":[1,2],"b c":" "}');
  });
});
