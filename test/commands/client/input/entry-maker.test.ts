import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineToJson } from "../../../../src/commands/client/input/entry.js";
import { lineEntryMaker } from "../../../../src/commands/client/input/entry-maker.js";
import type { EntryConfig } from "../../../../src/commands/client/parse-options.js";
import { utcZone } from "../../../../src/entries/zone.js";
import { withJsonParseCalls } from "../../../support/json-parse-calls.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");

function config(entries: Partial<EntryConfig>) {
  return {
    level: "INFO" as const,
    service: "svc",
    entries: {
      parse: { kind: "auto" as const },
      jsonFormat: "auto" as const,
      zone: utcZone,
      hostName: "me",
      fields: [],
      ...entries,
    },
  };
}

const defaults = { level: "INFO" as const, service: "svc", now: () => NOW };

describe("lineEntryMaker", () => {
  it("--parse none --json-format raw makes exactly lineToJson's entries", () => {
    const maker = lineEntryMaker(config({ parse: { kind: "none" }, jsonFormat: "raw" }), () => NOW);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (line) => {
        const bytes = Buffer.byteLength(line);
        expect(maker.make(line, bytes)).toEqual(lineToJson(line, defaults, bytes));
      }),
    );
  });

  it("--json-format pino parses a line its text path leaves at most once", () => {
    const maker = lineEntryMaker(config({ jsonFormat: "pino" }), () => NOW);
    const cut = '{"level":30,"msg":"cut';
    const object = '{"level":40,"time":0,"metadata":{"a":1},"msg":"m"}';
    const { result, calls } = withJsonParseCalls(() =>
      [cut, object].map((line) => maker.make(line, line.length).json),
    );
    expect(calls).toBe(2);
    expect(JSON.parse(result[0] ?? "").message).toBe(cut);
    expect(JSON.parse(result[1] ?? "")).toMatchObject({ level: "WARNING", message: "m" });
  });

  it("--parse none keeps text lines as lineToJson does and still maps JSON loggers", () => {
    const maker = lineEntryMaker(config({ parse: { kind: "none" } }), () => NOW);
    const text = "2026-11-24T10:30:00Z ERROR x";
    expect(maker.make(text, text.length)).toEqual(lineToJson(text, defaults, text.length));
    const pino = '{"level":60,"msg":"down"}';
    expect(maker.make(pino, pino.length).level).toBe("CRITICAL");
  });

  it("maps pino's lines as the parsed object maps, by auto and by pino, with static fields", () => {
    const line =
      '{"level":40,"time":1796600707929,"pid":7,"hostname":"app-1","name":"api","reqId":3,"msg":"slow"}';
    const expected = {
      timestamp: "2026-12-06T23:45:07.929Z",
      level: "WARNING",
      message: "slow",
      service: "api",
      host: "app-1",
      metadata: { pid: 7, reqId: 3, dc: "eu" },
    };
    for (const jsonFormat of ["auto", "pino"] as const) {
      const maker = lineEntryMaker(config({ jsonFormat, fields: [["dc", "eu"]] }), () => NOW);
      const entry = maker.make(line, line.length);
      expect(JSON.parse(entry.json)).toEqual(expected);
      expect([entry.level, entry.bytes]).toEqual(["WARNING", Buffer.byteLength(entry.json)]);
    }
  });

  it("keeps a JSON object of no known logger as lineToJson does", () => {
    const maker = lineEntryMaker(config({}), () => NOW);
    const line = '{ "n" : 1.0 }';
    expect(maker.make(line, line.length)).toEqual(lineToJson(line, defaults, line.length));
  });

  it("parses text lines by default", () => {
    const maker = lineEntryMaker(config({ fields: [["dc", "eu"]] }), () => NOW);
    const line = "Nov 24 10:30:00 web-1 app[1]: WARN slow";
    const entry = maker.make(line, line.length);
    expect(entry.level).toBe("WARNING");
    expect(JSON.parse(entry.json)).toEqual({
      timestamp: "2026-11-24T10:30:00.000Z",
      level: "WARNING",
      message: line,
      service: "svc",
      host: "me",
      metadata: { dc: "eu" },
    });
  });

  it("keeps a line shaped as the shipper's entry as written, host appended", () => {
    const maker = lineEntryMaker(config({ hostName: "hé" }), () => NOW);
    const line = '{ "level":"ERROR", "message":"x", "metadata":{"n":1.0} }';
    const entry = maker.make(line, line.length);
    expect(entry.json).toBe(
      '{"level":"ERROR","message":"x","metadata":{"n":1.0},"timestamp":"2026-11-24T12:00:00.000Z","host":"hé"}',
    );
    expect(entry.bytes).toBe(Buffer.byteLength(entry.json));
    expect(entry.level).toBe("ERROR");
    const hosted = '{"message":"x","host":"h"}';
    expect(maker.make(hosted, hosted.length).json).toBe(
      '{"message":"x","host":"h","timestamp":"2026-11-24T12:00:00.000Z"}',
    );
  });

  it("maps an entry-shaped line when --field is given, or its level is spelled otherwise", () => {
    const withField = lineEntryMaker(config({ fields: [["dc", "eu"]] }), () => NOW);
    const line = '{"level":"ERROR","message":"x"}';
    expect(JSON.parse(withField.make(line, line.length).json).metadata).toEqual({ dc: "eu" });
    const plain = lineEntryMaker(config({}), () => NOW);
    const lower = '{"level":"error","message":"x"}';
    expect(JSON.parse(plain.make(lower, lower.length).json)).toMatchObject({
      level: "ERROR",
      host: "me",
    });
  });
});
