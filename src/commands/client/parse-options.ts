/**
 * The options that say how the client reads its lines: the text parser,
 * the JSON logger format, the zone of timestamps without an offset, and the
 * host and static fields every parsed entry gets.
 */
import { hostname } from "node:os";
import {
  compileLineRegex,
  JSON_FORMATS,
  type JsonFormat,
  parseZone,
  type TextParse,
  type Zone,
} from "../../entries/index.js";
import { nonEmpty, OptionValueError, oneOf, type Parser } from "../shared/options.js";

const REGEX_PREFIX = "regex:";

const parseMode: Parser<TextParse> = (raw) => {
  const value = raw.trim();
  if (value === "auto" || value === "none" || value === "logfmt") return { kind: value };
  if (raw.startsWith(REGEX_PREFIX)) {
    try {
      return { kind: "regex", regex: compileLineRegex(raw.slice(REGEX_PREFIX.length)) };
    } catch (error) {
      throw new OptionValueError(error instanceof Error ? error.message : String(error));
    }
  }
  throw new OptionValueError("expects auto, none, logfmt or regex:PATTERN");
};

const zone: Parser<Zone> = (raw) => {
  const parsed = parseZone(raw);
  if (parsed === undefined) {
    throw new OptionValueError(
      "expects local, UTC, an offset such as +01:00, or a zone name such as Europe/Paris",
    );
  }
  return parsed;
};

const field: Parser<readonly [string, string]> = (raw) => {
  const at = raw.indexOf("=");
  const key = at < 0 ? "" : raw.slice(0, at).trim();
  if (key === "") throw new OptionValueError("expects key=value");
  return [key, raw.slice(at + 1)] as const;
};

/** The options of this file, for clientCommand. */
export function parseSpecs() {
  return [
    {
      flags: "--parse <parser>",
      description:
        "how text lines are read: auto (timestamp and level word), none, logfmt, regex:PATTERN",
      env: "PARSE",
      defaultValue: { kind: "auto" } as TextParse,
      defaultDescription: "auto",
      parse: parseMode,
    },
    {
      flags: "--json-format <format>",
      description: `how JSON lines are mapped: ${JSON_FORMATS.join(", ")}`,
      env: "JSON_FORMAT",
      defaultValue: "auto" as JsonFormat,
      parse: oneOf(JSON_FORMATS),
    },
    {
      flags: "--timezone <zone>",
      description: "zone of timestamps without an offset: local, UTC, +HH:MM or a zone name",
      env: "LOG_TIMEZONE",
      defaultValue: "local",
      parse: zone,
    },
    {
      flags: "--host-name <name>",
      description: "host of parsed entries that name none; unset: this machine's name",
      env: "HOST_NAME",
      parse: nonEmpty,
    },
    {
      flags: "--field <key=value>",
      description: "static field in the metadata of parsed entries (repeatable)",
      env: "FIELDS",
      envSeparator: ",",
      repeatable: true,
      parse: field,
    },
  ] as const;
}

/** The values of these options as commander holds them. */
export interface ParseRawOptions {
  parse: TextParse;
  jsonFormat: JsonFormat;
  timezone: Zone | string;
  hostName: string | undefined;
  field: readonly (readonly [string, string])[] | undefined;
}

/** How lines become entries, validated. */
export interface EntryConfig {
  readonly parse: TextParse;
  readonly jsonFormat: JsonFormat;
  readonly zone: Zone;
  readonly hostName: string;
  /** `--field` pairs in order; a key given twice keeps its first value. */
  readonly fields: readonly (readonly [string, string])[];
}

export function toEntryConfig(raw: ParseRawOptions): EntryConfig {
  const chosen = typeof raw.timezone === "string" ? zone(raw.timezone) : raw.timezone;
  return Object.freeze({
    parse: raw.parse,
    jsonFormat: raw.jsonFormat,
    zone: chosen,
    hostName: raw.hostName ?? hostname(),
    fields: Object.freeze(firstOfEachKey(raw.field ?? [])),
  });
}

function firstOfEachKey(
  pairs: readonly (readonly [string, string])[],
): (readonly [string, string])[] {
  const seen = new Set<string>();
  return pairs.filter(([key]) => !seen.has(key) && seen.add(key) !== undefined);
}
