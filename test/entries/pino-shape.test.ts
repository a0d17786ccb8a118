import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { HOST, LEVEL, MSG, NAME, readPinoShape, TIME } from "../../src/entries/pino-shape.js";
import { PinoText } from "../../src/entries/pino-text.js";
import { fields, general, maker } from "../support/pino-lines.js";

const ROLES = { level: LEVEL, time: TIME, msg: MSG, name: NAME, hostname: HOST } as const;

/** What readPinoShape must give for a line, from the parsed line: undefined when it is not canonical. */
function expected(line: string) {
  let object: Record<string, unknown>;
  try {
    object = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (JSON.stringify(object) !== line) return undefined;
  const members = Object.entries(object)
    .filter(([key]) => !Object.hasOwn(ROLES, key))
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
    .join(",");
  const values = Object.fromEntries(
    Object.entries(ROLES).map(([key]) => [
      key,
      Object.hasOwn(object, key) ? JSON.stringify(object[key]) : undefined,
    ]),
  );
  return { members, values };
}

function read(line: string) {
  const starts = new Int32Array(8);
  const ends = new Int32Array(8);
  const members = readPinoShape(line, starts, ends);
  if (members === undefined) return undefined;
  const values = Object.fromEntries(
    Object.entries(ROLES).map(([key, role]) => {
      const start = starts[role] ?? -1;
      return [key, start < 0 ? undefined : line.slice(start, ends[role])];
    }),
  );
  return { members, values };
}

const printable = fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c));
const plainText = fc.oneof(
  {
    arbitrary: fc.string({ unit: printable, maxLength: 8 }).filter((t) => !/["\\]/.test(t)),
    weight: 6,
  },
  fc.constantFrom("", "GET", "/api/x", "__proto__", "0", "é", "a\\b", 'q"', "\u007f"),
);
const plainKey = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_.]{0,5}$/), weight: 12 },
  { arbitrary: fc.constantFrom("a", "b", "i", "ms", "pid", "err", "req"), weight: 4 },
  fc.constantFrom(
    "level",
    "time",
    "msg",
    "name",
    "hostname",
    "metadata",
    "__proto__",
    "0",
    "1x",
    "",
  ),
  plainText,
);
const number = fc.oneof(
  { arbitrary: fc.integer(), weight: 6 },
  fc.integer({ min: -1e15, max: 1e15 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(
    0,
    -0,
    0.1,
    0.30000000000000004,
    1e-6,
    1.5e-6,
    1e-7,
    123456789012345.6,
    1e21,
    2 ** 53,
    12.5,
  ),
);
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    { arbitrary: fc.oneof(number, plainText, fc.boolean(), fc.constant(null)), weight: 4 },
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(plainKey, tie("value")), { maxLength: 3 }),
  ),
})).value;

/** JSON text of a value where arrays of pairs are objects, with any key repeated as it comes. */
function jsonOf(v: unknown): string {
  if (!Array.isArray(v)) return typeof v === "number" ? numberText(v) : JSON.stringify(v);
  if (v.every((item) => Array.isArray(item) && item.length === 2 && typeof item[0] === "string")) {
    return `{${v.map(([k, x]) => `${JSON.stringify(k)}:${jsonOf(x)}`).join(",")}}`;
  }
  return `[${v.map(jsonOf).join(",")}]`;
}

/** A number as JSON, sometimes not as String() writes it (trailing zeros, an exponent, -0). */
function numberText(n: number): string {
  if (Object.is(n, -0)) return "-0";
  return String(n);
}

/** Lines of pino's shape, or near it: role values of other types, repeated and odd keys, odd numbers. */
const shapeLine = fc
  .record({
    level: fc.oneof({ arbitrary: fc.constantFrom(10, 30, 50, 60, 0, -1, 35), weight: 6 }, number),
    time: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 4_102_444_800_000 }), weight: 6 },
      number,
    ),
    before: fc.oneof(
      { arbitrary: fc.integer().map((pid): [string, unknown][] => [["pid", pid]]), weight: 6 },
      {
        arbitrary: fc.array(fc.tuple(plainKey, value as fc.Arbitrary<unknown>), { maxLength: 2 }),
        weight: 3,
      },
    ),
    hostname: fc.option(plainText, { freq: 6, nil: undefined }),
    name: fc.option(plainText, { nil: undefined }),
    after: fc.array(fc.tuple(plainKey, value), { maxLength: 4 }),
    msg: fc.oneof(
      { arbitrary: plainText, weight: 8 },
      plainText.map((s) => `${s}\n`),
    ),
    oddNumber: fc.option(
      fc.constantFrom(
        "1.0",
        "1e3",
        "01",
        "-0",
        "1.50",
        "12345678901234567",
        "1.00000000000000001",
        "0.1000000000000000055",
      ),
      {
        freq: 8,
        nil: undefined,
      },
    ),
  })
  .map(({ level, time, before, hostname, name, after, msg, oddNumber }) => {
    const member = ([k, v]: [string, unknown]) => `${JSON.stringify(k)}:${jsonOf(v)}`;
    const parts = [
      `"level":${numberText(level)}`,
      `"time":${numberText(time)}`,
      ...before.map(member),
      ...(hostname === undefined ? [] : [`"hostname":${JSON.stringify(hostname)}`]),
      ...(name === undefined ? [] : [`"name":${JSON.stringify(name)}`]),
      ...after.map(member),
      ...(oddNumber === undefined ? [] : [`"odd":${oddNumber}`]),
      `"msg":${JSON.stringify(msg)}`,
    ];
    return `{${parts.join(",")}}`;
  });

describe("pino's common line shape", () => {
  it("reads a line as the scan does, or leaves it to the scan", () => {
    let taken = 0;
    fc.assert(
      fc.property(shapeLine, (line) => {
        const shape = read(line);
        if (shape === undefined) return;
        taken++;
        expect(shape).toEqual(expected(line));
      }),
      { numRuns: 5000 },
    );
    // The property says something: many lines of the shape are taken.
    expect(taken).toBeGreaterThan(100);
  });

  it("gives the general path's entry, character for character", () => {
    fc.assert(
      fc.property(
        shapeLine,
        fields,
        fc.option(plainText, { nil: undefined }),
        (line, extra, service) => {
          const m = maker({ fields: extra });
          const entry = new PinoText(m.writer).entry(line, service);
          if (entry !== undefined) expect(entry).toEqual(general(m, line, service));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("takes what a pino logger writes of plain values", () => {
    const lines: string[] = [];
    const logger = pino(
      { name: "api" },
      { write: (line: string) => lines.push(line.slice(0, -1)) },
    );
    logger.info({ i: 1, request: { method: "GET", url: "/a", status: 200 }, ms: 12.5 }, "served");
    logger.child({ requestId: "r-1" }).warn({ list: [1, "a", null, { b: true }] }, "child");
    pino({}, { write: (line: string) => lines.push(line.slice(0, -1)) }).info("no name");
    // One key in sibling objects, and a field's key in a nested object: no key repeated.
    logger.info(
      { req: { headers: { a: "1" } }, res: { headers: { a: "2" } }, a: [{ a: 1 }, { a: 2 }] },
      "http",
    );
    for (const line of lines) expect(read(line), line).toEqual(expected(line));
  });

  it.each([
    ["a pid that is not a number", '{"level":30,"time":1,"pid":"a,b","x":1,"msg":"m"}'],
    ["a pid object", '{"level":30,"time":1,"pid":{"a":1,"b":2},"msg":"m"}'],
    ["a pid as the one field", '{"level":30,"time":1,"pid":-7,"msg":""}'],
    ["a name without hostname", '{"level":30,"time":1,"name":"n","a":[1,2],"msg":"m"}'],
    ["no bindings and no fields", '{"level":30,"time":1,"msg":"m"}'],
  ])("reads %s as the scan does", (_name, line) => {
    expect(read(line)).toBeDefined();
    expect(read(line)).toEqual(expected(line));
  });

  it.each([
    ["a repeated field", '{"level":30,"time":1,"a":1,"hostname":"h","a":2,"msg":"m"}'],
    [
      "a field repeated after a pid object",
      '{"level":30,"time":1,"pid":{"b":1,"c":{}},"x":1,"x":2,"msg":"m"}',
    ],
    ["a repeated nested key", '{"level":30,"time":1,"hostname":"h","a":{"b":1,"b":2},"msg":"m"}'],
    ["a role repeated", '{"level":30,"time":1,"hostname":"h","level":40,"msg":"m"}'],
    ["a metadata field", '{"level":30,"time":1,"hostname":"h","metadata":{},"msg":"m"}'],
    ["a nested __proto__", '{"level":30,"time":1,"hostname":"h","a":{"__proto__":1},"msg":"m"}'],
    ["a nested index", '{"level":30,"time":1,"hostname":"h","a":{"0":1},"msg":"m"}'],
    ["-0", '{"level":30,"time":1,"hostname":"h","a":-0,"msg":"m"}'],
    ["1e-7 as a decimal", '{"level":30,"time":1,"hostname":"h","a":0.0000001,"msg":"m"}'],
    ["a trailing zero", '{"level":30,"time":1,"hostname":"h","a":1.50,"msg":"m"}'],
    ["an escape", '{"level":30,"time":1,"hostname":"h","msg":"a\\nb"}'],
    ["no msg", '{"level":30,"time":1,"hostname":"h","a":1}'],
  ])("leaves to the scan %s", (_name, line) => {
    expect(read(line)).toBeUndefined();
  });
});
