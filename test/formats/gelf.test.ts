import { randomBytes } from "node:crypto";
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { decodeGelfJson, gelfEntry } from "../../src/formats/gelf.js";
import { utf8 } from "../fixtures/hex.js";

const RECEIVED = Date.UTC(2026, 10, 24, 12, 0, 0, 5);

function entry(message: Record<string, unknown>): Record<string, unknown> {
  const result = gelfEntry(message, RECEIVED);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return JSON.parse(result.value) as Record<string, unknown>;
}

const base = { version: "1.1", short_message: "hi" };

describe("gelfEntry", () => {
  it("maps every field, in order", () => {
    const result = gelfEntry(
      {
        version: "1.1",
        host: "web-1",
        short_message: "A short message",
        full_message: "Backtrace here\n\nmore stuff",
        timestamp: 1385053862.3072,
        level: 3,
        _user_id: 9001,
        _some_info: "foo",
        _id: "dropped",
        _service: "billing",
      },
      RECEIVED,
    );
    expect(result).toEqual({
      ok: true,
      value:
        '{"timestamp":"2013-11-21T17:11:02.307Z","level":"ERROR","message":"A short message",' +
        '"service":"billing","host":"web-1","metadata":{"severity":"err",' +
        '"full_message":"Backtrace here\\n\\nmore stuff","user_id":9001,"some_info":"foo"}}',
    });
  });

  it("takes the receive time without a timestamp, and ALERT (CRITICAL) without a level", () => {
    expect(entry(base)).toEqual({
      timestamp: "2026-11-24T12:00:00.005Z",
      level: "CRITICAL",
      message: "hi",
      metadata: { severity: "alert" },
    });
  });

  it("treats null optional fields as absent", () => {
    const out = entry({ ...base, host: null, level: null, timestamp: null, full_message: null });
    expect(out).toEqual(entry(base));
  });

  it.each([
    [0, "CRITICAL"],
    [2, "CRITICAL"],
    [4, "WARNING"],
    [5, "INFO"],
    [6, "INFO"],
    [7, "DEBUG"],
  ])("level %d -> %s", (level, name) => {
    expect(entry({ ...base, level }).level).toBe(name);
  });

  it("takes the service from _service, then _application_name, then facility", () => {
    expect(entry({ ...base, facility: "f", _application_name: "a" }).service).toBe("a");
    const fromFacility = entry({ ...base, facility: "f", _application_name: 5 });
    expect(fromFacility.service).toBe("f");
    expect(fromFacility.metadata).toEqual({ severity: "alert", application_name: 5 });
    expect(entry({ ...base, _service: "s", facility: "f" }).metadata).toEqual({
      severity: "alert",
      facility: "f",
    });
  });

  it("keeps other fields in metadata; the first of two that map to one name wins", () => {
    expect(entry({ ...base, line: 42, _line: 43, _obj: { a: [1] } }).metadata).toEqual({
      severity: "alert",
      line: 42,
      obj: { a: [1] },
    });
  });

  it("keeps an additional field named _ __proto__ as data", () => {
    const message = JSON.parse('{"version":"1.1","short_message":"x","___proto__":1}');
    const result = gelfEntry(message, RECEIVED);
    expect(result.ok && result.value).toContain('"__proto__":1');
  });

  it.each([
    ["version not a string", { ...base, version: 1.1 }],
    ["short_message not a string", { ...base, short_message: 5 }],
    ["host not a string", { ...base, host: 1 }],
    ["full_message not a string", { ...base, full_message: {} }],
    ["timestamp a string", { ...base, timestamp: "1385053862" }],
    ["timestamp negative", { ...base, timestamp: -1 }],
    ["timestamp past year 9999", { ...base, timestamp: 253402300800 }],
    ["level 8", { ...base, level: 8 }],
    ["level 1.5", { ...base, level: 1.5 }],
    ["level a string", { ...base, level: "6" }],
  ])("rejects %s as invalid-gelf", (_name, message) => {
    expect(gelfEntry(message, RECEIVED)).toEqual({ ok: false, reason: "invalid-gelf" });
  });
});

describe("decodeGelfJson", () => {
  it("needs an object with both version and short_message", () => {
    const notGelf = { ok: false, reason: "unknown-format" };
    expect(decodeGelfJson(utf8('{"version":"1.1","short_message":"x"}'), RECEIVED).ok).toBe(true);
    expect(decodeGelfJson(utf8('{"version":"1.1"}'), RECEIVED)).toEqual(notGelf);
    expect(decodeGelfJson(utf8('[{"version":"1.1","short_message":"x"}]'), RECEIVED)).toEqual(
      notGelf,
    );
    expect(decodeGelfJson(utf8('{"a":{"version":"1.1","short_message":"x"}}'), RECEIVED)).toEqual(
      notGelf,
    );
    expect(decodeGelfJson(utf8('{"version":"1.1","short_message":"x"'), RECEIVED)).toEqual(notGelf);
  });

  it("is unknown-format for JSON that is not GELF, invalid-gelf for GELF with wrong types", () => {
    expect(decodeGelfJson(utf8('{"a":1}'), RECEIVED)).toEqual({
      ok: false,
      reason: "unknown-format",
    });
    expect(decodeGelfJson(utf8('{"version":1,"short_message":"x"}'), RECEIVED)).toEqual({
      ok: false,
      reason: "invalid-gelf",
    });
  });
});

/** The parts of gelf-pro the tests use (it ships no types). */
interface GelfPro {
  setConfig(config: Record<string, unknown>): GelfPro;
  message(
    text: string,
    level: number,
    extra: Record<string, unknown>,
    callback: (error: Error | null, bytes: number) => void,
  ): void;
}

const gelfPro = createRequire(import.meta.url)("gelf-pro") as GelfPro;

describe("GELF sent by gelf-pro over UDP", () => {
  let socket: Socket;
  const received: Buffer[] = [];

  beforeAll(async () => {
    socket = createSocket("udp4");
    socket.on("message", (datagram: Buffer) => received.push(datagram));
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    gelfPro.setConfig({
      fields: { facility: "interop" },
      adapterName: "udp",
      adapterOptions: { host: "127.0.0.1", port: socket.address().port, protocol: "udp4" },
    });
  });
  afterAll(() => socket.close());

  /** Sends one message and returns the datagrams it became, once all of them arrived. */
  async function send(text: string, level: number, extra: Record<string, unknown>) {
    received.length = 0;
    await new Promise<void>((resolve, reject) => {
      gelfPro.message(text, level, extra, (error) => (error ? reject(error) : resolve()));
    });
    // Every chunk says how many chunks its message has (byte 11).
    while (received.length === 0 || received.length < (received[0]?.[11] ?? 0)) {
      await once(socket, "message");
    }
    return received.splice(0);
  }

  it("one zlib-compressed chunk: decoded with level, host, extra fields", async () => {
    const datagrams = await send("hello from gelf-pro", 4, { user: "u1", count: 3 });
    expect(datagrams).toHaveLength(1);
    expect(datagrams[0]?.subarray(0, 2)).toEqual(Buffer.from([0x1e, 0x0f]));
    expect(datagrams[0]?.[12]).toBe(0x78);
    const out = createDecoder({ now: () => 0, wallClock: () => RECEIVED }).decode(
      datagrams[0] as Buffer,
    );
    expect(out).toMatchObject({ kind: "gelf", rejected: undefined });
    const decoded = JSON.parse(out.entries[0] as string) as Record<string, unknown>;
    expect(decoded).toMatchObject({ level: "WARNING", message: "hello from gelf-pro" });
    expect(decoded.host).toMatch(/\S/);
    expect(decoded.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(decoded.metadata).toEqual({
      severity: "warning",
      facility: "interop",
      user: "u1",
      count: 3,
    });
  });

  it("a message too large for one chunk: several chunks, decoded in any order", async () => {
    const noise = randomBytes(3000).toString("hex");
    const datagrams = await send("big", 6, { noise });
    expect(datagrams.length).toBeGreaterThan(1);
    const decoder = createDecoder({ now: () => 0, wallClock: () => RECEIVED });
    const outs = [...datagrams].reverse().map((datagram) => decoder.decode(datagram));
    expect(outs.slice(0, -1).every((out) => out.pending)).toBe(true);
    const last = outs.at(-1);
    expect(last?.entries).toHaveLength(1);
    const decoded = JSON.parse(last?.entries[0] as string) as { metadata: { noise: string } };
    expect(decoded.metadata.noise).toBe(noise);
    expect(decoder.stats).toMatchObject({
      formats: { gelf: { partials: 0, reassemblyBytes: 0 } },
      lost: 0,
    });
  });
});
