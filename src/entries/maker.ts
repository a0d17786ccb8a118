/**
 * One line -> one entry, with the parsers and mappings chosen once: the
 * mapping code a command, a logger transport or a stream all share. A line
 * holding a JSON object goes to the JSON mapping (json-formats.ts); any
 * other line to the text parser (text-parsers.ts); the result gets the
 * defaults and enrichment of entry-writer.ts.
 */
import { AutoLineReader } from "./auto-line.js";
import { type EntrySettings, EntryWriter, type SerializedEntry } from "./entry-writer.js";
import { type JsonFormat, mapJsonObject } from "./json-formats.js";
import { parseObject, startsLikeObject } from "./json-object.js";
import type { ParsedEntry } from "./parsed.js";
import { pinoObjectEntry } from "./pino-line.js";
import { PinoText } from "./pino-text.js";
import { logfmtEntry, regexEntry, type TextParse } from "./text-parsers.js";
import type { TimeContext } from "./timestamp.js";
import type { Zone } from "./zone.js";

export interface EntryMakerOptions extends EntrySettings {
  /** How text lines are read; `none` keeps the line whole as the message. */
  readonly parse: TextParse;
  /** How JSON object lines are mapped; `raw` leaves them to the caller. */
  readonly jsonFormat: JsonFormat;
  /** The zone of timestamps that carry no offset. */
  readonly zone: Zone;
}

export class EntryMaker {
  readonly writer: EntryWriter;
  readonly #options: EntryMakerOptions;
  readonly #context: TimeContext;
  readonly #pinoText: PinoText;
  readonly #auto: AutoLineReader;

  constructor(options: EntryMakerOptions) {
    this.#options = options;
    this.writer = new EntryWriter(options);
    this.#pinoText = new PinoText(this.writer);
    this.#context = { zone: options.zone, now: options.now };
    this.#auto = new AutoLineReader(this.#context);
  }

  /**
   * The entry of a text line (not a JSON object), per the text parser.
   * `lineBytes`, the line's UTF-8 bytes when known, saves measuring it;
   * `plain`, the line known to hold nothing JSON escapes, saves searching it.
   */
  text(line: string, lineBytes?: number, plain = false): SerializedEntry {
    const parse = this.#options.parse;
    if (parse.kind === "none")
      return this.writer.line(line, undefined, undefined, lineBytes, plain);
    if (parse.kind !== "auto") {
      const parsed = this.#fields(line, parse);
      if (parsed !== undefined) return this.writer.parsed(parsed, line);
    }
    const auto = this.#auto;
    auto.read(line);
    return this.writer.line(line, auto.ms, auto.level, lineBytes, plain);
  }

  /**
   * The entry of a parsed JSON object line, per the JSON format; undefined
   * when the format is `raw`, or `auto` recognises no logger: the caller
   * keeps such an object as it is. Without a message field the message is
   * "". `service`, when given, replaces the line's own. The object may be
   * used up.
   */
  object(object: Record<string, unknown>, service?: string): SerializedEntry | undefined {
    if (this.#options.jsonFormat === "pino") {
      const entry = pinoObjectEntry(object, this.writer, this.#context, service);
      if (entry !== undefined) return entry;
    }
    const parsed = this.mapObject(object);
    if (parsed === undefined) return undefined;
    // Every field of the object is in the entry already: no message is "".
    return this.writer.parsed(service === undefined ? parsed : { ...parsed, service }, "");
  }

  /** The fields of a JSON object per the JSON format; undefined as for object(). */
  mapObject(object: Record<string, unknown>): ParsedEntry | undefined {
    const format = this.#options.jsonFormat;
    return format === "raw" ? undefined : mapJsonObject(object, format, this.#context);
  }

  /**
   * The entry of a pino line as make() gives it, from the line's text
   * (pino-text.ts), without parsing it: with the `pino` format, where the
   * line is canonical JSON; with `auto`, where `auto` is also sure to take
   * it for pino's (takenForPino). Undefined for any other line or format:
   * object() then takes the parsed line. `service`, when given, replaces
   * the line's own.
   */
  pino(line: string, service?: string): SerializedEntry | undefined {
    const format = this.#options.jsonFormat;
    if (format === "pino" || (format === "auto" && takenForPino(line))) {
      return this.#pinoText.entry(line, service);
    }
    return undefined;
  }

  /**
   * Any line: a JSON object line mapped, else read as text. A JSON object
   * the format leaves alone is made with `raw`, or by default kept whole as a
   * text line's message.
   */
  make(
    line: string,
    lineBytes?: number,
    raw?: (object: Record<string, unknown>) => SerializedEntry,
  ): SerializedEntry {
    if (startsLikeObject(line)) {
      const object = parseObject(line);
      if (object !== undefined) {
        const mapped = this.object(object);
        if (mapped !== undefined) return mapped;
        if (raw !== undefined) return raw(object);
      }
    }
    return this.text(line, lineBytes);
  }

  #fields(line: string, parse: TextParse): ParsedEntry | undefined {
    if (parse.kind === "logfmt") return logfmtEntry(line, this.#context);
    if (parse.kind === "regex") return regexEntry(line, parse.regex, this.#context);
    return undefined;
  }
}

const LOWER_L = 0x6c;
/** pino's first members: `level`, a number, then `time`. */
const PINO_START = /^\{"level":-?\d+,"time":/;
/**
 * A key of a logger that detectJsonFormat checks before pino (journald,
 * docker). bunyan, checked before it too, is never taken for a line whose
 * first key is `level`.
 */
const EARLIER_LOGGER_KEY = /"(?:MESSAGE|log)":/;

/**
 * True when detectJsonFormat (json-formats.ts) gives `pino` for the object
 * of `line`, valid JSON or not: it starts as pino writes, a numeric level
 * then a time, and holds no key (at any depth, as only a key can be
 * followed by a colon) of the formats detected before pino. Such a line
 * pino-text.ts takes whole is mapped by pino's mapping, as `auto` maps it.
 */
function takenForPino(line: string): boolean {
  // `{"l`: the lines of most other loggers are told apart by one character.
  return line.charCodeAt(2) === LOWER_L && PINO_START.test(line) && !EARLIER_LOGGER_KEY.test(line);
}
