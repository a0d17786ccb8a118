import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EntryMaker, type EntryMakerOptions } from "../../src/entries/maker.js";
import { compileLineRegex, type TextParse } from "../../src/entries/text-parsers.js";
import { utcZone } from "../../src/entries/zone.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");

function maker(parse: TextParse, extra: Partial<EntryMakerOptions> = {}): EntryMaker {
  return new EntryMaker({
    parse,
    jsonFormat: "auto",
    zone: utcZone,
    level: "INFO",
    service: "svc",
    host: "me",
    fields: [["env", "prod"]],
    now: () => NOW,
    ...extra,
  });
}

const json = (entry: { json: string }) => JSON.parse(entry.json);

describe("EntryMaker text lines", () => {
  it("auto: the leading timestamp and level word, the line kept as the message", () => {
    const line = "2026-11-24T10:30:00.123+01:00 [error] payment failed";
    const entry = maker({ kind: "auto" }).text(line);
    expect(entry.level).toBe("ERROR");
    expect(json(entry)).toEqual({
      timestamp: "2026-11-24T09:30:00.123Z",
      level: "ERROR",
      message: line,
      service: "svc",
      host: "me",
      metadata: { env: "prod" },
    });
  });

  it("auto: the defaults for a line with neither", () => {
    expect(json(maker({ kind: "auto" }).text("User logged in"))).toMatchObject({
      timestamp: "2026-11-24T12:00:00.000Z",
      level: "INFO",
      message: "User logged in",
    });
  });

  it("none: the line whole, the defaults, host and fields", () => {
    const entry = json(maker({ kind: "none" }).text("2026-11-24T10:30:00Z ERROR x"));
    expect(entry).toMatchObject({ timestamp: "2026-11-24T12:00:00.000Z", level: "INFO" });
  });

  it("logfmt: fields by role, the rest in metadata, static fields where absent", () => {
    const line = 'time=2026-11-24T10:30:00Z level=warn msg="disk low" host=db-1 env=dev free=5%';
    expect(json(maker({ kind: "logfmt" }).text(line))).toEqual({
      timestamp: "2026-11-24T10:30:00.000Z",
      level: "WARNING",
      message: "disk low",
      service: "svc",
      host: "db-1",
      metadata: { env: "dev", free: "5%" },
    });
  });

  it("logfmt: a line without pairs is read by auto; without msg the message is the line", () => {
    const m = maker({ kind: "logfmt" });
    expect(json(m.text("WARN plain"))).toMatchObject({ level: "WARNING", message: "WARN plain" });
    expect(json(m.text("a=1"))).toMatchObject({ message: "a=1", metadata: { a: "1" } });
  });

  it("regex: named groups by role, other names in metadata; no match is read by auto", () => {
    const regex = compileLineRegex(
      "^(?<timestamp>\\S+) (?<level>\\w+) \\[(?<thread>[^\\]]+)\\] (?<message>.*)$",
    );
    const m = maker({ kind: "regex", regex });
    expect(json(m.text("2026-11-24T10:30:00Z ERROR [main] boom"))).toEqual({
      timestamp: "2026-11-24T10:30:00.000Z",
      level: "ERROR",
      message: "boom",
      service: "svc",
      host: "me",
      metadata: { thread: "main", env: "prod" },
    });
    expect(json(m.text("WARN no match"))).toMatchObject({
      level: "WARNING",
      message: "WARN no match",
    });
  });

  it("logfmt and regex: a level in pino's numbers, consumed like a name", () => {
    const logfmt = maker({ kind: "logfmt" });
    const levels = ["level=50 msg=a", "lvl=40 msg=b", "severity=60 msg=c", "loglevel=20 msg=d"].map(
      (line) => logfmt.text(line),
    );
    expect(levels.map((entry) => entry.level)).toEqual(["ERROR", "WARNING", "CRITICAL", "DEBUG"]);
    expect(json(levels[0] as { json: string })).toMatchObject({
      level: "ERROR",
      message: "a",
      metadata: { env: "prod" },
    });
    const regex = maker({
      kind: "regex",
      regex: compileLineRegex("^(?<level>\\d+) (?<message>.*)$"),
    });
    expect(json(regex.text("50 boom"))).toMatchObject({ level: "ERROR", message: "boom" });
    // Not a number nor a name: kept in metadata, the default level.
    expect(json(logfmt.text("level=5x msg=e"))).toMatchObject({
      level: "INFO",
      metadata: { level: "5x" },
    });
  });

  it("rejects a regex that does not compile or has no named group", () => {
    expect(() => compileLineRegex("(")).toThrow(/regex: /);
    expect(() => compileLineRegex("(\\d+)")).toThrow(/no named group/);
  });
});

describe("EntryMaker JSON lines", () => {
  it("maps a pino line; --flush-level sees the mapped level", () => {
    const line = '{"level":50,"time":1796600707929,"hostname":"app-1","name":"api","msg":"boom"}';
    const entry = maker({ kind: "auto" }).make(line);
    expect(entry.level).toBe("ERROR");
    expect(json(entry)).toEqual({
      timestamp: "2026-12-06T23:45:07.929Z",
      level: "ERROR",
      message: "boom",
      service: "api",
      host: "app-1",
      metadata: { env: "prod" },
    });
  });

  it("leaves an unknown object, or any under raw, to the raw callback", () => {
    const raw = () => ({ json: "RAW", level: undefined, bytes: 3 });
    expect(maker({ kind: "auto" }).make('{"n":1}', undefined, raw).json).toBe("RAW");
    const rawMaker = maker({ kind: "auto" }, { jsonFormat: "raw" });
    expect(rawMaker.make('{"msg":"x"}', undefined, raw).json).toBe("RAW");
    expect(json(rawMaker.make('{"msg":"x"}'))).toMatchObject({ message: '{"msg":"x"}' });
  });
});

describe("EntryMaker properties", () => {
  const parses: TextParse[] = [
    { kind: "auto" },
    { kind: "none" },
    { kind: "logfmt" },
    { kind: "regex", regex: compileLineRegex("^(?<level>\\w+)? ?(?<message>.*)$") },
  ];
  const lines = fc.oneof(
    fc.string({ unit: "binary" }),
    fc.string({ unit: "grapheme" }),
    fc.json().map((text) => text.replace(/\n/g, " ")),
    fc
      .dictionary(
        fc.constantFrom("level", "msg", "time", "MESSAGE", "PRIORITY", "log", "stream", "v", "x"),
        fc.jsonValue(),
      )
      .map((o) => JSON.stringify(o)),
  );

  it("never throws; the JSON is one object of the entry's shape, its bytes measured right", () => {
    fc.assert(
      fc.property(lines, fc.constantFrom(...parses), (line, parse) => {
        const m = maker(parse, { fields: [["é", "ü"]] });
        const entry = m.make(line, Buffer.byteLength(line), () => ({
          json: "{}",
          level: undefined,
          bytes: 2,
        }));
        expect(entry.bytes).toBe(Buffer.byteLength(entry.json));
        expect(entry.json).not.toContain("\n");
        const object = JSON.parse(entry.json);
        if (entry.json === "{}") return;
        expect(Object.keys(object)).toEqual([
          "timestamp",
          "level",
          "message",
          "service",
          "host",
          "metadata",
        ]);
        expect(object.level).toBe(entry.level);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("EntryMaker messages of JSON lines", () => {
  it("gives a mapped object without a message field the message ''", () => {
    const entry = maker({ kind: "auto" }).make('{"level":30,"time":1796600707929,"a":1}');
    expect(JSON.parse(entry.json)).toMatchObject({ message: "", metadata: { a: 1 } });
  });
});
