import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { levelOfSyslogSeverity } from "../../src/entries/level-names.js";
import { decodeSyslog, type SyslogFields } from "../../src/formats/syslog.js";
import { parse3164 } from "../../src/formats/syslog-3164.js";
import { isRfc3339 } from "../../src/formats/syslog-5424.js";
import { cleanMessage, SEVERITY_NAMES, syslogEntry } from "../../src/formats/syslog-entry.js";
import { utf8 } from "../fixtures/hex.js";

const RECEIVED = Date.UTC(2026, 10, 24, 12, 0, 0, 250);

const FACILITIES = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp"];
FACILITIES.push("cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock");
for (let i = 0; i < 8; i++) FACILITIES.push(`local${i}`);

/** The entry as an object, stringified: what syslogEntry must write byte for byte. */
function referenceEntry(pri: number, fields: SyslogFields, receivedAtMs: number): string {
  const severity = pri % 8;
  const metadata = {
    facility: FACILITIES[pri >> 3],
    severity: SEVERITY_NAMES[severity],
    ...(fields.procId !== undefined ? { procid: fields.procId } : {}),
    ...(fields.msgId !== undefined ? { msgid: fields.msgId } : {}),
    ...(fields.structuredData !== undefined ? { structured_data: fields.structuredData } : {}),
  };
  return JSON.stringify({
    timestamp: fields.timestamp ?? new Date(receivedAtMs).toISOString(),
    level: levelOfSyslogSeverity(severity),
    message: cleanMessage(fields.message),
    ...(fields.appName !== undefined ? { service: fields.appName } : {}),
    ...(fields.host !== undefined ? { host: fields.host } : {}),
    metadata,
  });
}

/** isRfc3339 as a regular expression and Date: the oracle for the hand-written one. */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):(\d{2}))$/;
function referenceIsRfc3339(text: string): boolean {
  const match = RFC3339.exec(text);
  if (match === null) return false;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, offH = 0, offM = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return false;
  if (date.getUTCDate() !== day) return false;
  return hour <= 23 && minute <= 59 && second <= 60 && offH <= 23 && offM <= 59;
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const anyText = fc.string({ unit: "binary", maxLength: 40 });
const params = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.oneof(anyText, fc.array(anyText, { minLength: 2, maxLength: 3 })),
  { maxKeys: 3 },
);
const fieldsArb: fc.Arbitrary<SyslogFields> = fc.record({
  timestamp: optional(anyText),
  host: optional(anyText),
  appName: optional(anyText),
  procId: optional(anyText),
  msgId: optional(anyText),
  structuredData: optional(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), params)),
  message: fc.oneof(
    anyText,
    anyText.map((t) => `\uFEFF${t}\r\n\0`),
  ),
});

describe("syslogEntry", () => {
  it("writes the golden bytes of a full RFC 5424 entry", () => {
    const fields: SyslogFields = {
      timestamp: "2003-10-11T22:14:15.003Z",
      host: "mymachine.example.com",
      appName: "evntslog",
      procId: "42",
      msgId: "ID47",
      structuredData: { "exampleSDID@32473": { iut: "3", eventSource: 'App"lication' } },
      message: "\uFEFFAn application event\n",
    };
    expect(syslogEntry(165, fields, RECEIVED)).toBe(
      '{"timestamp":"2003-10-11T22:14:15.003Z","level":"INFO","message":"An application event",' +
        '"service":"evntslog","host":"mymachine.example.com","metadata":{"facility":"local4",' +
        '"severity":"notice","procid":"42","msgid":"ID47","structured_data":' +
        '{"exampleSDID@32473":{"iut":"3","eventSource":"App\\"lication"}}}}',
    );
  });

  it("writes the golden bytes of a bare entry: receive time, no optional field", () => {
    const fields: SyslogFields = {
      timestamp: undefined,
      host: undefined,
      appName: undefined,
      procId: undefined,
      msgId: undefined,
      structuredData: undefined,
      message: 'say "hi"\t\u2028',
    };
    expect(syslogEntry(0, fields, RECEIVED)).toBe(
      '{"timestamp":"2026-11-24T12:00:00.250Z","level":"CRITICAL","message":"say \\"hi\\"\\t\u2028",' +
        '"metadata":{"facility":"kern","severity":"emerg"}}',
    );
  });

  it("writes what JSON.stringify writes of the entry object, for any fields and PRI", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 191 }), fieldsArb, fc.nat(), (pri, fields, ms) => {
        expect(syslogEntry(pri, fields, ms)).toBe(referenceEntry(pri, fields, ms));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("cleanMessage", () => {
  it("drops a leading BOM and trailing CR, LF and NUL, and nothing else", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        let end = text.length;
        while (end > 0 && [0x0d, 0x0a, 0x00].includes(text.charCodeAt(end - 1))) end--;
        const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
        expect(cleanMessage(text)).toBe(text.slice(start, Math.max(start, end)));
      }),
    );
  });
});

/** Text shaped like an RFC 3339 timestamp, each part sometimes off. */
const digitsArb = (n: number) =>
  fc.oneof(
    fc.stringMatching(new RegExp(`^[0-9]{${n}}$`)),
    fc.string({ unit: fc.constantFrom("0", "1", "2", "3", "9", "a", " ", "-"), maxLength: n + 1 }),
  );
const timestampArb = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, "0")),
      digitsArb(4),
    ),
    fc.oneof(
      fc.integer({ min: 0, max: 13 }).map((m) => String(m).padStart(2, "0")),
      digitsArb(2),
    ),
    fc.oneof(
      fc.integer({ min: 0, max: 32 }).map((d) => String(d).padStart(2, "0")),
      digitsArb(2),
    ),
    fc.constantFrom("T", "t", " "),
    fc.integer({ min: 0, max: 25 }).map((h) => String(h).padStart(2, "0")),
    fc.integer({ min: 0, max: 61 }).map((m) => String(m).padStart(2, "0")),
    fc.integer({ min: 0, max: 61 }).map((s) => String(s).padStart(2, "0")),
    fc.oneof(fc.constant(""), fc.stringMatching(/^\.[0-9]{0,8}$/)),
    fc.oneof(
      fc.constantFrom("Z", "z", "", "+00:00"),
      fc
        .tuple(
          fc.constantFrom("+", "-", "*"),
          fc.integer({ min: 0, max: 25 }),
          fc.constantFrom(":", "", "-"),
          fc.integer({ min: 0, max: 61 }),
        )
        .map(
          ([s, h, c, m]) => `${s}${String(h).padStart(2, "0")}${c}${String(m).padStart(2, "0")}`,
        ),
    ),
    fc.constantFrom("", "", "", "x", " "),
  )
  .map(
    ([y, mo, d, t, h, mi, s, f, z, tail]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}${tail}`,
  );

describe("isRfc3339", () => {
  it("agrees with the regular expression and Date reading, for timestamp-shaped text", () => {
    fc.assert(
      fc.property(timestampArb, (text) => {
        expect(isRfc3339(text)).toBe(referenceIsRfc3339(text));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with it for any text", () => {
    fc.assert(fc.property(fc.string(), (text) => isRfc3339(text) === referenceIsRfc3339(text)));
  });
});

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

describe("parse3164 timestamps", () => {
  it("reads 'Mmm dd hh:mm:ss' as Date.UTC in the year of the receive time", () => {
    const arb = fc.tuple(
      fc.integer({ min: 0, max: 11 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9998, 11, 31) }),
    );
    fc.assert(
      fc.property(arb, ([month, day, h, m, s, received]) => {
        const pad = (n: number) => String(n).padStart(2, "0");
        const dd = day < 10 ? ` ${day}` : String(day);
        const text = `${MONTHS[month]} ${dd} ${pad(h)}:${pad(m)}:${pad(s)} host tag: hi`;
        const at = new Date(received);
        let year = at.getUTCFullYear();
        if (month === 11 && at.getUTCMonth() === 0) year--;
        if (month === 0 && at.getUTCMonth() === 11) year++;
        const ms = Date.UTC(year, month, day, h, m, s);
        const valid = new Date(ms).getUTCMonth() === month && new Date(ms).getUTCDate() === day;
        const fields = parse3164(text, received);
        expect(fields.timestamp).toBe(valid ? new Date(ms).toISOString() : undefined);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("decodeSyslog", () => {
  it("never throws, and an entry it gives is one line of JSON", () => {
    const datagram = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .tuple(fc.integer({ min: 0, max: 999 }), fc.string({ unit: "binary", maxLength: 120 }))
        .map(([pri, rest]) => utf8(`<${pri}>${rest}`)),
      fc
        .tuple(fc.integer({ min: 0, max: 191 }), timestampArb, fc.string({ maxLength: 60 }))
        .map(([pri, time, rest]) => utf8(`<${pri}>1 ${time} h app 1 - - ${rest}`)),
    );
    fc.assert(
      fc.property(datagram, (bytes) => {
        const result = decodeSyslog(bytes, RECEIVED);
        if (result.ok) {
          expect(result.value).not.toContain("\n");
          expect(typeof JSON.parse(result.value)).toBe("object");
        }
      }),
      { numRuns: 3000 },
    );
  });
});
