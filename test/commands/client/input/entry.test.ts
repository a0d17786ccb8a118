import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseLevel } from "../../../../src/client/levels.js";
import {
  EntryCache,
  type EntryDefaults,
  lineToEntry,
  lineToJson,
  MAX_JSON_DEPTH,
  timestamp,
} from "../../../../src/commands/client/input/entry.js";
import { compactJson } from "../../../../src/wire/payload.js";

const fixed = new Date("2026-11-24T10:30:00.123Z");
const defaults = { level: "INFO", service: "checkout", now: () => fixed } as const;

describe("lineToEntry", () => {
  it("keeps the fields of a JSON object in order and appends a timestamp", () => {
    const entry = lineToEntry('{"level":"ERROR","message":"boom","user":{"id":7}}', defaults);
    expect(entry).toEqual({
      level: "ERROR",
      message: "boom",
      user: { id: 7 },
      timestamp: "2026-11-24T10:30:00.123Z",
    });
    expect(Object.keys(entry)).toEqual(["level", "message", "user", "timestamp"]);
  });

  it("leaves a timestamp the object already has, whatever its type", () => {
    expect(lineToEntry('{"timestamp":"yesterday","a":1}', defaults)).toEqual({
      timestamp: "yesterday",
      a: 1,
    });
    expect(lineToEntry('{"timestamp":null}', defaults)).toEqual({ timestamp: null });
  });

  it("accepts white space around a JSON object", () => {
    expect(lineToEntry('  \t{"a":1} ', defaults)).toEqual({
      a: 1,
      timestamp: "2026-11-24T10:30:00.123Z",
    });
  });

  it.each([
    ["plain text", "User logged in"],
    ["a JSON array", '[{"a":1}]'],
    ["a JSON number", "42"],
    ["a JSON string", '"quoted"'],
    ["null", "null"],
    ["invalid JSON", '{"a":'],
    ["an object followed by text", '{"a":1} trailing'],
  ])("wraps %s as the message of a new entry", (_, line) => {
    const entry = lineToEntry(line, defaults);
    expect(entry).toEqual({
      timestamp: "2026-11-24T10:30:00.123Z",
      level: "INFO",
      message: line,
      service: "checkout",
      metadata: {},
    });
    expect(Object.keys(entry)).toEqual(["timestamp", "level", "message", "service", "metadata"]);
  });

  it("takes an object nested deeper than MAX_JSON_DEPTH as text, so it stays serializable", () => {
    const depth = 200_000;
    const deep = `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const entry = lineToEntry(deep, defaults);
    expect(entry.message).toBe(deep);
    expect(() => JSON.stringify(entry)).not.toThrow();
  });

  it("keeps an object nested exactly MAX_JSON_DEPTH deep, brackets inside strings not counted", () => {
    const inner = MAX_JSON_DEPTH - 1;
    const line = `{"s":"${"[".repeat(5000)}","a":${"[".repeat(inner)}${"]".repeat(inner)}}`;
    expect(lineToEntry(line, defaults).message).toBeUndefined();
    const deeper = `{"a":${"[".repeat(inner + 1)}${"]".repeat(inner + 1)}}`;
    expect(lineToEntry(deeper, defaults).message).toBe(deeper);
  });

  it("keeps a __proto__ key as a plain field", () => {
    const entry = lineToEntry('{"__proto__":{"polluted":true}}', defaults);
    expect(Object.hasOwn(entry, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("falls back to the epoch when the clock gives an invalid date", () => {
    const entry = lineToEntry("text", { ...defaults, now: () => new Date(Number.NaN) });
    expect(entry.timestamp).toBe("1970-01-01T00:00:00.000Z");
  });

  it("turns any string into an object entry with a timestamp, never throwing", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.json(),
          fc.string().map((s) => `{${s}`),
        ),
        (line) => {
          const entry = lineToEntry(line, defaults);
          expect(typeof entry).toBe("object");
          expect(Array.isArray(entry)).toBe(false);
          expect(entry).toHaveProperty("timestamp");
          expect(typeof JSON.stringify(entry)).toBe("string");
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Lines of every kind: text, JSON of any type, spaced JSON objects, broken and deep objects. */
const anyLine = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.json(),
  fc.string().map((s) => `{${s}`),
  fc
    .dictionary(fc.string(), fc.jsonValue())
    .map((value) => ` ${JSON.stringify(value, null, 1).replaceAll("\n", " ")}\t`),
  fc
    .integer({ min: 500, max: 520 })
    .map((depth) => `{"a":${"[".repeat(depth)}${"]".repeat(depth)}}`),
);

function isObjectJson(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

describe("lineToJson", () => {
  it("gives exactly JSON.stringify(lineToEntry(line)) for a line that is not a JSON object", () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        fc.pre(!isObjectJson(line));
        const entry = lineToEntry(line, defaults);
        const json = JSON.stringify(entry);
        expect(lineToJson(line, defaults)).toEqual({
          json,
          level: "INFO",
          bytes: Buffer.byteLength(json),
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("gives compact text that parses to lineToEntry(line), keys in order, and the entry's level", () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const entry = lineToEntry(line, defaults);
        const { json, level } = lineToJson(line, defaults);
        const parsed = JSON.parse(json);
        expect(parsed).toEqual(entry);
        expect(Object.keys(parsed)).toEqual(Object.keys(entry));
        expect(compactJson(json, 0, json.length)).toBe(json);
        expect(level).toBe(typeof entry.level === "string" ? parseLevel(entry.level) : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the same text for a JSON object line however it is spaced", () => {
    const strings = fc.oneof(fc.string(), fc.constantFrom("a, b", "k: v", "{ }", "[ 1 ]", " , "));
    const values = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        strings,
        fc.integer(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.dictionary(strings, tie("value"), { maxKeys: 4 }),
      ),
    })).value;
    /** White space to put at each place between tokens, in turn; mostly none. */
    const gaps = fc.array(fc.constantFrom("", "", "", " ", "\t", "\r\n", " \n "), {
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.dictionary(strings, values, { maxKeys: 6 }), gaps, (object, spaces) => {
        let turn = 0;
        const gap = () => spaces[turn++ % spaces.length] as string;
        const spaced = (value: unknown): string => {
          if (Array.isArray(value)) {
            return `[${gap()}${value.map(spaced).join(`${gap()},${gap()}`)}${gap()}]`;
          }
          if (typeof value === "object" && value !== null) {
            const fields = Object.entries(value).map(
              ([key, field]) => `${JSON.stringify(key)}${gap()}:${gap()}${spaced(field)}`,
            );
            return `{${gap()}${fields.join(`${gap()},${gap()}`)}${gap()}}`;
          }
          return JSON.stringify(value);
        };
        const entry = { timestamp: "2026-11-24T10:30:00.000Z", ...object };
        const compact = JSON.stringify(entry);
        expect(lineToJson(`${gap()}${spaced(entry)}${gap()}`, defaults).json).toBe(compact);
        expect(lineToJson(compact, defaults).json).toBe(compact);
      }),
      { numRuns: 2000 },
    );
  });

  it("measures the text's UTF-8 bytes, from the line's when given", () => {
    const cache = new EntryCache();
    const services = fc.constantFrom("checkout", "caisse-€", "日志");
    fc.assert(
      fc.property(anyLine, services, (line, service) => {
        const withService = { ...defaults, service };
        const entry = lineToJson(line, withService, undefined, cache);
        expect(entry.bytes).toBe(Buffer.byteLength(entry.json));
        expect(lineToJson(line, withService, Buffer.byteLength(line), cache)).toEqual(entry);
      }),
      { numRuns: 2000 },
    );
  });

  it("follows the clock from line to line", () => {
    let now = Date.parse("2026-11-24T10:30:00.123Z");
    const ticking = { ...defaults, now: () => now };
    const cache = new EntryCache();
    const stamps = [0, 0, 1, 1000, 1000].map((step) => {
      now += step;
      return JSON.parse(lineToJson("text", ticking, undefined, cache).json).timestamp;
    });
    expect(stamps).toEqual([
      "2026-11-24T10:30:00.123Z",
      "2026-11-24T10:30:00.123Z",
      "2026-11-24T10:30:00.124Z",
      "2026-11-24T10:30:01.124Z",
      "2026-11-24T10:30:02.124Z",
    ]);
  });

  it("escapes the message of a text line as JSON.stringify does", () => {
    const line = 'say "hi" \\ \u0001 \ud800 €';
    expect(lineToJson(line, { ...defaults, service: 'a"b' }).json).toBe(
      `{"timestamp":"2026-11-24T10:30:00.123Z","level":"INFO","message":${JSON.stringify(line)},"service":"a\\"b","metadata":{}}`,
    );
  });

  it("sends a JSON object line as written, without white space outside its strings", () => {
    const line =
      ' \t{"timestamp":"t", "n" : 1.0,"big":12345678901234567890,"2":1,"10":" x ","a":1,"a":2}\r';
    const json =
      '{"timestamp":"t","n":1.0,"big":12345678901234567890,"2":1,"10":" x ","a":1,"a":2}';
    expect(lineToJson(line, defaults)).toEqual({ json, level: undefined, bytes: json.length });
  });

  it.each([
    ['{"a":1}', '{"a":1,"timestamp":"2026-11-24T10:30:00.123Z"}'],
    ['{"a": [ 1 ] }', '{"a":[1],"timestamp":"2026-11-24T10:30:00.123Z"}'],
    ["{}", '{"timestamp":"2026-11-24T10:30:00.123Z"}'],
    [" { \t} ", '{"timestamp":"2026-11-24T10:30:00.123Z"}'],
  ])("appends the timestamp %j lacks as its last field", (line, json) => {
    expect(lineToJson(line, defaults).json).toBe(json);
  });

  it.each([
    ['{"level":"warn"}', "WARNING"],
    ['{"level":" Error "}', "ERROR"],
    ['{"level":"loud"}', undefined],
    ['{"level":30}', undefined],
    ['{"message":"no level"}', undefined],
    ["WARN plain text", "INFO"],
  ])("%j has level %s", (line, level) => {
    expect(lineToJson(line, defaults).level).toBe(level);
  });
});

describe("timestamp", () => {
  const iso = (ms: number) => {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? "1970-01-01T00:00:00.000Z" : date.toISOString();
  };

  it("reads a clock of milliseconds or of Dates alike", () => {
    const cache = new EntryCache();
    expect(timestamp(() => fixed.getTime(), cache)).toBe("2026-11-24T10:30:00.123Z");
    expect(timestamp(() => fixed, cache)).toBe("2026-11-24T10:30:00.123Z");
  });

  it("gives each reading its own text, repeated or not, across clocks", () => {
    const cache = new EntryCache();
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -1, max: 3 }),
            fc.integer({ min: -8.64e15 - 2, max: 8.64e15 + 2 }),
            fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0.5, 1.5),
          ),
        ),
        (readings) => {
          for (const ms of readings) expect(timestamp(() => ms, cache)).toBe(iso(ms));
        },
      ),
    );
  });
});

describe("EntryCache", () => {
  it("gives a run's lines the texts they get without one, whatever the clock and defaults", () => {
    const services = fc.constantFrom("checkout", "caisse-€");
    const steps = fc.array(
      fc.record({
        line: anyLine,
        ms: fc.constantFrom(0, 1, 1.5, Number.NaN, 1_700_000_000_000),
        service: services,
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(steps, (run) => {
        const cache = new EntryCache();
        const byService = new Map<string, EntryDefaults>();
        let now = 0;
        for (const { line, ms, service } of run) {
          now = ms;
          const shared = byService.get(service) ?? { ...defaults, service, now: () => now };
          byService.set(service, shared);
          expect(lineToJson(line, shared, undefined, cache)).toEqual(lineToJson(line, shared));
          expect(lineToEntry(line, shared, cache)).toEqual(lineToEntry(line, shared));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("lineToJson of a plain line", () => {
  it("gives what the line searched for escapes gives", () => {
    // Printable ASCII without a quote or a backslash: nothing JSON escapes.
    const plain = fc.stringMatching(/^[ -!#-[\]-~]{0,40}$/);
    const withService = { ...defaults, service: "chéckout" };
    fc.assert(
      fc.property(plain, (line) => {
        if (line.trimStart().startsWith("{")) return;
        const searched = lineToJson(line, withService, undefined, new EntryCache());
        const quoted = lineToJson(line, withService, undefined, new EntryCache(), true);
        expect(quoted).toEqual(searched);
        expect(quoted.bytes).toBe(Buffer.byteLength(quoted.json));
      }),
    );
  });
});
