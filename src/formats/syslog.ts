import { DEFAULT_JSON_LIMITS } from "../wire/json-scan.js";
import type { Result } from "../wire/types.js";
import { parse3164 } from "./syslog-3164.js";
import { looksLike5424, parse5424 } from "./syslog-5424.js";
import { MAX_PRI, syslogEntry } from "./syslog-entry.js";

export type { Level } from "../client/levels.js";
export { levelOfSyslogSeverity as levelOfSeverity } from "../entries/level-names.js";
export { SEVERITY_NAMES } from "./syslog-entry.js";

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
  return { ok: true, value: syslogEntry(pri.value, fields, receivedAtMs) };
}
