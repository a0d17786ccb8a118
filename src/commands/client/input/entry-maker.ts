/**
 * The client's line -> entry step, chosen once from the config: `--parse`
 * for text lines, `--json-format` for JSON object lines, with the entries
 * of src/entries. `--parse none` makes text lines' entries exactly as
 * lineToJson does; `--json-format raw`, and `auto` on an object of no known
 * logger, keep a JSON object line as lineToJson does. A JSON line already
 * shaped as the shipper's entry is kept as written too when no `--field` is
 * given, with `host` appended when it has none: mapping would give it back.
 * A pino line, with `pino` or `auto`, is mapped from its text where
 * EntryMaker.pino can: the entry the parsed object would give.
 */
import type { Level } from "../../../client/levels.js";
import {
  EntryMaker,
  isShipperEntry,
  parseObject,
  startsLikeObject,
} from "../../../entries/index.js";
import type { WallClock } from "../../../foundation/time.js";
import type { EntryConfig } from "../parse-options.js";
import {
  EntryCache,
  type EntryDefaults,
  lineToJson,
  objectLineToJson,
  type SerializedEntry,
} from "./entry.js";

export interface EntryMakerConfig {
  readonly level: Level;
  readonly service: string;
  readonly entries: EntryConfig;
}

export interface LineEntryMaker {
  /**
   * The entry of one line; `lineBytes` is its UTF-8 size; `plain`, true
   * when the line is known to hold nothing JSON escapes.
   */
  make(line: string, lineBytes: number, plain?: boolean): SerializedEntry;
}

/** The maker of a run's entries. */
export function lineEntryMaker(config: EntryMakerConfig, now: WallClock): LineEntryMaker {
  const defaults: EntryDefaults = { level: config.level, service: config.service, now };
  const cache = new EntryCache();
  const { parse, jsonFormat } = config.entries;
  if (parse.kind === "none" && jsonFormat === "raw") {
    return {
      make: (line, lineBytes, plain) => lineToJson(line, defaults, lineBytes, cache, plain),
    };
  }
  const maker = new EntryMaker({
    parse,
    jsonFormat,
    zone: config.entries.zone,
    level: config.level,
    service: config.service,
    host: config.entries.hostName,
    fields: config.entries.fields,
    now,
  });
  const keepEntries = jsonFormat === "auto" && config.entries.fields.length === 0;
  const hostField = `,"host":${JSON.stringify(config.entries.hostName)}}`;
  const hostExtraBytes = Buffer.byteLength(hostField) - hostField.length;
  const withHost = (entry: SerializedEntry): SerializedEntry => ({
    json: entry.json.slice(0, -1) + hostField,
    level: entry.level,
    bytes: entry.bytes - 1 + hostField.length + hostExtraBytes,
  });
  return {
    make(line, lineBytes, plain) {
      if (startsLikeObject(line)) {
        // pino's lines by their text, without JSON.parse (EntryMaker.pino).
        const pino = maker.pino(line);
        if (pino !== undefined) return pino;
        const object = parseObject(line);
        if (object !== undefined) {
          if (keepEntries && isShipperEntry(object)) {
            const kept = objectLineToJson(line, object, defaults, lineBytes, cache);
            return Object.hasOwn(object, "host") ? kept : withHost(kept);
          }
          const mapped = maker.object(object);
          return mapped ?? objectLineToJson(line, object, defaults, lineBytes, cache);
        }
      }
      return parse.kind === "none"
        ? lineToJson(line, defaults, lineBytes, cache, plain)
        : maker.text(line, lineBytes, plain);
    },
  };
}
