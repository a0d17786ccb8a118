/**
 * One input line -> one log entry. A line holding a JSON object is taken as
 * the entry itself; anything else is wrapped as the message of an entry shaped
 * like the original shipper's.
 */
import type { Level } from "./levels.js";

export interface EntryDefaults {
  /** Level of an entry made from a line that is not a JSON object. */
  readonly level: Level;
  /** Service of an entry made from a line that is not a JSON object. */
  readonly service: string;
  /**
   * Wall clock for the `timestamp` of entries that lack one: milliseconds
   * since the epoch (like Date.now), or a Date.
   */
  readonly now: () => number | Date;
}

const OPEN_BRACE = 0x7b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Deepest nesting of a JSON object line kept as an object. Deeper lines are
 * taken as text: they would overflow the stack of JSON.stringify later on.
 */
export const MAX_JSON_DEPTH = 512;

/**
 * A line that is a JSON object keeps its fields in their order; a `timestamp`
 * (RFC 3339, UTC, milliseconds) is appended when it has none. Any other line
 * (plain text, a JSON array, number or string, invalid JSON) becomes
 * `{timestamp, level, message: line, service, metadata: {}}`, and so does an
 * object nested deeper than MAX_JSON_DEPTH. Never throws.
 */
export function lineToEntry(line: string, defaults: EntryDefaults): Record<string, unknown> {
  const object = parseObject(line);
  if (object !== undefined) {
    if (!Object.hasOwn(object, "timestamp")) object.timestamp = timestamp(defaults.now);
    return object;
  }
  return {
    timestamp: timestamp(defaults.now),
    level: defaults.level,
    message: line,
    service: defaults.service,
    metadata: {},
  };
}

/** The line as a JSON object, or undefined when it is anything else. */
function parseObject(line: string): Record<string, unknown> | undefined {
  if (firstNonSpace(line) !== OPEN_BRACE) return undefined;
  // Only a line longer than twice the limit can nest deeper than it.
  if (line.length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(line, MAX_JSON_DEPTH)) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Invalid JSON, or nesting too deep for the parser: the line is text.
  }
  return undefined;
}

/** True when brackets outside strings nest deeper than `limit`. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === 0x5b || code === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d && code !== 0x0a) {
      return code;
    }
  }
  return -1;
}

const EPOCH = new Date(0).toISOString();
/** The last clock reading turned into text, and that text: lines mostly come many per millisecond. */
let lastMs = 0;
let lastText = EPOCH;

/**
 * The clock's reading in RFC 3339 UTC with milliseconds; the epoch when the
 * reading is not a valid date. The text of the last reading is kept, so a
 * clock that reads the same millisecond again costs no new Date or string.
 */
export function timestamp(now: () => number | Date): string {
  const reading = now();
  const ms = typeof reading === "number" ? reading : reading.getTime();
  if (ms === lastMs) return lastText;
  const date = new Date(ms);
  const text = Number.isNaN(date.getTime()) ? EPOCH : date.toISOString();
  lastMs = ms;
  lastText = text;
  return text;
}
