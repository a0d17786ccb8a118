/**
 * Log lines -> entries: the parsers of text lines (timestamps, level words,
 * logfmt, regex), the mappings of JSON loggers (pino, bunyan, winston,
 * journald, Docker json-file, generic), and the entry they make. Pure:
 * nothing here reads argv, env or the process; the zone, clock and host
 * come from the caller.
 */

export { type EntrySettings, EntryWriter, type SerializedEntry } from "./entry-writer.js";
export {
  detectJsonFormat,
  isShipperEntry,
  JSON_FORMATS,
  type JsonFormat,
  type MappedFormat,
  mapJsonObject,
} from "./json-formats.js";
export { MAX_JSON_DEPTH, parseObject, startsLikeObject } from "./json-object.js";
export {
  levelFromName,
  levelFromPinoNumber,
  levelFromSyslogPriority,
  levelFromValue,
  levelOfSyslogSeverity,
} from "./level-names.js";
export { levelWord } from "./level-word.js";
export { parseLogfmt } from "./logfmt.js";
export { EntryMaker, type EntryMakerOptions } from "./maker.js";
export { GENERIC_ROLES, type ParsedEntry } from "./parsed.js";
export {
  autoTimeAndLevel,
  compileLineRegex,
  logfmtEntry,
  regexEntry,
  type TextParse,
} from "./text-parsers.js";
export {
  accessLogTimestamp,
  epochNumberMs,
  leadingTimestamp,
  type TimeContext,
  timeValueMs,
} from "./timestamp.js";
export { fixedZone, localZone, namedZone, parseZone, utcZone, type Zone } from "./zone.js";
