/**
 * NDJSON payloads (PROTOCOL.md section 3): entry objects one per line,
 * accepted line by line; golden inputs and what each gives.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_JSON_LIMITS } from "../../src/wire/json-scan.js";
import { parsePayload } from "../../src/wire/payload.js";
import { utf8 } from "../fixtures/hex.js";

type Parsed = { entries: string[]; invalidEntries: number } | string;

function parse(text: string, limits = DEFAULT_JSON_LIMITS): Parsed {
  const result = parsePayload(utf8(text), limits);
  return result.ok ? result.value : result.reason;
}

describe("parsePayload: NDJSON", () => {
  it.each<[string, string, Parsed]>([
    ["two lines", '{"a":1}\n{"b":2}\n', { entries: ['{"a":1}', '{"b":2}'], invalidEntries: 0 }],
    [
      "no final line break",
      '{"a":1}\n{"b":2}',
      { entries: ['{"a":1}', '{"b":2}'], invalidEntries: 0 },
    ],
    [
      "CRLF and blank lines",
      '{"a":1}\r\n\r\n  \n{"b":2}\r\n',
      { entries: ['{"a":1}', '{"b":2}'], invalidEntries: 0 },
    ],
    [
      "white space inside compacted",
      '{ "a" : [1, 2] }\n{"b":" x "}',
      { entries: ['{"a":[1,2]}', '{"b":" x "}'], invalidEntries: 0 },
    ],
    [
      "a bad line among good ones",
      '{"a":1}\n{"b":\n{"c":3}\n',
      { entries: ['{"a":1}', '{"c":3}'], invalidEntries: 1 },
    ],
    [
      "lines that are not objects",
      '{"a":1}\n[1]\n"s"\nnull\n42\n',
      { entries: ['{"a":1}'], invalidEntries: 4 },
    ],
    [
      "pino-socket's lines",
      '{"level":30,"time":1,"msg":"a"}\n{"level":50,"time":2,"msg":"b"}\n',
      {
        entries: ['{"level":30,"time":1,"msg":"a"}', '{"level":50,"time":2,"msg":"b"}'],
        invalidEntries: 0,
      },
    ],
    [
      "one object over lines, pretty-printed",
      '{\n  "a": 1\n}\n',
      { entries: ['{"a":1}'], invalidEntries: 0 },
    ],
    ["no line an object", '{"a":\n1,\n"b"\n', "invalid-json"],
    ["one broken object", '{"a":1', "invalid-json"],
    [
      "an object then garbage on its line",
      '{"a":1} x\n{"b":2}',
      { entries: ['{"b":2}'], invalidEntries: 1 },
    ],
  ])("%s", (_name, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it("keeps U+2028 inside a line's string", () => {
    expect(parse('{"a":"x\u2028y"}\n{"b":1}')).toEqual({
      entries: ['{"a":"x\u2028y"}', '{"b":1}'],
      invalidEntries: 0,
    });
  });

  it("refuses more lines than maxEntries whole", () => {
    const limits = { ...DEFAULT_JSON_LIMITS, maxEntries: 2 };
    expect(parse('{"a":1}\n{"b":2}\n{"c":3}', limits)).toBe("too-many-entries");
  });

  it("counts a line past maxFields or maxDepth as invalid, keeping the others", () => {
    const limits = { ...DEFAULT_JSON_LIMITS, maxFields: 2, maxDepth: 3 };
    expect(parse('{"a":1}\n{"a":1,"b":2,"c":3}\n{"d":[[[1]]]}\n{"e":5}', limits)).toEqual({
      entries: ['{"a":1}', '{"e":5}'],
      invalidEntries: 2,
    });
  });

  it("gives the same entries as the JSON array of the same objects", () => {
    const object = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(object, { minLength: 2, maxLength: 8 }), (objects) => {
        const lines = objects.map((o) => JSON.stringify(o)).join("\n");
        expect(parse(lines)).toEqual(parse(JSON.stringify(objects)));
      }),
    );
  });

  it("never throws on lines of any text", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json()), { maxLength: 6 }), (parts) => {
        const result = parsePayload(utf8(`{${parts.join("\n")}`));
        expect(typeof result.ok).toBe("boolean");
      }),
    );
  });
});
