/**
 * The entry one syslog message becomes, written out directly: the same
 * bytes as JSON.stringify of the object {timestamp, level, message, service,
 * host, metadata: {facility, severity, procid, msgid, structured_data}}
 * (absent fields left out), without building that object first.
 */
import { levelOfSyslogSeverity } from "../entries/level-names.js";
import type { SyslogFields } from "./syslog.js";
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
export const MAX_PRI = 191;

/**
 * `"level":…` up to `"metadata":{…"severity":…` for each PRI 0..191, the
 * parts of an entry that depend on the PRI alone: [level part, metadata part].
 */
const PRI_PARTS: readonly (readonly [string, string])[] = Array.from(
  { length: MAX_PRI + 1 },
  (_, pri) => {
    const severity = pri % 8;
    const level = `,"level":${JSON.stringify(levelOfSyslogSeverity(severity))}`;
    const metadata =
      `,"metadata":{"facility":${JSON.stringify(FACILITY_NAMES[pri >> 3])}` +
      `,"severity":${JSON.stringify(SEVERITY_NAMES[severity])}`;
    return [level, metadata] as const;
  },
);

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;
const BOM = 0xfeff;

/** Drops a leading BOM and trailing line breaks and NULs from a syslog MSG. */
export function cleanMessage(message: string): string {
  let end = message.length;
  for (;;) {
    const code = message.charCodeAt(end - 1);
    if (end === 0 || !(code === CR || code === LF || code === NUL)) break;
    end--;
  }
  const start = message.charCodeAt(0) === BOM ? 1 : 0;
  if (start === 0 && end === message.length) return message;
  return message.slice(start, Math.max(start, end));
}

/** One entry's JSON for a PRI (0..MAX_PRI) and the fields its header gave. */
export function syslogEntry(pri: number, fields: SyslogFields, receivedAtMs: number): string {
  const [level, metadata] = PRI_PARTS[pri] ?? PRI_PARTS[MAX_PRI] ?? ["", ""];
  let out = `{"timestamp":${JSON.stringify(fields.timestamp ?? isoTime(receivedAtMs))}${level}`;
  out += `,"message":${JSON.stringify(cleanMessage(fields.message))}`;
  if (fields.appName !== undefined) out += `,"service":${JSON.stringify(fields.appName)}`;
  if (fields.host !== undefined) out += `,"host":${JSON.stringify(fields.host)}`;
  out += metadata;
  if (fields.procId !== undefined) out += `,"procid":${JSON.stringify(fields.procId)}`;
  if (fields.msgId !== undefined) out += `,"msgid":${JSON.stringify(fields.msgId)}`;
  if (fields.structuredData !== undefined) {
    out += `,"structured_data":${JSON.stringify(fields.structuredData)}`;
  }
  return `${out}}}`;
}
