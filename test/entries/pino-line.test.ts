import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withJsonParseCalls } from "../support/json-parse-calls.js";
import { fields, fromObject, general, maker, pinoLine } from "../support/pino-lines.js";

describe("pino objects by the short path", () => {
  it("gives the general path's entry, character for character, or leaves the line to it", () => {
    fc.assert(
      fc.property(
        pinoLine,
        fields,
        fc.option(fc.string(), { nil: undefined }),
        (line, extra, service) => {
          const m = maker({ fields: extra });
          expect(fromObject(m, line, service)).toEqual(general(m, line, service));
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
        const object = fromObject(m, line);
        if (object !== undefined) expect(object).toEqual(general(m, line));
      }),
      { numRuns: 2000 },
    );
  });

  it("takes pino's own lines", () => {
    const m = maker({ fields: [["env", "prod"]] });
    const line =
      '{"level":50,"time":1764000000000,"pid":7,"hostname":"box","name":"api","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at x"},"req":{"id":1},"msg":"failed é \\"q\\""}';
    const entry = fromObject(m, line);
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

  it("gives the general path's entry for a metadata field or a static field named by an index", () => {
    for (const [m, line] of [
      [maker(), '{"level":30,"metadata":{"a":1},"msg":"m"}'],
      [maker({ fields: [["7", "x"]] }), '{"level":30,"msg":"m"}'],
    ] as const) {
      expect(fromObject(m, line, "svc")).toEqual(general(m, line, "svc"));
    }
  });

  it("without a msg, the message of its err, as the general path", () => {
    const m = maker();
    const line = '{"level":50,"err":{"message":"boom"}}';
    expect(fromObject(m, line)).toEqual(general(m, line));
    expect(JSON.parse(fromObject(m, line)?.json ?? "").message).toBe("boom");
  });
});

describe("EntryMaker.pino", () => {
  it("reads only the text of pino's lines: nothing for another format or a line it cannot read", () => {
    expect(maker({ jsonFormat: "auto" }).pino('{"level":30,"msg":"m"}')).toBeUndefined();
    expect(
      maker({ jsonFormat: "winston" }).pino('{"level":30,"time":1,"msg":"m"}'),
    ).toBeUndefined();
    expect(maker().pino('{"level":30,"metadata":{"a":1},"msg":"m"}')).toBeUndefined();
    expect(maker().pino("plain text")).toBeUndefined();
    expect(maker().pino('{"level":30,"time":1,"msg":"m"}')).toBeDefined();
  });

  it("parses no line, valid or not", () => {
    const lines = ['{"level":30,"msg":"m"', '{"level":30,"metadata":{},"msg":"m"}'];
    const { result, calls } = withJsonParseCalls(() => lines.map((line) => maker().pino(line)));
    expect(result).toEqual([undefined, undefined]);
    expect(calls).toBe(0);
  });
});
