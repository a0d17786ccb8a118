import { DEFAULT_JSON_LIMITS, type JsonLimits, scanJson, skipSpace } from "../wire/json-scan.js";
import { utf8Text } from "../wire/payload.js";
import type { Result } from "../wire/types.js";
import { levelOfSeverity, SEVERITY_NAMES } from "./syslog.js";
import { isoTime } from "./text.js";

/** GELF 1.1: a message without `level` is ALERT (1). */
const GELF_DEFAULT_LEVEL = 1;

/** Fields GELF defines; they are mapped, not copied to metadata. */
const MAPPED = new Set(["version", "short_message", "full_message", "timestamp", "level", "host"]);

/** Where the entry's `service` comes from, first present string wins. */
const SERVICE_KEYS = ["_service", "_application_name", "facility"] as const;

/** 10000-01-01T00:00:00Z in seconds: later timestamps have no RFC 3339 form. */
const MAX_TIMESTAMP_S = 253_402_300_800;

/** A parsed GELF message. */
export type GelfObject = Record<string, unknown>;

function isObject(value: unknown): value is GelfObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a JSON object with both `version` and `short_message` at its top level. */
function isGelfShaped(value: unknown): value is GelfObject {
  return (
    isObject(value) && Object.hasOwn(value, "version") && Object.hasOwn(value, "short_message")
  );
}

/** A limit the text passes, before it is parsed. */
type BoundReason = "too-deep" | "too-many-entries" | "too-many-fields";

/**
 * UTF-8 JSON text that is one object within `limits` (so parsing it costs no
 * more than its size) as its value; a bound's reason when it passes one;
 * undefined when it is not JSON, or not an object.
 */
function parseObject(
  bytes: Uint8Array,
  limits: JsonLimits,
): Result<unknown, BoundReason> | undefined {
  const text = utf8Text(bytes);
  if (text.charCodeAt(skipSpace(text, 0)) !== 0x7b) return undefined;
  const refused = scanJson(text, limits);
  if (refused === "invalid-json") return undefined;
  if (refused !== undefined) return { ok: false, reason: refused };
  return { ok: true, value: JSON.parse(text) };
}

/**
 * The GELF-shaped object (see `isGelfShaped`) that JSON text opening with
 * `{`, already scanned valid and within its limits, holds; undefined for any
 * other JSON. Parses the text once, and not at all when it cannot hold both
 * keys: without a backslash, a key can only be written as itself.
 */
export function gelfObjectOf(text: string): GelfObject | undefined {
  const plain = !text.includes("\\");
  if (plain && !(text.includes('"short_message"') && text.includes('"version"'))) return undefined;
  const value: unknown = JSON.parse(text);
  return isGelfShaped(value) ? value : undefined;
}

/** The field, or undefined when absent or null. */
function optional(message: GelfObject, key: string): unknown {
  return Object.hasOwn(message, key) ? (message[key] ?? undefined) : undefined;
}

function isLevel(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 7;
}

function isTimestamp(value: unknown): value is number {
  return typeof value === "number" && value >= 0 && value < MAX_TIMESTAMP_S;
}

interface Checked {
  readonly message: string;
  readonly host: string | undefined;
  readonly fullMessage: string | undefined;
  readonly timestamp: number | undefined;
  readonly level: number;
}

/** The GELF fields with their types checked; undefined when one is of the wrong type. */
function check(message: GelfObject): Checked | undefined {
  const host = optional(message, "host");
  const fullMessage = optional(message, "full_message");
  const timestamp = optional(message, "timestamp");
  const level = optional(message, "level");
  if (typeof message.version !== "string" || typeof message.short_message !== "string") {
    return undefined;
  }
  if (host !== undefined && typeof host !== "string") return undefined;
  if (fullMessage !== undefined && typeof fullMessage !== "string") return undefined;
  if (timestamp !== undefined && !isTimestamp(timestamp)) return undefined;
  if (level !== undefined && !isLevel(level)) return undefined;
  return {
    message: message.short_message,
    host,
    fullMessage,
    timestamp,
    level: level ?? GELF_DEFAULT_LEVEL,
  };
}

/** `_foo` -> `foo` and any other field not GELF's own -> itself; `_id` is dropped, first wins. */
function extras(message: GelfObject, skip: string | undefined, into: GelfObject): void {
  for (const key of Object.keys(message)) {
    if (MAPPED.has(key) || key === skip || key === "_id") continue;
    const name = key.startsWith("_") ? key.slice(1) : key;
    if (!Object.hasOwn(into, name)) into[name] = message[key];
  }
}

/**
 * A GELF message to one entry line: `timestamp` (seconds -> RFC 3339 UTC with
 * milliseconds; the receive time when absent), `level` (from the syslog
 * level, ALERT when absent), `message` (short_message), `service` (the first
 * string of `_service`, `_application_name`, `facility`), `host`, and
 * `metadata` {severity, full_message, then the additional fields without
 * their `_`}. `version` and `short_message` must be strings; `host`,
 * `full_message`, `timestamp` (a number from 0 up to year 10000) and `level`
 * (an integer 0-7) may be absent or null; anything else is `invalid-gelf`.
 */
export function gelfEntry(
  message: GelfObject,
  receivedAtMs: number,
): Result<string, "invalid-gelf"> {
  const fields = check(message);
  if (fields === undefined) return { ok: false, reason: "invalid-gelf" };
  const serviceKey = SERVICE_KEYS.find((key) => typeof optional(message, key) === "string");
  const metadata = Object.create(null) as GelfObject;
  metadata.severity = SEVERITY_NAMES[fields.level];
  if (fields.fullMessage !== undefined) metadata.full_message = fields.fullMessage;
  extras(message, serviceKey, metadata);
  const timestamp = fields.timestamp === undefined ? receivedAtMs : fields.timestamp * 1000;
  const entry = {
    timestamp: isoTime(Math.round(timestamp)),
    level: levelOfSeverity(fields.level),
    message: fields.message,
    ...(serviceKey !== undefined ? { service: message[serviceKey] } : {}),
    ...(fields.host !== undefined ? { host: fields.host } : {}),
    metadata,
  };
  return { ok: true, value: JSON.stringify(entry) };
}

/**
 * UTF-8 JSON to one entry: `unknown-format` when it is not a GELF-shaped
 * object (see `isGelfShaped`), `invalid-gelf` when its fields are wrong, and
 * a bound's reason (`too-deep`, `too-many-fields`) when the text passes one
 * of `limits`, found before it is parsed.
 */
export function decodeGelfJson(
  bytes: Uint8Array,
  receivedAtMs: number,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
): Result<string, "invalid-gelf" | "unknown-format" | BoundReason> {
  const parsed = parseObject(bytes, limits);
  if (parsed?.ok === false) return parsed;
  const value = parsed?.value;
  if (!isGelfShaped(value)) return { ok: false, reason: "unknown-format" };
  return gelfEntry(value, receivedAtMs);
}
