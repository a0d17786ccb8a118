/**
 * What a parser or a logger mapping finds in one line, before the defaults
 * and the enrichment fill the rest (entry-writer.ts), and the field roles the
 * generic parsers (logfmt, regex, generic JSON) share.
 */
import type { Level } from "../client/levels.js";
import { levelFromValue } from "./level-names.js";
import { type TimeContext, timeValueMs } from "./timestamp.js";

export interface ParsedEntry {
  /** The entry's instant; undefined: the time the line is read. */
  readonly ms: number | undefined;
  /** Undefined: the default level. */
  readonly level: Level | undefined;
  /** Undefined: the line itself. */
  readonly message: string | undefined;
  /** Undefined: the default service. */
  readonly service: string | undefined;
  /** Undefined: the default host. */
  readonly host: string | undefined;
  /** The fields no role took, in their order. */
  readonly metadata: Record<string, unknown>;
}

/** Sets a field, `__proto__` included, as an own enumerable property. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}

export type Role = "timestamp" | "level" | "message" | "service" | "host";

/**
 * The field names of each role, first name first: a field of a later name
 * stays in metadata when an earlier one took the role.
 */
export const GENERIC_ROLES: ReadonlyMap<string, Role> = new Map<string, Role>([
  ["timestamp", "timestamp"],
  ["@timestamp", "timestamp"],
  ["time", "timestamp"],
  ["ts", "timestamp"],
  ["level", "level"],
  ["severity", "level"],
  ["lvl", "level"],
  ["loglevel", "level"],
  ["message", "message"],
  ["msg", "message"],
  ["service", "service"],
  ["host", "host"],
  ["hostname", "host"],
]);

/** How the timestamp and level roles read a value. */
interface ValueReader {
  readonly context: TimeContext;
  readonly level: (value: unknown) => Level | undefined;
}

interface Taken {
  ms?: number;
  level?: Level;
  message?: string;
  service?: string;
  host?: string;
}

/**
 * Reads one field for its role into `taken`; true when the role took it. A
 * value the role cannot use (a time no form matches, an unknown level name,
 * a message that is not a string) is not taken, so it stays in metadata.
 */
function take(taken: Taken, role: Role, value: unknown, reader: ValueReader): boolean {
  switch (role) {
    case "timestamp": {
      if (taken.ms !== undefined) return false;
      const ms = timeValueMs(value, reader.context);
      if (ms !== undefined) taken.ms = ms;
      return ms !== undefined;
    }
    case "level": {
      if (taken.level !== undefined) return false;
      const level = reader.level(value);
      if (level !== undefined) taken.level = level;
      return level !== undefined;
    }
    default: {
      if (typeof value !== "string" || taken[role] !== undefined) return false;
      taken[role] = value;
      return true;
    }
  }
}

/** Roles a mapping filled itself, and the field names it used for them. */
export interface Preset extends Taken {
  readonly names: readonly string[];
}

/**
 * A parsed entry from named values (logfmt pairs, regex groups, the fields
 * of a JSON object): the names in `roles` fill their roles in the order of
 * `roles`, so the first of a role's names present with a usable value wins;
 * every other field goes to metadata in its order. A `metadata` field
 * holding an object is the start of the metadata. `preset` holds roles the
 * caller filled, and the fields it read for them.
 */
export function fromNamedValues(
  values: Readonly<Record<string, unknown>> | ReadonlyMap<string, unknown>,
  roles: ReadonlyMap<string, Role>,
  context: TimeContext,
  level: (value: unknown) => Level | undefined = levelFromValue,
  preset?: Preset,
): ParsedEntry {
  const reader: ValueReader = { context, level };
  const taken: Taken = { ...preset };
  const used: string[] = preset === undefined ? [] : [...preset.names];
  const isMap = values instanceof Map;
  for (const [name, role] of roles) {
    const present = isMap ? values.has(name) : Object.hasOwn(values, name);
    if (!present) continue;
    const value = isMap ? values.get(name) : (values as Record<string, unknown>)[name];
    if (take(taken, role, value, reader)) used.push(name);
  }
  const metadata: Record<string, unknown> = {};
  const names = isMap ? values.keys() : Object.keys(values);
  for (const name of names) {
    if (used.includes(name)) continue;
    const value = isMap ? values.get(name) : (values as Record<string, unknown>)[name];
    if (name === "metadata" && isPlainObject(value)) {
      for (const key of Object.keys(value)) setField(metadata, key, value[key]);
    } else setField(metadata, name, value);
  }
  return {
    ms: taken.ms,
    level: taken.level,
    message: taken.message,
    service: taken.service,
    host: taken.host,
    metadata,
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
