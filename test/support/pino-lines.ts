/**
 * pino-like lines for the property tests of the pino paths
 * (src/entries/pino-line.ts, pino-text.ts): an EntryMaker with a fixed
 * clock, the general path they must match, and arbitraries of lines pino
 * writes, with odd values and keys among them, and of lines pino would
 * not write.
 */
import fc from "fast-check";
import type { SerializedEntry } from "../../src/entries/entry-writer.js";
import { parseObject } from "../../src/entries/json-object.js";
import { EntryMaker, type EntryMakerOptions } from "../../src/entries/maker.js";
import { utcZone } from "../../src/entries/zone.js";

export const NOW = Date.parse("2026-11-24T12:00:00.000Z");

export function maker(extra: Partial<EntryMakerOptions> = {}): EntryMaker {
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

/**
 * The entry EntryMaker.object() gives for the parsed line (with `pino`,
 * pino-line.ts's short path; with `auto`, detection and mapping);
 * undefined when the line is not a JSON object.
 */
export function fromObject(
  m: EntryMaker,
  line: string,
  service?: string,
): SerializedEntry | undefined {
  const object = parseObject(line);
  return object === undefined ? undefined : m.object(object, service);
}

/** The general path: parse, map with `pino`, write (as LineShipper does without the fast ones). */
export function general(m: EntryMaker, line: string, service?: string): SerializedEntry {
  const object = parseObject(line);
  if (object === undefined) return m.text(line);
  const parsed = m.mapObject(object);
  if (parsed === undefined) throw new Error("pino maps every object");
  return m.writer.parsed(service === undefined ? parsed : { ...parsed, service }, "");
}

export const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom("", 'a"b\\c\n\t\u0000\u001f\u2028', "\ud800 lone", "ok \u{1f600}", "é/ü"),
);
export const key = fc.oneof(
  fc.constantFrom("err", "req", "pid", "0", "12", "01", "__proto__", "metadata", "v", "msg"),
  fc.string({ unit: "binary", maxLength: 8 }),
);
export const err = fc.record({
  type: fc.constant("Error"),
  message: text,
  stack: text.map((s) => `Error: ${s}\n    at f (file.js:1:2)`),
});

/** pino's fields, each present or not, some with values their roles cannot use. */
const pinoFields = fc.record(
  {
    level: fc.oneof(
      fc.constantFrom(10, 20, 30, 40, 50, 60, 35, 0, -1, 1e21, 30.5),
      fc.constantFrom("info", "WARN", "nope", ""),
      fc.constant(null),
    ),
    time: fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      fc.double(),
      fc.constantFrom("2026-11-24T10:00:00Z", "yesterday", 1_764_000_000, 1e300),
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

/** A JSON value with keys from `key`, so that nested objects hold odd keys too. */
const nested = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.double(), fc.integer(), fc.boolean(), fc.constant(null), text),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** A pino line: its fields in pino's order, other fields (nested too) among them. */
export const pinoLine = fc
  .tuple(
    pinoFields,
    fc.dictionary(key, fc.oneof(fc.jsonValue(), nested, err), { maxKeys: 6 }),
    fc.nat(),
  )
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

/** A string as loggers write them: printable, with quotes, backslashes, line breaks, unicode. */
const likelyText = fc.oneof(
  fc.string({ unit: "grapheme-ascii" }),
  fc.constantFrom("", 'say "hi"', "C:\\dir", "two\nlines", "tab\there", "crème", "\u{1f600} ok"),
);
const likelyErr = fc.record({
  type: fc.constant("Error"),
  message: likelyText,
  stack: likelyText.map((s) => `Error: ${s}\n    at f (file.js:1:2)`),
});
const likelyKey = fc.stringMatching(/^[a-z_][a-zA-Z0-9_.-]{0,8}$/);
const likelyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), likelyText),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(likelyKey, tie("value"), { maxKeys: 4 }),
  ),
})).value;

/**
 * A line as pino writes it, of the shapes its text path takes: each of
 * pino's fields present or not, with values of its type, and the fields of
 * the log call (plain keys, any JSON values) before the `msg`.
 */
export const likelyPinoLine = fc
  .record(
    {
      level: fc.constantFrom(10, 20, 30, 40, 50, 60),
      time: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      pid: fc.nat(),
      hostname: likelyText,
      name: likelyText,
      err: likelyErr,
      call: fc.dictionary(likelyKey, fc.oneof(likelyValue, likelyErr), { maxKeys: 5 }),
      msg: likelyText,
    },
    { requiredKeys: ["call"] },
  )
  .map(({ call, msg, ...fields }) => {
    const object: Record<string, unknown> = { ...fields };
    for (const [k, v] of Object.entries(call)) if (!(k in object)) object[k] = v;
    if (msg !== undefined) object.msg = msg;
    return JSON.stringify(object);
  });

/** Static fields, some named as pino's fields or as an index. */
export const fields = fc.array(
  fc.tuple(fc.oneof(key, fc.constantFrom("time", "msg", "hostname", "err", "env")), fc.string()),
  { maxLength: 3 },
);

/** Lines pino would not write: spaces, escapes, odd numbers, repeated keys, cut lines. */
export const oddLine = fc
  .oneof(pinoLine, likelyPinoLine)
  .chain((line) =>
    fc.constantFrom(
      line,
      line.replace(/,/g, ", "),
      line.replace(/:/, ": "),
      line.replace(/"a/g, '"\\u0061'),
      line.replace(/\//g, "\\/"),
      line.replace(/:1/g, ":1.0"),
      line.replace(/:(-?\d+)/g, ":$1e0"),
      line.replace(/:(\d+)/g, ":0$1"),
      line.replace(/:-?\d+/g, ":-0"),
      line.replace(/:(\d)/g, ":12345678901234567890$1"),
      line.replace(/\{"/g, '{"0":1,"'),
      line.replace(/\{"/g, '{"x":1,"x":2,"'),
      line.replace(/,"/, ',"level":30,"'),
      line.replace(/,"/g, ',"__proto__":{},"'),
      line.replace(/"([^"]*)":/, '"$1":1,"$1":'),
      line.replace(/\}$/, ',"msg":"m","msg":"n"}'),
      line.replace(/"/, '"\ud800'),
      line.replace(/"/g, '"\t'),
      `${line} `,
      ` ${line}`,
      `${line}}`,
      `{"level":30,${line.slice(1)}`,
      line.slice(0, -1),
      line.slice(0, Math.floor(line.length / 2)),
    ),
  );
