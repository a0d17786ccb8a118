/**
 * Entries as JSON text, shaped
 * `{"timestamp","level","message","service","host","metadata"}`, with the
 * defaults and the enrichment filled in: the time the line is read when it
 * gave none, the default level, service and host when it named none, and
 * the static fields added to `metadata` where it has no field of that name.
 */
import type { Level } from "../client/levels.js";
import { type ParsedEntry, setField } from "./parsed.js";
import { IsoFormatter } from "./timestamp.js";

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

const MAX_DATE_MS = 8.64e15;

export class EntryWriter {
  readonly #settings: EntrySettings;
  /** From after the message to the end: service, host and the static fields. */
  readonly #tail: string;
  /** UTF-8 bytes of the tail beyond its length (non-ASCII names). */
  readonly #tailExtraBytes: number;
  readonly #levelParts = new Map<Level, string>();
  readonly #iso = new IsoFormatter();
  readonly #serviceJson: string;
  readonly #hostJson: string;
  /** The static fields: the name, and `"name":"value"`. */
  readonly #fieldPairs: ReadonlyArray<readonly [string, string]>;
  /** True when a static field's name is an array index: JSON.stringify puts it first. */
  readonly fieldsReordered: boolean;

  constructor(settings: EntrySettings) {
    this.#settings = settings;
    this.#serviceJson = JSON.stringify(settings.service);
    this.#hostJson = JSON.stringify(settings.host);
    const metadata: Record<string, unknown> = {};
    for (const [key, value] of settings.fields) setField(metadata, key, value);
    this.#tail = `,"service":${this.#serviceJson},"host":${this.#hostJson},"metadata":${JSON.stringify(metadata)}}`;
    this.#tailExtraBytes = Buffer.byteLength(this.#tail) - this.#tail.length;
    // The first of two fields of one name wins, as in #metadata.
    this.#fieldPairs = settings.fields
      .filter(([key], i) => settings.fields.findIndex(([other]) => other === key) === i)
      .map(([key, value]) => {
        const name = JSON.stringify(key);
        return [key, `${name}:${JSON.stringify(value)}`] as const;
      });
    this.fieldsReordered = settings.fields.some(([key]) => /^\d+$/.test(key));
  }

  /** RFC 3339 UTC text of `ms`, or of now when undefined or out of a Date's range. */
  timestamp(ms: number | undefined): string {
    let at = ms ?? this.#settings.now();
    if (!(Math.abs(at) <= MAX_DATE_MS)) at = this.#settings.now();
    return this.#iso.format(at);
  }

  /**
   * The entry of a text line kept whole as its message, built without an
   * intermediate object. `lineBytes` (the line's UTF-8 bytes when known)
   * saves measuring it.
   */
  line(
    line: string,
    ms: number | undefined,
    level: Level | undefined,
    lineBytes = Buffer.byteLength(line),
  ): SerializedEntry {
    const chosen = level ?? this.#settings.level;
    let part = this.#levelParts.get(chosen);
    if (part === undefined) {
      part = `","level":"${chosen}","message":`;
      this.#levelParts.set(chosen, part);
    }
    const json = `{"timestamp":"${this.timestamp(ms)}${part}${JSON.stringify(line)}${this.#tail}`;
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
