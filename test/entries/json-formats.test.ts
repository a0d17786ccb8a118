import { describe, expect, it } from "vitest";
import { detectJsonFormat, isShipperEntry, mapJsonObject } from "../../src/entries/json-formats.js";
import { utcZone } from "../../src/entries/zone.js";

const context = { zone: utcZone, now: () => 0 };
const iso = (ms: number | undefined) => (ms === undefined ? ms : new Date(ms).toISOString());

const PINO = {
  level: 50,
  time: 1796600707929,
  pid: 7,
  hostname: "app-1",
  name: "api",
  msg: "boom",
  err: { type: "Error", message: "boom", stack: "Error: boom\n    at main (app.js:1:1)" },
};
const BUNYAN = {
  name: "api",
  hostname: "app-2",
  pid: 8,
  level: 40,
  msg: "slow",
  time: "2026-11-24T10:30:00.123Z",
  v: 0,
};
const WINSTON = {
  level: "warn",
  message: "low disk",
  timestamp: "2026-11-24T10:30:00.000Z",
  service: "user-service",
  userId: 3,
};
const JOURNALD = {
  __CURSOR: "s=1",
  __REALTIME_TIMESTAMP: "1796600707929123",
  __MONOTONIC_TIMESTAMP: "123",
  PRIORITY: "3",
  _HOSTNAME: "db-1",
  SYSLOG_IDENTIFIER: "postgres",
  _PID: "42",
  MESSAGE: "could not connect",
};
const DOCKER = { log: "ERROR boom\n", stream: "stderr", time: "2026-11-24T10:30:00.123456789Z" };

describe("detectJsonFormat", () => {
  it.each([
    [PINO, "pino"],
    [{ level: 30, time: 1 }, "pino"],
    [BUNYAN, "bunyan"],
    [{ ...PINO, v: 2 }, "pino"],
    [{ ...PINO, v: 0 }, "pino"],
    [{ ...BUNYAN, time: 1796600707929 }, "pino"],
    // pino with ISO times (stdTimeFunctions.isoTime) writes `level` first, bunyan never does.
    [{ level: 30, time: "2026-11-24T10:30:00.123Z", v: 0, msg: "m" }, "pino"],
    [{ time: "2026-11-24T10:30:00.123Z", level: 30, msg: "m", v: 0 }, "bunyan"],
    [JSON.parse('{"level":30,"time":"2026-11-24T10:30:00Z","7":1,"v":0,"msg":"m"}'), "pino"],
    [
      JSON.parse('{"name":"a","4294967295":1,"level":30,"time":"2026-11-24T10:30:00Z","v":0}'),
      "bunyan",
    ],
    [{ ...PINO, v: "1.2" }, "pino"],
    [WINSTON, "winston"],
    [JOURNALD, "journald"],
    [DOCKER, "docker"],
    [{ msg: "x", severity: "ERROR" }, "generic"],
    [{ "@timestamp": "2026-11-24T10:30:00Z" }, "generic"],
    [{ n: 1 }, undefined],
    [{ host: "h", service: "s" }, undefined],
  ])("detects %j as %s", (object, format) => expect(detectJsonFormat(object)).toBe(format));
});

describe("mapJsonObject", () => {
  it("maps pino, keeping err with its stack in metadata", () => {
    const entry = mapJsonObject(structuredClone(PINO), "auto", context);
    expect(entry).toMatchObject({ level: "ERROR", message: "boom", service: "api", host: "app-1" });
    expect(iso(entry?.ms)).toBe("2026-12-06T23:45:07.929Z");
    expect(entry?.metadata).toEqual({ pid: 7, err: PINO.err });
  });

  it("takes the message of pino's err when there is no msg", () => {
    const { msg: _, ...noMsg } = PINO;
    expect(mapJsonObject(noMsg, "pino", context)?.message).toBe("boom");
  });

  it("maps bunyan and drops its format version", () => {
    const entry = mapJsonObject(structuredClone(BUNYAN), "auto", context);
    expect(entry).toMatchObject({
      level: "WARNING",
      message: "slow",
      service: "api",
      host: "app-2",
    });
    expect(iso(entry?.ms)).toBe("2026-11-24T10:30:00.123Z");
    expect(entry?.metadata).toEqual({ pid: 8 });
  });

  it("keeps a pino line's own v field, and a v other than bunyan's 0", () => {
    const own = mapJsonObject({ ...structuredClone(PINO), v: 3 }, "auto", context);
    expect(own?.metadata).toEqual({ pid: 7, err: PINO.err, v: 3 });
    // pino's time is a number, bunyan's ISO text: a v of 0 stays pino's own.
    const zero = mapJsonObject({ ...structuredClone(PINO), v: 0 }, "auto", context);
    expect(zero?.metadata).toEqual({ pid: 7, err: PINO.err, v: 0 });
    const iso = { level: 30, time: BUNYAN.time, pid: 7, v: 0, msg: "m" };
    expect(mapJsonObject(iso, "auto", context)?.metadata).toEqual({ pid: 7, v: 0 });
    const other = mapJsonObject({ ...structuredClone(BUNYAN), v: 1 }, "bunyan", context);
    expect(other?.metadata).toEqual({ pid: 8, v: 1 });
  });

  it("maps winston", () => {
    const entry = mapJsonObject(structuredClone(WINSTON), "auto", context);
    expect(entry).toMatchObject({ level: "WARNING", message: "low disk", service: "user-service" });
    expect(entry?.host).toBeUndefined();
    expect(entry?.metadata).toEqual({ userId: 3 });
  });

  it("maps journald, priorities to levels and microseconds to the timestamp", () => {
    const entry = mapJsonObject(structuredClone(JOURNALD), "auto", context);
    expect(entry).toMatchObject({
      level: "ERROR",
      message: "could not connect",
      service: "postgres",
      host: "db-1",
    });
    expect(iso(entry?.ms)).toBe("2026-12-06T23:45:07.929Z");
    expect(entry?.metadata).toEqual({ __CURSOR: "s=1", __MONOTONIC_TIMESTAMP: "123", _PID: "42" });
  });

  it("decodes a journald MESSAGE given as bytes", () => {
    const object = { ...JOURNALD, MESSAGE: [104, 195, 169] };
    expect(mapJsonObject(object, "journald", context)?.message).toBe("hé");
  });

  it("maps Docker json-file, the line break cut and the level read from the log", () => {
    const entry = mapJsonObject(structuredClone(DOCKER), "auto", context);
    expect(entry).toMatchObject({ level: "ERROR", message: "ERROR boom" });
    expect(iso(entry?.ms)).toBe("2026-11-24T10:30:00.123Z");
    expect(entry?.metadata).toEqual({ stream: "stderr" });
  });

  it("maps generic fields, first name of a role first, the others kept", () => {
    const object = { ts: 1796600707.5, msg: "m2", message: "m1", severity: "warning", extra: true };
    const entry = mapJsonObject(object, "auto", context);
    expect(entry).toMatchObject({ level: "WARNING", message: "m1" });
    expect(iso(entry?.ms)).toBe("2026-12-06T23:45:07.500Z");
    expect(entry?.metadata).toEqual({ msg: "m2", extra: true });
  });

  it("keeps values a role cannot use in metadata under their own name", () => {
    const object = { level: "chatty", message: 42, timestamp: "yesterday" };
    const entry = mapJsonObject(object, "generic", context);
    expect(entry).toMatchObject({ level: undefined, message: undefined, ms: undefined });
    expect(entry?.metadata).toEqual(object);
  });

  it("starts metadata from a metadata object, so an entry of the shipper maps onto itself", () => {
    const object = {
      timestamp: "2026-11-24T10:30:00.000Z",
      level: "ERROR",
      message: "x",
      service: "s",
      metadata: { a: 1 },
      b: 2,
    };
    expect(mapJsonObject(object, "auto", context)?.metadata).toEqual({ a: 1, b: 2 });
  });

  it("keeps a __proto__ field as data", () => {
    const object = JSON.parse('{"msg":"x","__proto__":{"polluted":1}}');
    const entry = mapJsonObject(object, "generic", context);
    expect(Object.hasOwn(entry?.metadata ?? {}, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("leaves an object of no known logger to the caller under auto, maps it when forced", () => {
    expect(mapJsonObject({ n: 1 }, "auto", context)).toBeUndefined();
    expect(mapJsonObject({ n: 1 }, "pino", context)?.metadata).toEqual({ n: 1 });
  });
});

describe("isShipperEntry", () => {
  it.each([
    [{ message: "x" }, true],
    [{ timestamp: "t", level: "ERROR", message: "x", service: "s", host: "h", metadata: {} }, true],
    [{ level: "error", message: "x" }, false],
    [{ message: 1 }, false],
    [{ message: "x", extra: 1 }, false],
    [{ message: "x", metadata: [] }, false],
    [{ message: "x", timestamp: 1 }, false],
  ])("%j: %s", (object, expected) => expect(isShipperEntry(object)).toBe(expected));
});
