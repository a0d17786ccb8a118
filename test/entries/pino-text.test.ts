import fc from "fast-check";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { PinoText } from "../../src/entries/pino-text.js";
import {
  fields,
  fromObject,
  general,
  likelyPinoLine,
  maker,
  oddLine,
  pinoLine,
} from "../support/pino-lines.js";

function textPath(extra: Parameters<typeof maker>[0] = {}) {
  const m = maker(extra);
  return { m, text: new PinoText(m.writer) };
}

/** What a real pino logger writes for `log(logger)`, one line each. */
function pinoLines(log: (logger: pino.Logger) => void, options: pino.LoggerOptions = {}): string[] {
  const lines: string[] = [];
  const write = (line: string) => lines.push(line.slice(0, -1));
  const logger = pino({ name: "api", ...options }, { write });
  log(logger);
  return lines;
}

describe("pino lines from their text", () => {
  it("gives the general path's entry, character for character, or leaves the line to it", () => {
    fc.assert(
      fc.property(
        fc.oneof(likelyPinoLine, pinoLine),
        fields,
        fc.option(fc.string(), { nil: undefined }),
        (line, extra, service) => {
          const { m, text } = textPath({ fields: extra });
          const fast = text.entry(line, service);
          if (fast !== undefined) expect(fast).toEqual(general(m, line, service));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("the same for lines pino would not write", () => {
    fc.assert(
      fc.property(oddLine, fields, (line, extra) => {
        const { m, text } = textPath({ fields: [...extra, ["env", "prod"]] });
        const fast = text.entry(line);
        if (fast !== undefined) expect(fast).toEqual(general(m, line));
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the lines of pino's shape, unless an err stands without a msg", () => {
    fc.assert(
      fc.property(likelyPinoLine, (line) => {
        const object = JSON.parse(line) as Record<string, unknown>;
        const errAlone = Object.hasOwn(object, "err") && !Object.hasOwn(object, "msg");
        expect(textPath().text.entry(line) === undefined).toBe(errAlone);
      }),
      { numRuns: 1000 },
    );
  });

  it("takes what a real pino writes: bindings, child loggers, errors, nesting, escapes, unicode", () => {
    const lines = pinoLines((logger) => {
      logger.info("plain");
      logger.info(
        { user: { id: 1, roles: ["a", "b"], nested: { deep: [1.5, -2, 1e21] } } },
        "nested",
      );
      logger.child({ requestId: "r-1", attempt: 2 }).warn({ ok: false, none: null }, "child");
      logger.error(new Error("card declined"), "payment failed");
      logger.error({ err: new TypeError("bad\ttab") }, 'quote " and \\ backslash\nnewline');
      logger.fatal({ path: "/a/b", café: "crème", smile: "\u{1f600}" }, "unicode é");
      logger.debug({ empty: {}, list: [] }, "");
    });
    const { m, text } = textPath({ fields: [["env", "prod"]] });
    for (const line of lines) {
      const fast = text.entry(line);
      expect(fast, line).toBeDefined();
      expect(fast).toEqual(general(m, line));
    }
  });

  it("maps a pino line as the docs show it", () => {
    const line =
      '{"level":50,"time":1796600707929,"pid":7,"hostname":"app-1","name":"api","msg":"payment failed","err":{"type":"Error","message":"card declined","stack":"Error: card declined\\n    at pay (/app/pay.js:10:11)"},"orderId":42}';
    const entry = textPath().text.entry(line);
    expect(entry?.json).toBe(
      '{"timestamp":"2026-12-06T23:45:07.929Z","level":"ERROR","message":"payment failed","service":"api","host":"app-1","metadata":{"pid":7,"err":{"type":"Error","message":"card declined","stack":"Error: card declined\\n    at pay (/app/pay.js:10:11)"},"orderId":42}}',
    );
    expect(entry?.level).toBe("ERROR");
    expect(entry?.bytes).toBe(Buffer.byteLength(entry?.json ?? ""));
  });

  it("measures the bytes of lines beyond ASCII", () => {
    const line = '{"level":30,"time":1796600707929,"msg":"crème brûlée \u{1f600}","k":"ü"}';
    const { m, text } = textPath({ service: "sérvice", host: "hôte" });
    const entry = text.entry(line, "sêrvice");
    expect(entry).toEqual(general(m, line, "sêrvice"));
    expect(entry?.bytes).toBe(Buffer.byteLength(entry?.json ?? ""));
  });

  it.each([
    ["a repeated key", '{"level":30,"a":1,"a":2,"msg":"m"}'],
    ["a repeated key, nested", '{"level":30,"a":{"b":1,"b":2},"msg":"m"}'],
    ["a key that is an index, nested", '{"level":30,"a":{"b":1,"0":2},"msg":"m"}'],
    ["a __proto__ key", '{"level":30,"a":{"__proto__":1},"msg":"m"}'],
    ["a metadata field", '{"level":30,"metadata":{"a":1},"msg":"m"}'],
    ["an err without msg", '{"level":50,"err":{"message":"boom"}}'],
    ["a level name", '{"level":"info","msg":"m"}'],
    ["a time string", '{"level":30,"time":"2026-11-24T10:00:00Z","msg":"m"}'],
    ["a time out of range", '{"level":30,"time":1e300,"msg":"m"}'],
    ["a msg that is not a string", '{"level":30,"msg":42}'],
    ["a \\u escape", '{"level":30,"msg":"\\u0041"}'],
    ["an escaped slash", '{"level":30,"msg":"a\\/b"}'],
    ["a space", '{"level":30, "msg":"m"}'],
    ["-0", '{"level":30,"msg":"m","n":-0}'],
    ["1.0", '{"level":30,"msg":"m","n":1.0}'],
    ["a lone surrogate", '{"level":30,"msg":"\ud800"}'],
    ["a raw tab", '{"level":30,"msg":"a\tb"}'],
    ["text after the object", '{"level":30,"msg":"m"} '],
    ["a cut line", '{"level":30,"msg":"m"'],
    ["text", "plain text"],
  ])("leaves to the general path %s", (_name, line) => {
    const { m, text } = textPath();
    expect(text.entry(line)).toBeUndefined();
    // The maker still maps it, by the other paths.
    expect(m.pino(line) ?? general(m, line)).toEqual(general(m, line));
  });

  it("leaves every line to the general path when a static field is named by an index", () => {
    expect(textPath({ fields: [["7", "x"]] }).text.entry('{"level":30,"msg":"m"}')).toBeUndefined();
  });

  it.each(["07", "4294967295", "-1", "1.5"])(
    "reads lines from their text when a static field is named %s, not an index",
    (key) => {
      const { m, text } = textPath({ fields: [[key, "x"]] });
      const line = '{"level":30,"time":0,"n":1,"msg":"m"}';
      const entry = text.entry(line);
      expect(entry).toEqual(general(m, line));
      expect(Object.keys(JSON.parse(entry?.json ?? "{}").metadata)).toEqual(["n", key]);
    },
  );
});

/** Members that make `auto` take a line for another logger's, or for pino's still. */
const otherLoggerMember = fc.constantFrom(
  "",
  ',"v":0',
  ',"v":"x"',
  ',"log":"a line"',
  ',"log":1',
  ',"stream":"stdout"',
  ',"MESSAGE":"m","PRIORITY":"6"',
  ',"MESSAGE":"m"',
  ',"__REALTIME_TIMESTAMP":"1"',
  ',"nested":{"v":1,"log":"x"}',
  ',"level":"info"',
);

describe("pino lines from their text, with the auto format", () => {
  it("gives what auto's detection and mapping give, or leaves the line to them", () => {
    fc.assert(
      fc.property(
        fc.oneof(likelyPinoLine, pinoLine, oddLine),
        otherLoggerMember,
        fc.nat(),
        fields,
        (line, member, cut, extra) => {
          const m = maker({ jsonFormat: "auto", fields: extra });
          // The member spliced in after any comma, or left out.
          const commas = [...line.matchAll(/,/g)].map((match) => match.index);
          const at = commas.length === 0 ? -1 : (commas[cut % commas.length] as number);
          const spliced =
            at < 0 || member === "" ? line : `${line.slice(0, at)}${member}${line.slice(at)}`;
          const fast = m.pino(spliced);
          if (fast !== undefined) expect(fast).toEqual(fromObject(m, spliced));
        },
      ),
      { numRuns: 4000 },
    );
  });

  it("takes what a real pino writes, and leaves a line of a logger detected before pino", () => {
    const lines = pinoLines((logger) => {
      logger.info("plain");
      logger.child({ requestId: "r-1" }).warn({ ok: false }, "child");
      logger.error(new Error("card declined"), "payment failed");
    });
    const m = maker({ jsonFormat: "auto" });
    for (const line of lines) {
      const fast = m.pino(line);
      expect(fast, line).toBeDefined();
      expect(fast).toEqual(fromObject(m, line));
    }
    // A `v` of 0 logged with number times, or ISO ones (read by the general path): bunyan's
    // lines never start with `level`, so the field is the app's own and stays.
    const zero = (logger: pino.Logger) => logger.info({ v: 0 }, "m");
    const [numbered = ""] = pinoLines(zero);
    const [iso = ""] = pinoLines(zero, { timestamp: pino.stdTimeFunctions.isoTime });
    expect(m.pino(numbered)).toBeDefined();
    for (const line of [numbered, iso]) {
      const entry = m.pino(line) ?? fromObject(m, line);
      expect(JSON.parse(entry?.json ?? "{}").metadata, line).toMatchObject({ v: 0 });
    }
    // docker's `log`, journald's `MESSAGE`: auto maps them as those loggers'.
    for (const line of [
      '{"level":30,"time":1796600707929,"log":"x","msg":"m"}',
      '{"level":30,"time":1796600707929,"MESSAGE":"x","PRIORITY":"6","msg":"m"}',
    ]) {
      expect(m.pino(line), line).toBeUndefined();
      expect(fromObject(m, line)).not.toEqual(maker().pino(line));
    }
  });
});
