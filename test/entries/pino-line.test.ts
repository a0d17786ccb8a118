import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SerializedEntry } from "../../src/entries/entry-writer.js";
import { parseObject } from "../../src/entries/json-object.js";
import { EntryMaker, type EntryMakerOptions } from "../../src/entries/maker.js";
import { utcZone } from "../../src/entries/zone.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");

function maker(extra: Partial<EntryMakerOptions> = {}): EntryMaker {
  return new EntryMaker({
    parse: { kind: "auto" },
    jsonFormat: "pino",
    zone: utcZone,
    level: "INFO",
    service: "svc",
    host: "me",
    fields: [],
    now: () => NOW,
    ...extra,
  });
}

/** The general path: parse, map with `pino`, write (as LineShipper does without the fast one). */
function general(m: EntryMaker, line: string, service?: string): SerializedEntry {
  const object = parseObject(line);
  if (object === undefined) return m.text(line);
  const parsed = m.mapObject(object);
  if (parsed === undefined) throw new Error("pino maps every object");
  return m.writer.parsed(service === undefined ? parsed : { ...parsed, service }, "");
}

const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("", 'a"b\\c\n\t\u0000\u001f\u2028', "\ud800 lone", "ok \u{1f600}"),
);
const key = fc.oneof(
  fc.constantFrom("err", "req", "pid", "0", "12", "01", "__proto__", "metadata", "v"),
  fc.string({ unit: "binary", maxLength: 8 }),
);
const err = fc.record({
  type: fc.constant("Error"),
  message: text,
  stack: text.map((s) => `Error: ${s}\n    at f (file.js:1:2)`),
});

/** pino's fields, each present or not, some with values their roles cannot use. */
const pinoFields = fc.record(
  {
    level: fc.oneof(
      fc.constantFrom(10, 20, 30, 40, 50, 60, 35, 0, -1, 1e21),
      fc.constantFrom("info", "WARN", "nope", ""),
      fc.constant(null),
    ),
    time: fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double(),
      fc.constantFrom("2026-11-24T10:00:00Z", "yesterday", 1_764_000_000),
      fc.constant(true),
    ),
    pid: fc.integer(),
    hostname: fc.oneof(text, fc.integer()),
    name: fc.oneof(text, fc.constant(null)),
    msg: fc.oneof(text, fc.integer(), fc.constant(null)),
    err,
  },
  { requiredKeys: [] },
);

/** A pino line: its fields in pino's order, other fields (nested too) among them. */
const pinoLine = fc
  .tuple(pinoFields, fc.dictionary(key, fc.oneof(fc.jsonValue(), err), { maxKeys: 6 }), fc.nat())
  .map(([fields, extra, cut]) => {
    const entries = Object.entries(fields);
    const at = cut % (entries.length + 1);
    const object: Record<string, unknown> = {};
    for (const [k, v] of [
      ...entries.slice(0, at),
      ...Object.entries(extra),
      ...entries.slice(at),
    ]) {
      Object.defineProperty(object, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return JSON.stringify(object);
  });

const fields = fc.array(
  fc.tuple(fc.oneof(key, fc.constantFrom("time", "msg", "env")), fc.string()),
  { maxLength: 3 },
);

describe("pino fast path", () => {
  it("gives the general path's entry, character for character, or leaves the line to it", () => {
    fc.assert(
      fc.property(
        pinoLine,
        fields,
        fc.option(fc.string(), { nil: undefined }),
        (line, extra, service) => {
          const m = maker({ fields: extra });
          const fast = m.pino(line, service);
          if (fast !== undefined) expect(fast).toEqual(general(m, line, service));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("the same for lines pino would not write: spaces, escapes, odd numbers", () => {
    const variants = pinoLine.chain((line) =>
      fc.constantFrom(
        line,
        line.replace(/,/g, ", "),
        line.replace(/"a/g, '"\\u0061'),
        line.replace(/:1/g, ":1.0"),
        line.replace(/:-?\d+/g, ":-0"),
        `${line} `,
        `{"level":30,${line.slice(1)}`,
        line.slice(0, -1),
      ),
    );
    fc.assert(
      fc.property(variants, (line) => {
        const m = maker({ fields: [["env", "prod"]] });
        const fast = m.pino(line);
        if (fast !== undefined) expect(fast).toEqual(general(m, line));
      }),
      { numRuns: 2000 },
    );
  });

  it("takes pino's own lines", () => {
    const m = maker({ fields: [["env", "prod"]] });
    const line =
      '{"level":50,"time":1764000000000,"pid":7,"hostname":"box","name":"api","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at x"},"req":{"id":1},"msg":"failed é \\"q\\""}';
    const entry = m.pino(line);
    expect(entry).toEqual(general(m, line));
    expect(JSON.parse(entry?.json ?? "")).toEqual({
      timestamp: "2025-11-24T16:00:00.000Z",
      level: "ERROR",
      message: 'failed é "q"',
      service: "api",
      host: "box",
      metadata: {
        pid: 7,
        err: { type: "Error", message: "boom", stack: "Error: boom\n    at x" },
        req: { id: 1 },
        env: "prod",
      },
    });
  });

  it("leaves to the general path a metadata field, a static field named by an index, another format", () => {
    expect(maker().pino('{"level":30,"metadata":{"a":1},"msg":"m"}')).toBeUndefined();
    expect(maker({ fields: [["7", "x"]] }).pino('{"level":30,"msg":"m"}')).toBeUndefined();
    expect(maker({ jsonFormat: "auto" }).pino('{"level":30,"msg":"m"}')).toBeUndefined();
    expect(maker().pino("plain text")).toBeUndefined();
  });

  it("without a msg, the message of its err, as the general path", () => {
    const m = maker();
    const line = '{"level":50,"err":{"message":"boom"}}';
    expect(m.pino(line)).toEqual(general(m, line));
    expect(JSON.parse(m.pino(line)?.json ?? "").message).toBe("boom");
  });
});
