import { execFile } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeSyslog, levelOfSeverity, readPri } from "../../src/formats/syslog.js";
import { isRfc3339 } from "../../src/formats/syslog-5424.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";

const RECEIVED = Date.UTC(2026, 10, 24, 12, 0, 0, 250);
const RECEIVED_ISO = "2026-11-24T12:00:00.250Z";

function decode(datagram: string | Uint8Array, receivedAt = RECEIVED) {
  const bytes = typeof datagram === "string" ? utf8(datagram) : datagram;
  const result = decodeSyslog(bytes, receivedAt);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return JSON.parse(result.value) as Record<string, unknown>;
}

function reason(datagram: string): string | undefined {
  const result = decodeSyslog(utf8(datagram), RECEIVED);
  return result.ok ? undefined : result.reason;
}

describe("readPri", () => {
  it.each([
    ["<0>", 0, 3],
    ["<13>x", 13, 4],
    ["<191>", 191, 5],
    ["<999>", 999, 5],
    ["<007>", 7, 5],
  ])("%s -> %d", (text, value, end) => {
    expect(readPri(utf8(text))).toEqual({ value, end });
  });

  it.each(["", "<", "<>", "<1", "<1234>", "<a>", "< 1>", "13>", "<13 "])(
    "%j is not a PRI",
    (text) => {
      expect(readPri(utf8(text))).toBeUndefined();
    },
  );
});

describe("levelOfSeverity", () => {
  it("maps the eight severities", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(levelOfSeverity)).toEqual([
      "CRITICAL",
      "CRITICAL",
      "CRITICAL",
      "ERROR",
      "WARNING",
      "INFO",
      "INFO",
      "DEBUG",
    ]);
  });
});

describe("decodeSyslog: RFC 5424", () => {
  it("maps every field, in order: timestamp, level, message, service, host, metadata", () => {
    const line =
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event';
    const result = decodeSyslog(utf8(line), RECEIVED);
    expect(result).toEqual({
      ok: true,
      value:
        '{"timestamp":"2003-10-11T22:14:15.003Z","level":"INFO","message":"An application event",' +
        '"service":"evntslog","host":"mymachine.example.com","metadata":{"facility":"local4",' +
        '"severity":"notice","procid":"1234","msgid":"ID47","structured_data":' +
        '{"exampleSDID@32473":{"iut":"3","eventSource":"Application"}}}}',
    });
  });

  it("leaves out NILVALUE fields and takes the receive time for a NILVALUE timestamp", () => {
    expect(decode("<13>1 - - - - - - hello")).toEqual({
      timestamp: RECEIVED_ISO,
      level: "INFO",
      message: "hello",
      metadata: { facility: "user", severity: "notice" },
    });
  });

  it("keeps the timestamp as the sender wrote it (offset, microseconds)", () => {
    expect(decode("<13>1 2026-11-24T09:56:36.296596+01:00 h a - - - x").timestamp).toBe(
      "2026-11-24T09:56:36.296596+01:00",
    );
  });

  it("strips a BOM at the start of MSG, and trailing line breaks", () => {
    const datagram = concat(utf8("<14>1 - host app - - - "), hex("efbbbf"), utf8("héllo\r\n"));
    expect(decode(datagram).message).toBe("héllo");
  });

  it("keeps a message of several lines as one entry", () => {
    expect(decode("<14>1 - h a - - - one\ntwo\n").message).toBe("one\ntwo");
  });

  it("gives an empty message when MSG is absent", () => {
    expect(decode("<14>1 - h a - - -").message).toBe("");
  });

  it('decodes the escapes \\" \\\\ \\] in structured data, and keeps other backslashes', () => {
    const line = String.raw`<14>1 - h a - - [x@1 a="q\"b\\s\]e" b="c:\temp"] m`;
    expect(decode(line).metadata).toMatchObject({
      structured_data: { "x@1": { a: 'q"b\\s]e', b: "c:\\temp" } },
    });
  });

  it("collects a repeated parameter into an array and merges a repeated SD-ID", () => {
    const line = '<14>1 - h a - - [origin ip="10.0.0.1" ip="10.0.0.2"][meta x="1"][origin y="2"] m';
    expect(decode(line).metadata).toMatchObject({
      structured_data: { origin: { ip: ["10.0.0.1", "10.0.0.2"], y: "2" }, meta: { x: "1" } },
    });
  });

  it("keeps an SD-ID or parameter named __proto__ as data", () => {
    const metadata = decode('<14>1 - h a - - [__proto__ __proto__="1"] m').metadata;
    const sd = (metadata as { structured_data: unknown }).structured_data;
    expect(JSON.stringify(sd)).toBe('{"__proto__":{"__proto__":"1"}}');
  });

  it("accepts an SD element with no parameters", () => {
    expect(decode("<14>1 - h a - - [empty] m").metadata).toMatchObject({
      structured_data: { empty: {} },
    });
  });

  it.each([
    ["a PRI above 191", "<192>1 - - - - - - m"],
    ["a bad timestamp", "<13>1 2026-13-01T00:00:00Z h a - - - m"],
    ["a lower-case T", "<13>1 2026-11-24t00:00:00Z h a - - - m"],
    ["two spaces between fields", "<13>1 -  h a - - - m"],
    ["too few fields", "<13>1 - h a"],
    ["an unterminated SD element", '<13>1 - h a - - [x a="1" m'],
    ["an unterminated SD value", '<13>1 - h a - - [x a="1] m'],
    ["an SD parameter without quotes", "<13>1 - h a - - [x a=1] m"],
    ["no space between SD and MSG", '<13>1 - h a - - [x a="1"]m'],
    ["non-ASCII in a header field", "<13>1 - hé a - - - m"],
  ])("rejects %s as invalid-syslog", (_name, line) => {
    expect(reason(line)).toBe("invalid-syslog");
  });
});

describe("isRfc3339", () => {
  it.each([
    ["1985-04-12T23:20:50.52Z", true],
    ["2003-08-24T05:14:15.000003-07:00", true],
    ["2016-12-31T23:59:60Z", true],
    ["2024-02-29T00:00:00Z", true],
    ["2023-02-29T00:00:00Z", false],
    ["2003-08-24T05:14:15.0000003-07:00", false],
    ["2003-08-24T24:00:00Z", false],
    ["2003-08-24T05:14:15", false],
    ["2003-08-24 05:14:15Z", false],
  ])("%s -> %s", (text, valid) => {
    expect(isRfc3339(text)).toBe(valid);
  });
});

describe("decodeSyslog: RFC 3164", () => {
  it("reads timestamp, host, TAG[pid]: and message", () => {
    expect(decode("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed")).toEqual({
      timestamp: "2026-10-11T22:14:15.000Z",
      level: "CRITICAL",
      message: "'su root' failed",
      service: "su",
      host: "mymachine",
      metadata: { facility: "auth", severity: "crit", procid: "230" },
    });
  });

  it("reads a TAG without pid and a space-padded day", () => {
    expect(decode("<13>Nov  4 09:56:36 vm root: hello")).toMatchObject({
      timestamp: "2026-11-04T09:56:36.000Z",
      service: "root",
      host: "vm",
      message: "hello",
    });
  });

  it("keeps the whole content as message when there is no TAG", () => {
    const entry = decode("<13>Nov 24 09:56:36 vm just some words");
    expect(entry).toMatchObject({ host: "vm", message: "just some words" });
    expect(entry.service).toBeUndefined();
  });

  it("reads a TAG right after the timestamp as a TAG, not a host (local senders)", () => {
    const entry = decode("<13>Nov 24 09:56:36 sshd[42]: accepted");
    expect(entry).toMatchObject({ service: "sshd", message: "accepted" });
    expect(entry.host).toBeUndefined();
  });

  it("takes the receive time when there is no timestamp, and reads a TAG", () => {
    expect(decode("<13>cron[7]: job done")).toEqual({
      timestamp: RECEIVED_ISO,
      level: "INFO",
      message: "job done",
      service: "cron",
      metadata: { facility: "user", severity: "notice", procid: "7" },
    });
  });

  it("takes the receive time and the whole text when there is neither timestamp nor TAG", () => {
    expect(decode("<15>http://example.com/ is down")).toMatchObject({
      timestamp: RECEIVED_ISO,
      level: "DEBUG",
      message: "http://example.com/ is down",
    });
  });

  it("accepts an RFC 3339 timestamp in place of the RFC 3164 one", () => {
    expect(decode("<13>2026-01-02T03:04:05Z h t: m")).toMatchObject({
      timestamp: "2026-01-02T03:04:05Z",
      host: "h",
      service: "t",
    });
  });

  it("takes the year of the receive time, across New Year in both directions", () => {
    const january = Date.UTC(2027, 0, 1, 0, 0, 5);
    expect(decode("<13>Dec 31 23:59:59 h t: m", january).timestamp).toBe(
      "2026-12-31T23:59:59.000Z",
    );
    const december = Date.UTC(2026, 11, 31, 23, 59, 0);
    expect(decode("<13>Jan  1 00:00:01 h t: m", december).timestamp).toBe(
      "2027-01-01T00:00:01.000Z",
    );
  });

  it("reads an impossible date as no timestamp (the text stays in the message)", () => {
    expect(decode("<13>Feb 30 10:00:00 h t: m")).toMatchObject({
      timestamp: RECEIVED_ISO,
      message: "Feb 30 10:00:00 h t: m",
    });
  });

  it("replaces invalid UTF-8 with U+FFFD", () => {
    const datagram = concat(utf8("<13>Nov 24 09:56:36 h t: a"), hex("ff"), utf8("b"));
    expect(decode(datagram).message).toBe("a\ufffdb");
  });

  it("gives every facility its name", () => {
    const names = Array.from({ length: 24 }, (_, facility) => {
      const metadata = decode(`<${facility * 8 + 6}>x`).metadata as { facility: string };
      return metadata.facility;
    });
    expect(names.slice(0, 4)).toEqual(["kern", "user", "mail", "daemon"]);
    expect(names.slice(16)).toEqual(Array.from({ length: 8 }, (_, i) => `local${i}`));
  });
});

const execFileAsync = promisify(execFile);

async function hasLogger(): Promise<boolean> {
  try {
    await execFileAsync("logger", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

const loggerPresent = await hasLogger();
if (!loggerPresent) console.warn("util-linux logger is absent: its interop tests are skipped");

describe.skipIf(!loggerPresent)("decodeSyslog: datagrams sent by util-linux logger", () => {
  let socket: Socket;
  let port: number;

  beforeAll(async () => {
    socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    port = socket.address().port;
  });
  afterAll(() => socket.close());

  async function send(...args: string[]): Promise<Record<string, unknown>> {
    const received = once(socket, "message");
    await execFileAsync("logger", ["-n", "127.0.0.1", "-P", String(port), "-d", ...args]);
    const [datagram] = (await received) as [Buffer];
    return decode(datagram, Date.now());
  }

  it("--rfc5424", async () => {
    const entry = await send("--rfc5424", "-t", "shipper-test", "--id=4242", "hello");
    expect(entry).toMatchObject({ level: "INFO", message: "hello", service: "shipper-test" });
    expect(isRfc3339(entry.timestamp as string)).toBe(true);
    expect(entry.host).toMatch(/^\S+$/);
    expect(entry.metadata).toMatchObject({ facility: "user", severity: "notice", procid: "4242" });
  });

  it("--rfc5424 with a msgid and structured data, escapes included", async () => {
    const entry = await send(
      "--rfc5424=notq",
      "-p",
      "local3.err",
      "-t",
      "app",
      "--msgid",
      "MID7",
      "--sd-id",
      "zoo@32473",
      "--sd-param",
      'tiger="hungry"',
      "--sd-param",
      String.raw`quote="a\"b\\c\]d"`,
      "with sd",
    );
    expect(entry).toMatchObject({ level: "ERROR", message: "with sd", service: "app" });
    expect(entry.metadata).toEqual({
      facility: "local3",
      severity: "err",
      msgid: "MID7",
      structured_data: { "zoo@32473": { tiger: "hungry", quote: 'a"b\\c]d' } },
    });
  });

  it("--rfc3164, a message of two lines", async () => {
    const entry = await send("--rfc3164", "-p", "daemon.warning", "-t", "job", "one\ntwo");
    expect(entry).toMatchObject({ level: "WARNING", message: "one\ntwo", service: "job" });
    expect(entry.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    expect(entry.host).toMatch(/^\S+$/);
    expect(entry.metadata).toEqual({ facility: "daemon", severity: "warning" });
  });

  it("--rfc3164 with a pid", async () => {
    const entry = await send("--rfc3164", "-t", "job", "--id=77", "hi");
    expect(entry).toMatchObject({ message: "hi", service: "job" });
    expect(entry.metadata).toMatchObject({ procid: "77" });
  });
});
