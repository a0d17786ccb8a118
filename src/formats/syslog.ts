import { DEFAULT_JSON_LIMITS } from "../wire/json-scan.js";
import type { Result } from "../wire/types.js";
import { parse3164 } from "./syslog-3164.js";
import { looksLike5424, parse5424 } from "./syslog-5424.js";
import { isoTime } from "./text.js";

/** Syslog severities 0..7 by number (RFC 5424 table 2). */
export const SEVERITY_NAMES = [
  "emerg",
  "alert",
  "crit",
  "err",
  "warning",
  "notice",
  "info",
  "debug",
] as const;

/** Syslog facilities 0..23 by number (RFC 5424 table 1, names as rsyslog spells them). */
const FACILITY_NAMES = [
  "kern",
  "user",
  "mail",
  "daemon",
  "auth",
  "syslog",
  "lpr",
  "news",
  "uucp",
  "cron",
  "authpriv",
  "ftp",
  "ntp",
  "audit",
  "alert",
  "clock",
  "local0",
  "local1",
  "local2",
  "local3",
  "local4",
  "local5",
  "local6",
  "local7",
] as const;

/** Largest PRI: facility 23 (local7) x 8 + severity 7 (debug). */
const MAX_PRI = 191;

export type Level = "CRITICAL" | "ERROR" | "WARNING" | "INFO" | "DEBUG";

const LEVELS: readonly Level[] = [
  "CRITICAL",
  "CRITICAL",
  "CRITICAL",
  "ERROR",
  "WARNING",
  "INFO",
  "INFO",
  "DEBUG",
];

/** emerg/alert/crit -> CRITICAL, err -> ERROR, warning -> WARNING, notice/info -> INFO, debug -> DEBUG. */
export function levelOfSeverity(severity: number): Level {
  return LEVELS[severity] ?? "DEBUG";
}

/** What a syslog header says, whatever its RFC; absent or NILVALUE fields are undefined. */
export interface SyslogFields {
  /** RFC 3339, as the sender wrote it (RFC 5424) or built from RFC 3164's "Mmm dd hh:mm:ss". */
  readonly timestamp: string | undefined;
  readonly host: string | undefined;
  /** APP-NAME (RFC 5424) or TAG (RFC 3164). */
  readonly appName: string | undefined;
  readonly procId: string | undefined;
  readonly msgId: string | undefined;
  readonly structuredData: Record<string, unknown> | undefined;
  readonly message: string;
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

function isDigit(byte: number | undefined): boolean {
  return byte !== undefined && byte >= 0x30 && byte <= 0x39;
}

/**
 * Reads `<` + 1 to 3 ASCII digits + `>` at the start of a datagram: the PRI
 * value (possibly above MAX_PRI) and the index after `>`; undefined when the
 * datagram does not start that way.
 */
export function readPri(bytes: Uint8Array): { value: number; end: number } | undefined {
  if (bytes[0] !== LESS_THAN) return undefined;
  let value = 0;
  let i = 1;
  while (i <= 3 && isDigit(bytes[i])) {
    value = value * 10 + ((bytes[i] as number) - 0x30);
    i++;
  }
  if (i === 1 || bytes[i] !== GREATER_THAN) return undefined;
  return { value, end: i + 1 };
}

/** CR, LF and NUL: dropped from the end of a message. */
const TRAILING = new Set([0x0d, 0x0a, 0x00]);

/** Drops a leading BOM and trailing line breaks and NULs from a syslog MSG. */
function cleanMessage(message: string): string {
  let end = message.length;
  while (end > 0 && TRAILING.has(message.charCodeAt(end - 1))) end--;
  const start = message.charCodeAt(0) === 0xfeff ? 1 : 0;
  return message.slice(start, Math.max(start, end));
}

function entryOf(pri: number, fields: SyslogFields, receivedAtMs: number): string {
  const severity = pri % 8;
  const metadata = {
    facility: FACILITY_NAMES[pri >> 3],
    severity: SEVERITY_NAMES[severity],
    ...(fields.procId !== undefined ? { procid: fields.procId } : {}),
    ...(fields.msgId !== undefined ? { msgid: fields.msgId } : {}),
    ...(fields.structuredData !== undefined ? { structured_data: fields.structuredData } : {}),
  };
  return JSON.stringify({
    timestamp: fields.timestamp ?? isoTime(receivedAtMs),
    level: levelOfSeverity(severity),
    message: cleanMessage(fields.message),
    ...(fields.appName !== undefined ? { service: fields.appName } : {}),
    ...(fields.host !== undefined ? { host: fields.host } : {}),
    metadata,
  });
}

/**
 * One syslog datagram (RFC 5424 or RFC 3164, chosen by `<PRI>1 ` followed by
 * a timestamp or `-`) to one entry: timestamp, level, message, service, host,
 * metadata {facility, severity, procid, msgid, structured_data}. NILVALUE and
 * absent fields are left out; a missing timestamp is the receive time. The
 * whole MSG is one message, line breaks inside it included. A PRI above 191,
 * or an RFC 5424 header that does not parse, is `invalid-syslog`; structured
 * data of more than `maxFields` elements and params is `too-many-fields`.
 */
export function decodeSyslog(
  bytes: Uint8Array,
  receivedAtMs: number,
  maxFields: number = DEFAULT_JSON_LIMITS.maxFields,
): Result<string, "invalid-syslog" | "too-many-fields"> {
  const pri = readPri(bytes);
  if (pri === undefined || pri.value > MAX_PRI) return { ok: false, reason: "invalid-syslog" };
  const rest = Buffer.from(bytes.buffer, bytes.byteOffset + pri.end, bytes.length - pri.end);
  const text = rest.toString("utf8");
  const fields = looksLike5424(text) ? parse5424(text, maxFields) : parse3164(text, receivedAtMs);
  if (fields === undefined) return { ok: false, reason: "invalid-syslog" };
  if (fields === "too-many-fields") return { ok: false, reason: fields };
  return { ok: true, value: entryOf(pri.value, fields, receivedAtMs) };
}
