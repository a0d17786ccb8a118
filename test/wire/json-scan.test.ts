import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_JSON_LIMITS, type JsonLimits, scanJson } from "../../src/wire/json-scan.js";

const UNBOUNDED: JsonLimits = { maxDepth: 100_000, maxEntries: 1e9, maxFields: 1e9 };

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe("scanJson agrees with JSON.parse", () => {
  const cases = [
    "[]",
    "{}",
    " [ ] ",
    "\t\r\n{}\n",
    '[{"a":1},{"b":[true,false,null]}]',
    '{"a":"\\u00e9\\n\\"\\\\\\/\\b\\f\\r\\t"}',
    "[-0, 0.5, 1e5, 1E+5, 2e-3, -12.50e10]",
    '"just a string"',
    "42",
    "null",
    "[\u2028]",
    '["\ud800"]',
    "",
    " ",
    "[",
    "]",
    "[1,]",
    "[,1]",
    "{,}",
    '{"a"}',
    '{"a":}',
    '{"a":1,}',
    "{a:1}",
    "[01]",
    "[1.]",
    "[.5]",
    "[+1]",
    "[1e]",
    "[-]",
    "[tru]",
    "[nul]",
    "[True]",
    '["\\x41"]',
    '["\\u12G4"]',
    '["\\u12"]',
    '["a\nb"]',
    '["\u0000"]',
    '"unterminated',
    "[] []",
    "{}x",
    "\ufeff[]",
    "[1 2]",
    '{"a":1 "b":2}',
    "[\f]",
    "[NaN]",
    "[Infinity]",
  ];
  it.each(cases)("%j", (text) => {
    expect(scanJson(text, UNBOUNDED) === undefined).toBe(parses(text));
  });

  it("on any JSON value, as JSON.stringify writes it or spaced", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(scanJson(text, UNBOUNDED)).toBeUndefined();
      }),
    );
  });

  it("on JSON texts with one character inserted, deleted or replaced", () => {
    const alphabet = fc.constantFrom(...'{}[]":,\\ 0123456789.eE+-tfnulrasx\n\t\u0000\u001f');
    fc.assert(
      fc.property(
        fc.json(),
        fc.nat(),
        fc.constantFrom("insert", "delete", "replace"),
        alphabet,
        (json, at, edit, char) => {
          const i = at % (json.length + 1);
          const text =
            edit === "insert"
              ? json.slice(0, i) + char + json.slice(i)
              : edit === "delete"
                ? json.slice(0, i) + json.slice(i + 1)
                : json.slice(0, i) + char + json.slice(i + 1);
          expect(scanJson(text, UNBOUNDED) === undefined).toBe(parses(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("on short strings of JSON's own characters", () => {
    const alphabet = fc.constantFrom(...'{}[]":,\\ 01-.eE+truefalsn\\u');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 12 }), (chars) => {
        const text = chars.join("");
        expect(scanJson(text, UNBOUNDED) === undefined).toBe(parses(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("scanJson limits", () => {
  const limits: JsonLimits = { maxDepth: 3, maxEntries: 2, maxFields: 3 };

  it("counts depth from the outer value, which is depth 1", () => {
    expect(scanJson("[[[]]]", limits)).toBeUndefined();
    expect(scanJson("[[[[]]]]", limits)).toBe("too-deep");
    expect(scanJson('{"a":{"b":{}}}', limits)).toBeUndefined();
    expect(scanJson('{"a":{"b":{"c":{}}}}', limits)).toBe("too-deep");
  });

  it("counts the elements of an outer array as entries; an outer object is one", () => {
    expect(scanJson("[{},{}]", limits)).toBeUndefined();
    expect(scanJson("[{},{},{}]", limits)).toBe("too-many-entries");
    expect(scanJson("[1,2,3]", limits)).toBe("too-many-entries");
    expect(scanJson("[]", limits)).toBeUndefined();
  });

  it("counts every value inside one entry, nested ones too, and starts again at the next", () => {
    expect(scanJson('[{"a":1,"b":2,"c":3},{"d":[1,2]}]', limits)).toBeUndefined();
    expect(scanJson('[{"a":1,"b":2,"c":3,"d":4}]', limits)).toBe("too-many-fields");
    expect(scanJson('[{"a":[1,2,3]}]', limits)).toBe("too-many-fields");
    expect(scanJson('{"a":[1,2,3]}', limits)).toBe("too-many-fields");
    expect(scanJson('{"a":[1,2]}', limits)).toBeUndefined();
  });

  it("answers the first bound passed, in text order, even when the rest is not JSON", () => {
    expect(scanJson("[[[[[[[[ garbage", limits)).toBe("too-deep");
    expect(scanJson("[{},{},{}, garbage", limits)).toBe("too-many-entries");
    expect(scanJson("[garbage [[[[[[[", limits)).toBe("invalid-json");
  });

  it("refuses the bombs at their first bytes past a bound, at the defaults", () => {
    const deep = `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`;
    expect(scanJson(deep)).toBe("too-deep");
    const wide = `[${"{},".repeat(200_000)}{}]`;
    expect(scanJson(wide)).toBe("too-many-entries");
    const keys = `{${Array.from({ length: 2000 }, (_, i) => `"k${i}":0`).join(",")}}`;
    expect(scanJson(keys)).toBe("too-many-fields");
    const ones = `[{"a":[${"1,".repeat(5000)}1]}]`;
    expect(scanJson(ones)).toBe("too-many-fields");
    expect(DEFAULT_JSON_LIMITS).toEqual({ maxDepth: 64, maxEntries: 30_000, maxFields: 1_000 });
  });
});
