/**
 * Entries as JSON text, shaped
 * `{"timestamp","level","message","service","host","metadata"}`, with the
 * defaults and the enrichment filled in: the time the line is read when it
 * gave none, the default level, service and host when it named none, and
 * the static fields added to `metadata` where it has no field of that name.
 */
import type { Level } from "../client/levels.js";
import { EntryHeads, levelPart } from "./entry-head.js";
import { IsoFormatter } from "./iso-formatter.js";
import { isArrayIndex } from "./json-object.js";
import { jsonString } from "./json-string.js";
import { type ParsedEntry, setField } from "./parsed.js";

export interface EntrySettings {
  /** Level of an entry whose line names none. */
  readonly level: Level;
  /** Service of an entry whose line names none. */
  readonly service: string;
  /** Host of an entry whose line names none. */
  readonly host: string;
  /** Static fields added to every entry's metadata where it has none of that name. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
  /** Wall clock, ms since the epoch: the timestamp of a line that gives none. */
  readonly now: () => number;
}

/** An entry as JSON text, with the level the shipper's flush level compares. */
export interface SerializedEntry {
  /** One JSON object, no line break in it. */
  readonly json: string;
  /** The entry's level; undefined when it names none the shipper knows. */
  readonly level: Level | undefined;
  /** UTF-8 bytes of `json`. */
  readonly bytes: number;
}

/** An entry's fields where `message`, `service` and `host` are JSON text (undefined: "" and the defaults). */
export interface JsonParts {
  readonly ms: number | undefined;
  readonly level: Level | undefined;
  readonly message: string | undefined;
  readonly service: string | undefined;
  readonly host: string | undefined;
  /** True when the parts given here, and the metadata's members, are ASCII: one byte a character. */
  readonly ascii: boolean;
}

const MAX_DATE_MS = 8.64e15;

export class EntryWriter {
  readonly #settings: EntrySettings;
  /** From after the message to the end: service, host and the static fields. */
  readonly #tail: string;
  /** The tail after a message's closing quote, for a line put between quotes as it is. */
  readonly #quotedTail: string;
  /** UTF-8 bytes of the tail beyond its length (non-ASCII names). */
  readonly #tailExtraBytes: number;
  readonly #levelParts = new Map<Level, string>();
  #lastService = "";
  #lastHost = "";
  #lastMiddle = "";
  readonly #iso = new IsoFormatter();
  readonly #heads = new EntryHeads(this.#iso);
  readonly #serviceJson: string;
  readonly #hostJson: string;
  /** UTF-8 bytes of the default service's and host's JSON beyond their length. */
  readonly #serviceExtraBytes: number;
  readonly #hostExtraBytes: number;
  /** True when every static field's name and value are ASCII. */
  readonly #fieldsAscii: boolean;
  /** The static fields: the name, `"name":"value"`, and `"name"`. */
  readonly #fieldPairs: ReadonlyArray<readonly [string, string, string]>;
  /** True when a static field's name is an array index: JSON.stringify puts it first. */
  readonly fieldsReordered: boolean;

  constructor(settings: EntrySettings) {
    this.#settings = settings;
    this.#serviceJson = JSON.stringify(settings.service);
    this.#hostJson = JSON.stringify(settings.host);
    this.#serviceExtraBytes = Buffer.byteLength(this.#serviceJson) - this.#serviceJson.length;
    this.#hostExtraBytes = Buffer.byteLength(this.#hostJson) - this.#hostJson.length;
    const metadata: Record<string, unknown> = {};
    for (const [key, value] of settings.fields) setField(metadata, key, value);
    this.#tail = `,"service":${this.#serviceJson},"host":${this.#hostJson},"metadata":${JSON.stringify(metadata)}}`;
    this.#tailExtraBytes = Buffer.byteLength(this.#tail) - this.#tail.length;
    this.#quotedTail = `"${this.#tail}`;
    // The first of two fields of one name wins, as in #metadata.
    this.#fieldPairs = settings.fields
      .filter(([key], i) => settings.fields.findIndex(([other]) => other === key) === i)
      .map(([key, value]) => {
        const name = JSON.stringify(key);
        return [key, `${name}:${JSON.stringify(value)}`, name] as const;
      });
    this.#fieldsAscii = this.#fieldPairs.every(
      ([, pair]) => Buffer.byteLength(pair) === pair.length,
    );
    this.fieldsReordered = settings.fields.some(([key]) => isArrayIndex(key));
  }

  /** RFC 3339 UTC text of `ms`, or of now when undefined or out of a Date's range. */
  timestamp(ms: number | undefined): string {
    return this.#iso.format(this.#instant(ms));
  }

  /** `ms`, or now when undefined or out of a Date's range (NaN). */
  #instant(ms: number | undefined): number {
    const at = ms ?? this.#settings.now();
    return Math.abs(at) <= MAX_DATE_MS ? at : this.#settings.now();
  }

  /**
   * The entry of a text line kept whole as its message, built without an
   * intermediate object, timestamped `ms` (now when undefined or NaN).
   * `lineBytes` (the line's UTF-8 bytes when known)
   * saves measuring it; `plain`, the line known to hold nothing JSON
   * escapes, saves searching it.
   */
  line(
    line: string,
    ms: number | undefined,
    level: Level | undefined,
    lineBytes = Buffer.byteLength(line),
    plain = false,
  ): SerializedEntry {
    const chosen = level ?? this.#settings.level;
    // A plain line goes between the quotes of the parts around it: fewer pieces to join.
    const head = this.#heads.head(this.#instant(ms), chosen, plain);
    const json = plain
      ? `${head}${line}${this.#quotedTail}`
      : `${head}${jsonString(line)}${this.#tail}`;
    return {
      json,
      level: chosen,
      bytes: lineBytes + json.length - line.length + this.#tailExtraBytes,
    };
  }

  /** The entry of a parsed line as an object; a missing message is `message`. */
  entry(parsed: ParsedEntry, message: string): Record<string, unknown> {
    return {
      timestamp: this.timestamp(parsed.ms),
      level: parsed.level ?? this.#settings.level,
      message: parsed.message ?? message,
      service: parsed.service ?? this.#settings.service,
      host: parsed.host ?? this.#settings.host,
      metadata: this.#metadata(parsed.metadata),
    };
  }

  /**
   * The entry of a parsed line as JSON text, the text of entry() built
   * piece by piece: the timestamp and level need no escaping, and the
   * default service and host are escaped once.
   */
  parsed(parsed: ParsedEntry, message: string): SerializedEntry {
    return this.#compose(parsed, message, JSON.stringify(this.#metadata(parsed.metadata)));
  }

  /**
   * parsed()'s text for metadata given as an object that JSON.stringify
   * writes in the right order and without the fields the roles took
   * (those hold undefined); the static fields it lacks are appended to its
   * text, not set on it. Only when fieldsReordered is false.
   */
  parsedWithFields(
    parsed: Omit<ParsedEntry, "metadata">,
    metadata: Record<string, unknown>,
  ): SerializedEntry {
    let json = JSON.stringify(metadata);
    for (const [key, pair] of this.#fieldPairs) {
      if (Object.hasOwn(metadata, key) && metadata[key] !== undefined) continue;
      json = json === "{}" ? `{${pair}}` : `${json.slice(0, -1)},${pair}}`;
    }
    return this.#compose(parsed, "", json);
  }

  /**
   * parsedWithFields()'s text from parts that are JSON text already:
   * `members`, the metadata's members without braces, and `holds(name)`,
   * true when they include a field of that JSON name (a static field is
   * appended where they do not). Only when fieldsReordered is false.
   */
  fromJsonParts(
    parts: JsonParts,
    members: string,
    holds: (name: string) => boolean,
  ): SerializedEntry {
    let metadata = members;
    for (const [, pair, name] of this.#fieldPairs) {
      if (!holds(name)) metadata = metadata === "" ? pair : `${metadata},${pair}`;
    }
    const level = parts.level ?? this.#settings.level;
    const middle = this.#middle(parts.service ?? this.#serviceJson, parts.host ?? this.#hostJson);
    const json = `{"timestamp":"${this.timestamp(parts.ms)}${this.#levelPart(level)}${parts.message ?? '""'}${middle}${metadata}}}`;
    const bytes =
      parts.ascii && this.#fieldsAscii
        ? json.length +
          (parts.service === undefined ? this.#serviceExtraBytes : 0) +
          (parts.host === undefined ? this.#hostExtraBytes : 0)
        : Buffer.byteLength(json);
    return { json, level, bytes };
  }

  /** `","level":"…","message":`, made once a level. */
  #levelPart(level: Level): string {
    let part = this.#levelParts.get(level);
    if (part === undefined) {
      part = levelPart(level, false);
      this.#levelParts.set(level, part);
    }
    return part;
  }

  /** `,"service":…,"host":…,"metadata":{` of JSON texts, kept for the next entry of the same two. */
  #middle(service: string, host: string): string {
    if (service !== this.#lastService || host !== this.#lastHost) {
      this.#lastService = service;
      this.#lastHost = host;
      this.#lastMiddle = `,"service":${service},"host":${host},"metadata":{`;
    }
    return this.#lastMiddle;
  }

  #compose(
    parsed: Omit<ParsedEntry, "metadata">,
    message: string,
    metadataJson: string,
  ): SerializedEntry {
    const level = parsed.level ?? this.#settings.level;
    const service =
      parsed.service === undefined ? this.#serviceJson : JSON.stringify(parsed.service);
    const host = parsed.host === undefined ? this.#hostJson : JSON.stringify(parsed.host);
    const json = `{"timestamp":"${this.timestamp(parsed.ms)}","level":"${level}","message":${JSON.stringify(parsed.message ?? message)},"service":${service},"host":${host},"metadata":${metadataJson}}`;
    return { json, level, bytes: Buffer.byteLength(json) };
  }

  /** `metadata` with the static fields it lacks added. */
  #metadata(metadata: Record<string, unknown>): Record<string, unknown> {
    for (const [key, value] of this.#settings.fields) {
      if (!Object.hasOwn(metadata, key)) setField(metadata, key, value);
    }
    return metadata;
  }
}
