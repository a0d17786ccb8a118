/**
 * Level names and numbers as loggers write them, mapped onto the shipper's
 * levels (src/client/levels.ts): the names parseLevel knows, plus NOTICE,
 * HTTP, VERBOSE, SILLY, SEVERE, ALERT, EMERG, PANIC and their kin; pino's
 * and bunyan's numbers; syslog's and journald's priorities.
 */
import { LEVEL_NAMES, type Level, parseLevel } from "../client/levels.js";

const EXTRA: ReadonlyMap<string, Level> = new Map<string, Level>([
  ["FINE", "DEBUG"],
  ["FINER", "DEBUG"],
  ["FINEST", "DEBUG"],
  ["VERBOSE", "DEBUG"],
  ["SILLY", "DEBUG"],
  ["INFORMATION", "INFO"],
  ["NOTICE", "INFO"],
  ["HTTP", "INFO"],
  ["WARNING", "WARNING"],
  ["SEVERE", "ERROR"],
  ["ALERT", "CRITICAL"],
  ["EMERG", "CRITICAL"],
  ["EMERGENCY", "CRITICAL"],
  ["PANIC", "CRITICAL"],
  ["DPANIC", "CRITICAL"],
]);

/**
 * The level a name gives, any case: parseLevel's names (TRACE, DEBUG, INFO,
 * WARN, WARNING, ERR, ERROR, CRIT, CRITICAL, FATAL) and FINE/FINER/FINEST,
 * VERBOSE, SILLY -> DEBUG; INFORMATION, NOTICE, HTTP -> INFO; SEVERE ->
 * ERROR; ALERT, EMERG, EMERGENCY, PANIC, DPANIC -> CRITICAL.
 */
export function levelFromName(name: string): Level | undefined {
  return parseLevel(name) ?? EXTRA.get(name.trim().toUpperCase());
}

/** Letters in a key of lettersKey: 27^11 stays below 2^53. */
const MAX_KEY_LETTERS = 11;

/**
 * The ASCII letters text[start, stop) as one number, case folded: each letter
 * a digit 1..26 in base 27. Letters only, at most MAX_KEY_LETTERS of them.
 */
function lettersKey(text: string, start: number, stop: number): number {
  let key = 0;
  for (let i = start; i < stop; i++) key = key * 27 + ((text.charCodeAt(i) | 0x20) - 0x60);
  return key;
}

const NAME_KEYS: ReadonlyMap<number, Level> = new Map(
  [...LEVEL_NAMES, ...EXTRA.keys()].map((name) => [
    lettersKey(name, 0, name.length),
    levelFromName(name) as Level,
  ]),
);

/**
 * levelFromName(text.slice(start, stop)) for a run of ASCII letters, read in
 * place: the names are letters only, so a run of letters names a level when
 * its case-folded letters are one of them.
 */
export function levelOfLetters(text: string, start: number, stop: number): Level | undefined {
  if (stop - start > MAX_KEY_LETTERS) return levelFromName(text.slice(start, stop));
  return NAME_KEYS.get(lettersKey(text, start, stop));
}

/**
 * pino's and bunyan's numbers: 10 trace and 20 debug -> DEBUG, 30 info,
 * 40 warn -> WARNING, 50 error, 60 fatal -> CRITICAL; a number between two
 * of them takes the lower one, below 10 is DEBUG, above 60 CRITICAL.
 */
export function levelFromPinoNumber(value: number): Level | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (value >= 60) return "CRITICAL";
  if (value >= 50) return "ERROR";
  if (value >= 40) return "WARNING";
  if (value >= 30) return "INFO";
  return "DEBUG";
}

/** Syslog severities 0..7 (RFC 5424 table 2) as levels. */
const SYSLOG_LEVELS: readonly Level[] = [
  "CRITICAL", // 0 emerg
  "CRITICAL", // 1 alert
  "CRITICAL", // 2 crit
  "ERROR", // 3 err
  "WARNING", // 4 warning
  "INFO", // 5 notice
  "INFO", // 6 info
  "DEBUG", // 7 debug
];

/**
 * A syslog severity 0..7: emerg, alert and crit -> CRITICAL, err -> ERROR,
 * warning -> WARNING, notice and info -> INFO, debug -> DEBUG; any other
 * number DEBUG.
 */
export function levelOfSyslogSeverity(severity: number): Level {
  return SYSLOG_LEVELS[severity] ?? "DEBUG";
}

/** A syslog or journald priority 0..7 (a number or a string of one digit). */
export function levelFromSyslogPriority(value: unknown): Level | undefined {
  const n = typeof value === "string" && /^[0-7]$/.test(value) ? Number(value) : value;
  return typeof n === "number" && Number.isInteger(n) ? SYSLOG_LEVELS[n] : undefined;
}

/**
 * A level written as text, a logfmt value or a regex group: a name
 * (levelFromName), or pino's and bunyan's number in decimal digits
 * (`level=50` is ERROR).
 */
export function levelFromText(value: unknown): Level | undefined {
  if (typeof value === "string" && /^[0-9]{1,6}$/.test(value)) {
    return levelFromPinoNumber(Number(value));
  }
  return levelFromValue(value);
}

/** A level field's value: a name (levelFromName) or a pino/bunyan number. */
export function levelFromValue(value: unknown): Level | undefined {
  if (typeof value === "string") return levelFromName(value);
  if (typeof value === "number") return levelFromPinoNumber(value);
  return undefined;
}
