import { describe, expect, it } from "vitest";
import { ShipperError } from "../../src/foundation/errors.js";
import { LineShipper, lossReport } from "../../src/node/line-shipper.js";
import { withJsonParseCalls } from "../support/json-parse-calls.js";
import { fakeTarget } from "./fakes.js";

const PINO_LINE = JSON.stringify({
  level: 50,
  time: Date.UTC(2026, 10, 24, 10, 30, 0, 123),
  pid: 7,
  hostname: "app-1",
  name: "api",
  msg: "payment failed",
  err: { type: "Error", message: "declined", stack: "Error: declined\n    at pay (pay.js:1:1)" },
});

function shipper(extra: Record<string, unknown> = {}, format: "pino" | "auto" = "pino") {
  const target = fakeTarget();
  const reports: string[] = [];
  const lines = new LineShipper({ ...target.options, ...extra }, format, "test", (line) =>
    reports.push(line),
  );
  return { lines, reports, received: target.received };
}

describe("LineShipper", () => {
  it("maps pino's fields as shipper-client does; err keeps its stack in metadata", async () => {
    const { lines, received } = shipper();
    lines.write(PINO_LINE);
    await lines.close();
    expect(received()).toEqual([
      {
        timestamp: "2026-11-24T10:30:00.123Z",
        level: "ERROR",
        message: "payment failed",
        service: "api",
        host: "app-1",
        metadata: {
          pid: 7,
          err: {
            type: "Error",
            message: "declined",
            stack: "Error: declined\n    at pay (pay.js:1:1)",
          },
        },
      },
    ]);
  });

  it("the service option replaces pino's name; fields join metadata", async () => {
    const { lines, received } = shipper({ service: "billing", fields: { env: "prod" } });
    lines.write(PINO_LINE);
    lines.write('{"level":30,"msg":"no name","time":1}');
    await lines.close();
    expect(received().map((e) => [e.service, (e.metadata as Record<string, unknown>).env])).toEqual(
      [
        ["billing", "prod"],
        ["billing", "prod"],
      ],
    );
  });

  it("parses a line pino's text path leaves at most once: invalid JSON, a metadata field", () => {
    const { lines } = shipper({ service: "billing" });
    const cut = '{"level":30,"msg":"cut';
    const object = '{"level":30,"metadata":{"a":1},"msg":"m"}';
    const { result, calls } = withJsonParseCalls(() =>
      [cut, object].map((line) => lines.entry(line)?.json ?? ""),
    );
    expect(calls).toBe(2);
    expect(JSON.parse(result[0] ?? "").message).toBe(cut);
    expect(JSON.parse(result[1] ?? "")).toMatchObject({ service: "billing", metadata: { a: 1 } });
  });

  it("text lines become messages, blank lines are skipped, raw keeps objects as they are", async () => {
    const { lines, received } = shipper({ jsonFormat: "raw" });
    lines.write("2026-11-24T10:30:00Z WARN disk almost full");
    lines.write("   ");
    lines.write('{"custom":true,"level":"error"}');
    await lines.close();
    expect(received()).toEqual([
      expect.objectContaining({
        level: "WARNING",
        message: "2026-11-24T10:30:00Z WARN disk almost full",
        host: "web-1",
      }),
      { custom: true, level: "error" },
    ]);
  });

  it("auto detects the logger per line", async () => {
    const { lines, received } = shipper({}, "auto");
    lines.write('{"level":"warn","message":"winston says","service":"w"}');
    lines.write(
      '{"name":"b","hostname":"h","pid":1,"level":30,"msg":"bunyan says","time":"2026-11-24T10:30:00.000Z","v":0}',
    );
    await lines.close();
    expect(received()).toMatchObject([
      { level: "WARNING", message: "winston says", service: "w" },
      { level: "INFO", message: "bunyan says", service: "b", host: "h", metadata: { pid: 1 } },
    ]);
  });

  it("generic maps a pino line with its own messageKey", async () => {
    const { lines, received } = shipper({ jsonFormat: "generic", service: "api" });
    lines.write(
      '{"level":40,"time":1796600707929,"hostname":"h","name":"n","message":"custom key"}',
    );
    await lines.close();
    expect(received()).toEqual([
      {
        timestamp: "2026-12-06T23:45:07.929Z",
        level: "WARNING",
        message: "custom key",
        service: "api",
        host: "h",
        metadata: { name: "n" },
      },
    ]);
  });

  it("refuses bad options with a coded error", () => {
    for (const bad of [
      { jsonFormat: "xml" },
      { level: "LOUD" },
      { fields: { n: 1 } },
      { target: "h:0" },
    ]) {
      expect(() => shipper(bad)).toThrow(ShipperError);
    }
  });

  it("tells its losses once, on close, and nothing when none", async () => {
    const quiet = shipper();
    quiet.lines.write(PINO_LINE);
    await quiet.lines.close();
    await quiet.lines.close();
    expect(quiet.reports).toEqual([]);
    const target = fakeTarget(() => "EMSGSIZE");
    const reports: string[] = [];
    const lines = new LineShipper(target.options, "pino", "test", (line) => reports.push(line));
    for (let i = 0; i < 3; i++) lines.write(PINO_LINE);
    await lines.close();
    await lines.close();
    expect(reports).toEqual([
      "test: 3 of 3 entries dropped on the way to logs.example:9999 (emsgsize=3); 0 datagrams refused",
    ]);
  });

  it("at close, does not wait to send again what the target refused: target-refused", async () => {
    const target = fakeTarget((_datagram, attempt) => (attempt < 3 ? "ECONNREFUSED" : "ok"));
    const reports: string[] = [];
    const lines = new LineShipper({ ...target.options, batchSize: 1 }, "pino", "test", (line) =>
      reports.push(line),
    );
    for (let i = 0; i < 3; i++) lines.write(PINO_LINE);
    const summary = await lines.close();
    expect(summary).toMatchObject({ sent: 0, dropped_by_reason: { "target-refused": 3 } });
    expect(target.factory.sockets[0]?.attempts).toHaveLength(3);
    expect(reports).toEqual([
      "test: 3 of 3 entries dropped on the way to logs.example:9999 (target-refused=3); 3 datagrams refused (ECONNREFUSED=3)",
    ]);
  });

  it("with dropRefusedAtClose false, sends again what the target refused before closing", async () => {
    const target = fakeTarget((_datagram, attempt) => (attempt < 3 ? "ECONNREFUSED" : "ok"));
    const lines = new LineShipper(
      { ...target.options, batchSize: 1, dropRefusedAtClose: false },
      "pino",
      "test",
      () => {},
    );
    for (let i = 0; i < 3; i++) lines.write(PINO_LINE);
    const summary = await lines.close();
    expect(summary).toMatchObject({ sent: 3, dropped: 0 });
  });
});

describe("lossReport", () => {
  it("names the refusals by code", () => {
    const summary = {
      entries: 5,
      dropped: 0,
      dropped_by_reason: {},
      refused: 2,
      refused_by_code: { ECONNREFUSED: 2 },
    } as unknown as Parameters<typeof lossReport>[2];
    expect(lossReport("x", "h:1", summary)).toBe(
      "x: 0 of 5 entries dropped on the way to h:1; 2 datagrams refused (ECONNREFUSED=2)",
    );
  });
});
