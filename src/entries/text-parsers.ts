/**
 * The parsers of text lines (`--parse`): `auto` reads a leading timestamp
 * and a level word and keeps the line as the message; `logfmt` and `regex`
 * take named fields. A line `logfmt` or `regex` cannot read is read by
 * `auto` instead.
 */
import type { Level } from "../client/levels.js";
import { InvalidOptionError } from "../foundation/errors.js";
import { levelFromText } from "./level-names.js";
import { levelWord } from "./level-word.js";
import { parseLogfmt } from "./logfmt.js";
import { fromNamedValues, GENERIC_ROLES, type ParsedEntry } from "./parsed.js";
import {
  accessLogTimestamp,
  type FoundTime,
  leadingTimestamp,
  type TimeContext,
} from "./timestamp.js";

/** How text lines are parsed; `none` is the caller's: the line as it is. */
export type TextParse =
  | { readonly kind: "none" }
  | { readonly kind: "auto" }
  | { readonly kind: "logfmt" }
  | { readonly kind: "regex"; readonly regex: RegExp };

/** What `auto` finds in a line: its instant and its level, each when found. */
export interface LineTimeAndLevel {
  readonly ms: number | undefined;
  readonly level: Level | undefined;
}

/**
 * True when a timestamp may start the line: a digit, `[`, or a letter that
 * starts a month name (A, D, F, J, M, N, O, S in either case).
 */
function mayStartTime(code: number): boolean {
  if (code >= 0x30 && code <= 0x39) return true;
  if (code === 0x5b) return true;
  switch (code | 0x20) {
    case 0x61: // a
    case 0x64: // d
    case 0x66: // f
    case 0x6a: // j
    case 0x6d: // m
    case 0x6e: // n
    case 0x6f: // o
    case 0x73: // s
      return true;
    default:
      return false;
  }
}

/** True for a first character an access log line starts with (an address or host name). */
function mayStartAccessLog(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}

/**
 * `auto`: a leading timestamp (timestamp.ts), else the bracketed time of an
 * access log line; then a level word among the first words after it
 * (level-word.ts).
 */
export function autoTimeAndLevel(line: string, context: TimeContext): LineTimeAndLevel {
  const first = line.charCodeAt(0);
  let found: FoundTime | undefined;
  if (mayStartTime(first)) found = leadingTimestamp(line, context);
  if (found === undefined && mayStartAccessLog(first)) found = accessLogTimestamp(line, context);
  const start = found?.end ?? 0;
  return { ms: found?.ms, level: levelWord(line, start) };
}

/**
 * `logfmt`: the pairs of the line, fields by GENERIC_ROLES (parsed.ts);
 * undefined when the line holds no `key=value` pair.
 */
export function logfmtEntry(line: string, context: TimeContext): ParsedEntry | undefined {
  const pairs = parseLogfmt(line);
  return pairs === undefined
    ? undefined
    : fromNamedValues(pairs, GENERIC_ROLES, context, levelFromText);
}

/**
 * `regex`: the named groups of the first match, fields by GENERIC_ROLES
 * (`timestamp`, `level`, `message`, ...; any other name goes to metadata);
 * groups that did not take part are left out. Undefined when it does not match.
 */
export function regexEntry(
  line: string,
  regex: RegExp,
  context: TimeContext,
): ParsedEntry | undefined {
  const groups = regex.exec(line)?.groups;
  if (groups === undefined) return undefined;
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(groups))
    if (value !== undefined) values.set(name, value);
  return fromNamedValues(values, GENERIC_ROLES, context, levelFromText);
}

/**
 * The regex of `--parse regex:PATTERN`; throws an InvalidOptionError naming
 * what is wrong when the pattern does not compile or has no named group.
 */
export function compileLineRegex(pattern: string): RegExp {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new InvalidOptionError(`regex: ${why}`);
  }
  if (!/\(\?<[A-Za-z_$][\w$]*>/.test(pattern)) {
    throw new InvalidOptionError("regex: the pattern has no named group, e.g. (?<message>.*)");
  }
  return regex;
}
