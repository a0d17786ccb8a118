/**
 * JSON lines of common loggers mapped onto the entry's fields, and the
 * detection of the logger by the fields an object holds. Fields a mapping
 * takes are not repeated in metadata; every other field goes there, in
 * order (a value a field's role cannot use, such as an unknown level name,
 * stays there too).
 *
 * | format   | timestamp                          | level                    | message   | service             | host        |
 * | pino     | time                               | level (10..60 or name)   | msg       | name                | hostname    |
 * | bunyan   | time                               | level (10..60)           | msg       | name                | hostname    |
 * | winston  | timestamp                          | level                    | message   | service             | host        |
 * | journald | __REALTIME_TIMESTAMP (µs)          | PRIORITY (0..7)          | MESSAGE   | SYSLOG_IDENTIFIER   | _HOSTNAME   |
 * | docker   | time                               | a level word in `log`    | log       |                     |             |
 * | generic  | timestamp, @timestamp, time, ts    | level, severity, lvl, loglevel | message, msg | service | host, hostname |
 */
import { isArrayIndex } from "./json-object.js";
import { levelFromSyslogPriority } from "./level-names.js";
import { levelWord } from "./level-word.js";
import {
  fromNamedValues,
  GENERIC_ROLES,
  isPlainObject,
  type ParsedEntry,
  type Role,
} from "./parsed.js";
import type { TimeContext } from "./timestamp.js";

export const JSON_FORMATS = [
  "auto",
  "pino",
  "bunyan",
  "winston",
  "journald",
  "docker",
  "generic",
  "raw",
] as const;

export type JsonFormat = (typeof JSON_FORMATS)[number];

/** A format a JSON object is mapped with. */
export type MappedFormat = Exclude<JsonFormat, "auto" | "raw">;

type Json = Record<string, unknown>;

const PINO_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ["time", "timestamp"],
  ["level", "level"],
  ["msg", "message"],
  ["name", "service"],
  ["hostname", "host"],
]);

const WINSTON_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ["timestamp", "timestamp"],
  ["level", "level"],
  ["message", "message"],
  ["service", "service"],
  ["host", "host"],
]);

const JOURNALD_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ["__REALTIME_TIMESTAMP", "timestamp"],
  ["PRIORITY", "level"],
  ["MESSAGE", "message"],
  ["SYSLOG_IDENTIFIER", "service"],
  ["_HOSTNAME", "host"],
]);

const DOCKER_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([["time", "timestamp"]]);

/** pino; without a `msg`, the message of its `err` (whose stack stays in metadata.err). */
function mapPino(object: Json, context: TimeContext): ParsedEntry {
  const parsed = fromNamedValues(object, PINO_ROLES, context);
  if (parsed.message !== undefined) return parsed;
  const err = parsed.metadata.err;
  const message = typeof err === "object" && err !== null ? (err as Json).message : undefined;
  return typeof message === "string" ? { ...parsed, message } : parsed;
}

/** bunyan: pino's mapping; its format version, `v` 0, is dropped. */
function mapBunyan(object: Json, context: TimeContext): ParsedEntry {
  const parsed = mapPino(object, context);
  if (parsed.metadata.v === 0) delete parsed.metadata.v;
  return parsed;
}

/** journald: a MESSAGE journald wrote as an array of bytes (not UTF-8 text) is decoded. */
function mapJournald(object: Json, context: TimeContext): ParsedEntry {
  const message = object.MESSAGE;
  const bytes = Array.isArray(message) && message.every((b) => typeof b === "number");
  const preset = bytes
    ? { message: new TextDecoder().decode(Uint8Array.from(message)), names: ["MESSAGE"] }
    : undefined;
  return fromNamedValues(object, JOURNALD_ROLES, context, levelFromSyslogPriority, preset);
}

/** Docker json-file: `log` without its line break; the level from a level word in it. */
function mapDocker(object: Json, context: TimeContext): ParsedEntry {
  const log = object.log;
  const preset =
    typeof log === "string"
      ? {
          message: log.endsWith("\n") ? log.slice(0, log.endsWith("\r\n") ? -2 : -1) : log,
          names: ["log"],
        }
      : undefined;
  const parsed = fromNamedValues(object, DOCKER_ROLES, context, undefined, preset);
  const level = parsed.message === undefined ? undefined : levelWord(parsed.message);
  return level === undefined ? parsed : { ...parsed, level };
}

const MAPPERS: Readonly<Record<MappedFormat, (object: Json, context: TimeContext) => ParsedEntry>> =
  {
    pino: mapPino,
    bunyan: mapBunyan,
    winston: (object, context) => fromNamedValues(object, WINSTON_ROLES, context),
    journald: mapJournald,
    docker: mapDocker,
    generic: (object, context) => fromNamedValues(object, GENERIC_ROLES, context),
  };

const has = Object.hasOwn;

/** True when the object holds a field of a generic role other than service and host. */
function hasGenericField(object: Json): boolean {
  for (const key of ["message", "msg", "level", "severity", "lvl", "loglevel"]) {
    if (has(object, key)) return true;
  }
  return ["timestamp", "@timestamp", "time", "ts"].some((key) => has(object, key));
}

/**
 * True when `level` is the object's first key, as pino writes it; array
 * indexes, which JavaScript lists first, are passed over.
 */
function levelFirst(object: Json): boolean {
  for (const key in object) {
    if (!isArrayIndex(key)) return key === "level";
  }
  return false;
}

/**
 * The format of an object, checked in this order: journald (`MESSAGE` with
 * `__REALTIME_TIMESTAMP` or `PRIORITY`), docker (a string `log` with
 * `stream` or `time`), bunyan (a numeric `level`, `v` 0, a string `time`
 * and a first key other than `level`), pino (a numeric `level` with `msg`
 * or `time`), winston (a string `level` with `message`), generic (any
 * field of a generic role but service and host); undefined for none of
 * these.
 */
export function detectJsonFormat(object: Json): MappedFormat | undefined {
  if (has(object, "MESSAGE") && (has(object, "__REALTIME_TIMESTAMP") || has(object, "PRIORITY"))) {
    return "journald";
  }
  if (typeof object.log === "string" && (has(object, "stream") || has(object, "time"))) {
    return "docker";
  }
  if (typeof object.level === "number") {
    // bunyan writes its format version, 0, and its time as ISO text, after
    // its logger's fields (`name` first); pino writes a `v` only when the
    // app logs one, and `level` before any other field.
    if (object.v === 0 && typeof object.time === "string" && !levelFirst(object)) {
      return "bunyan";
    }
    if (has(object, "msg") || has(object, "time")) return "pino";
  }
  if (typeof object.level === "string" && has(object, "message")) return "winston";
  return hasGenericField(object) ? "generic" : undefined;
}

/**
 * The object mapped with `format`, or with the detected one for `auto`;
 * undefined when `auto` detects none (the object is then kept as it is).
 */
export function mapJsonObject(
  object: Json,
  format: MappedFormat | "auto",
  context: TimeContext,
): ParsedEntry | undefined {
  const chosen = format === "auto" ? detectJsonFormat(object) : format;
  return chosen === undefined ? undefined : MAPPERS[chosen](object, context);
}

const ENTRY_FIELDS = new Set(["timestamp", "level", "message", "service", "host", "metadata"]);
const LEVEL_NAMES = new Set<unknown>(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);

/**
 * True for an object already shaped as the shipper's entry: a string
 * `message`, no field but `timestamp` (a string), `level` (spelled as in
 * LEVELS), `service`, `host` (strings) and `metadata` (an object). Mapping
 * it would give it back; a caller may keep its text as written.
 */
export function isShipperEntry(object: Json): boolean {
  if (typeof object.message !== "string") return false;
  for (const key in object) if (!ENTRY_FIELDS.has(key)) return false;
  if (has(object, "level") && !LEVEL_NAMES.has(object.level)) return false;
  if (has(object, "metadata") && !isPlainObject(object.metadata)) return false;
  for (const key of ["timestamp", "service", "host"]) {
    if (has(object, key) && typeof object[key] !== "string") return false;
  }
  return true;
}
