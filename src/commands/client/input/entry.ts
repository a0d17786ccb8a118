/**
 * One input line -> one log entry. A line holding a JSON object is taken as
 * the entry itself; anything else is wrapped as the message of an entry shaped
 * like the original shipper's. lineToEntry gives the entry as an object,
 * lineToJson as the JSON text the shipper sends. Both are pure: what they
 * keep from one line to the next is in the EntryCache their caller passes.
 */

import { type Level, parseLevel } from "../../../client/levels.js";
import type { SerializedEntry } from "../../../entries/entry-writer.js";
import { MAX_JSON_DEPTH, parseObject } from "../../../entries/json-object.js";
import { jsonString } from "../../../entries/json-string.js";
import { compactJson, isSpace } from "../../../wire/index.js";

export { MAX_JSON_DEPTH, type SerializedEntry };

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

/**
 * A line that is a JSON object keeps its fields in their order; a `timestamp`
 * (RFC 3339, UTC, milliseconds) is appended when it has none. Any other line
 * (plain text, a JSON array, number or string, invalid JSON) becomes
 * `{timestamp, level, message: line, service, metadata: {}}`, and so does an
 * object nested deeper than MAX_JSON_DEPTH. Never throws.
 */
export function lineToEntry(
  line: string,
  defaults: EntryDefaults,
  cache = new EntryCache(),
): Record<string, unknown> {
  const object = parseObject(line);
  if (object !== undefined) {
    if (!Object.hasOwn(object, "timestamp")) object.timestamp = timestamp(defaults.now, cache);
    return object;
  }
  return {
    timestamp: timestamp(defaults.now, cache),
    level: defaults.level,
    message: line,
    service: defaults.service,
    metadata: {},
  };
}

/**
 * The entry of lineToEntry as JSON text, built without an intermediate object.
 * A line that is not a JSON object gives exactly JSON.stringify(lineToEntry(line)).
 * A JSON object line is sent as written, with the white space outside its
 * strings removed (the text the receiver writes out): its keys, their order,
 * number spellings and escapes stay, a key given twice stays twice; a missing
 * `timestamp` is appended as the last field. JSON.parse of the text equals
 * lineToEntry(line). Never throws.
 *
 * `lineBytes`, the line's UTF-8 bytes when the caller knows them, saves
 * measuring the text: all the text adds to the line or takes from it is
 * ASCII (escapes, white space, fields) but for the service name. `plain`,
 * the line known to hold nothing JSON escapes, saves searching it.
 */
export function lineToJson(
  line: string,
  defaults: EntryDefaults,
  lineBytes = Buffer.byteLength(line),
  cache = new EntryCache(),
  plain = false,
): SerializedEntry {
  const object = parseObject(line);
  if (object !== undefined) return objectLineToJson(line, object, defaults, lineBytes, cache);
  const template = cache.template(defaults);
  const at = timestamp(defaults.now, cache);
  // A plain line goes between the quotes of the parts around it: fewer pieces to join.
  const json = plain
    ? template.quotedHead(at) + line + template.quotedTail
    : template.head(at) + jsonString(line) + template.tail;
  return {
    json,
    level: defaults.level,
    bytes: lineBytes + json.length - line.length + template.extraBytes,
  };
}

/** lineToJson of a line already parsed as the JSON object `object`. */
export function objectLineToJson(
  line: string,
  object: Record<string, unknown>,
  defaults: EntryDefaults,
  lineBytes = Buffer.byteLength(line),
  cache = new EntryCache(),
): SerializedEntry {
  const { json, level } = objectJson(compactLine(line), object, defaults, cache);
  return { json, level, bytes: lineBytes + json.length - line.length };
}

/**
 * White space next to a structural character. In valid JSON every run of
 * white space outside strings but the leading and trailing ones is next to
 * one (two values are always apart by a comma or a colon); a string may
 * hold such a pair too, which only costs the full scan.
 */
const SPACE_BY_STRUCTURE = /[{}[\],:][ \t\n\r]|[ \t\n\r][{}[\],:]/;

/** A line of valid JSON without white space outside strings. */
function compactLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (isSpace(line.charCodeAt(start))) start++;
  while (isSpace(line.charCodeAt(end - 1))) end--;
  const trimmed = start === 0 && end === line.length ? line : line.slice(start, end);
  return SPACE_BY_STRUCTURE.test(trimmed) ? compactJson(line, start, end) : trimmed;
}

/** `text` is compact JSON for `object`. */
function objectJson(
  text: string,
  object: Record<string, unknown>,
  defaults: EntryDefaults,
  cache: EntryCache,
): Omit<SerializedEntry, "bytes"> {
  const level = typeof object.level === "string" ? parseLevel(object.level) : undefined;
  if (Object.hasOwn(object, "timestamp")) return { json: text, level };
  const comma = text.length === 2 ? "" : ",";
  return {
    json: `${text.slice(0, -1)}${comma}"timestamp":"${timestamp(defaults.now, cache)}"}`,
    level,
  };
}

/**
 * The fixed parts of a text line's entry around its message. The part before
 * the message is kept for the last timestamp: lines share it many at a time.
 */
class TextTemplate {
  /** From after the message to the end. */
  readonly tail: string;
  /** The tail with the message's closing quote. */
  readonly quotedTail: string;
  /** UTF-8 bytes of the parts beyond their length (a non-ASCII service name). */
  readonly extraBytes: number;
  readonly #middle: string;
  #timestamp = "";
  #head = "";
  #quotedHead = "";

  constructor(readonly defaults: EntryDefaults) {
    this.#middle = `,"level":${JSON.stringify(defaults.level)},"message":`;
    this.tail = `,"service":${JSON.stringify(defaults.service)},"metadata":{}}`;
    this.quotedTail = `"${this.tail}`;
    const fixed = this.#middle + this.tail;
    this.extraBytes = Buffer.byteLength(fixed) - fixed.length;
  }

  /** Everything before the message, for this timestamp. */
  head(timestamp: string): string {
    if (timestamp !== this.#timestamp) {
      this.#timestamp = timestamp;
      this.#head = `{"timestamp":"${timestamp}"${this.#middle}`;
      this.#quotedHead = `${this.#head}"`;
    }
    return this.#head;
  }

  /** head() with the message's opening quote. */
  quotedHead(timestamp: string): string {
    this.head(timestamp);
    return this.#quotedHead;
  }
}

const EPOCH = new Date(0).toISOString();

/**
 * What one run's lines share, built once instead of once a line: the template
 * of the last defaults (a run has one set), and the last clock reading with
 * its text (lines mostly come many per millisecond). The caller owns it.
 */
export class EntryCache {
  #template: TextTemplate | undefined;
  #lastMs = 0;
  #lastText = EPOCH;

  /** The template of these defaults (the last one when they are the same object). */
  template(defaults: EntryDefaults): TextTemplate {
    if (this.#template?.defaults !== defaults) this.#template = new TextTemplate(defaults);
    return this.#template;
  }

  /** The text of a reading in milliseconds; see timestamp(). */
  text(ms: number): string {
    if (ms === this.#lastMs) return this.#lastText;
    const date = new Date(ms);
    const text = Number.isNaN(date.getTime()) ? EPOCH : date.toISOString();
    this.#lastMs = ms;
    this.#lastText = text;
    return text;
  }
}

/**
 * The clock's reading in RFC 3339 UTC with milliseconds; the epoch when the
 * reading is not a valid date. Through `cache`, a clock that reads the same
 * millisecond again costs no new Date or string.
 */
export function timestamp(now: () => number | Date, cache = new EntryCache()): string {
  const reading = now();
  return cache.text(typeof reading === "number" ? reading : reading.getTime());
}
