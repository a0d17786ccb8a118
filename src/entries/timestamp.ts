/**
 * Timestamps at the start of a text line, and in the time fields of JSON
 * loggers. The forms:
 *
 * - RFC 3339 / ISO 8601 `2026-11-24T10:30:00.123Z`, with `T`, `t` or a space
 *   between date and time, `-` or `/` in the date, seconds and a fraction
 *   (`.` or `,`) optional, then `Z`, `+HH:MM`, `+HHMM`, `+HH`, or a space and
 *   `+HHMM`/`+HH:MM`, or nothing;
 * - syslog `Nov 24 10:30:00` (month-name-time.ts);
 * - the common log format `[24/Nov/2026:10:30:00 +0100]` (month-name-time.ts);
 * - epoch seconds (10 digits) or milliseconds (13 digits), a fraction optional.
 *
 * Any of them may sit in square brackets. A reading with an offset is taken
 * at that offset; one without is taken in the context's zone. Fractions
 * beyond the millisecond are cut. A timestamp must end the text or be
 * followed by something other than a letter or digit. Nothing here throws.
 */
import {
  digitRun,
  type FoundTime,
  fractionMs,
  instantOfWall,
  isDigit,
  isWordChar,
  offsetAt,
  type TimeContext,
  twoDigits,
  wallMsOf,
  ZERO,
} from "./calendar.js";
import { commonLogTime, syslogTime } from "./month-name-time.js";

export type { FoundTime, TimeContext } from "./calendar.js";
export { IsoFormatter } from "./iso-formatter.js";

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const SPACE = 0x20;
const MAX_DATE_MS = 8.64e15;

/**
 * The wall time of the minute an ISO 8601 reading at `at` names
 * (`YYYY-MM-DDTHH:MM`, `-` or `/` between the date's fields, `T`, `t` or a
 * space before the time); NaN when there is none there or a field is out
 * of range.
 */
export function isoMinuteWall(text: string, at: number): number {
  const century = twoDigits(text, at);
  const separator = text.charCodeAt(at + 4);
  if (century < 0 || (separator !== 0x2d && separator !== 0x2f)) return Number.NaN;
  const yearLow = twoDigits(text, at + 2);
  if (yearLow < 0 || text.charCodeAt(at + 7) !== separator) return Number.NaN;
  const month = twoDigits(text, at + 5);
  const day = twoDigits(text, at + 8);
  const between = text.charCodeAt(at + 10);
  if (month < 0 || day < 0 || (between !== 0x54 && between !== 0x74 && between !== SPACE)) {
    return Number.NaN;
  }
  const hour = twoDigits(text, at + 11);
  const minute = twoDigits(text, at + 14);
  if (hour < 0 || minute < 0 || text.charCodeAt(at + 13) !== 0x3a) return Number.NaN;
  return wallMsOf(century * 100 + yearLow, month, day, hour, minute, 0, 0);
}

/**
 * The numeric offset after an ISO time at `at`: `+HH:MM`, `+HHMM` or
 * `+HH`, or a space and `+HH:MM` or `+HHMM`; undefined when there is none.
 */
export function numericOffsetAt(
  text: string,
  at: number,
): { readonly minutes: number; readonly end: number } | undefined {
  const direct = offsetAt(text, at, true);
  if (direct !== undefined || text.charCodeAt(at) !== SPACE) return direct;
  return offsetAt(text, at + 1, false);
}

/** What follows the minute of an ISO 8601 reading, as isoRestAt reads it. */
export interface IsoRest {
  /** 0 when the reading has no seconds. */
  second: number;
  ms: number;
  /** Minutes east of UTC: 0 for `Z`; undefined when the reading gives none. */
  offset: number | undefined;
  /** Just past the reading. */
  end: number;
}

/**
 * Reads what follows an ISO 8601 minute from `at` into `into`: `:SS` and
 * a fraction (`.` or `,`, milliseconds read digit by digit), both
 * optional, then `Z` or a numeric offset (numericOffsetAt), optional.
 * False when the seconds are not two digits of at most 60. Allocates
 * nothing but a numeric offset's object.
 */
export function isoRestAt(text: string, at: number, into: IsoRest): boolean {
  let i = at;
  let second = 0;
  let ms = 0;
  if (text.charCodeAt(i) === 0x3a) {
    second = twoDigits(text, i + 1);
    if (second < 0 || second > 60) return false;
    i += 3;
    const dot = text.charCodeAt(i);
    if (dot === 0x2e || dot === 0x2c) {
      const millis = millisAt(text, i + 1);
      const count = millis >= 0 ? 3 : digitRun(text, i + 1);
      ms = millis >= 0 ? millis : fractionMs(text, i + 1, count);
      if (count > 0) i += count + 1;
    }
  }
  into.second = second;
  into.ms = ms;
  const code = text.charCodeAt(i);
  if (code === 0x5a || code === 0x7a) {
    into.offset = 0;
    into.end = i + 1;
    return true;
  }
  const zone = numericOffsetAt(text, i);
  into.offset = zone?.minutes;
  into.end = zone?.end ?? i;
  return true;
}

/**
 * The value of three digits at `at` followed by no fourth; -1 when there
 * are not exactly three. Unrolled: the milliseconds of nearly every line.
 */
function millisAt(text: string, at: number): number {
  const hundreds = text.charCodeAt(at);
  const tens = text.charCodeAt(at + 1);
  const ones = text.charCodeAt(at + 2);
  if (!(isDigit(hundreds) && isDigit(tens) && isDigit(ones)) || isDigit(text.charCodeAt(at + 3))) {
    return -1;
  }
  return (hundreds - ZERO) * 100 + (tens - ZERO) * 10 + ones - ZERO;
}

/** isoTime's reading of what follows the minute: one object for every call. */
const REST: IsoRest = { second: 0, ms: 0, offset: undefined, end: 0 };

/**
 * The date and time of an ISO 8601 reading at `at`, up to its offset: the
 * minute's wall time from isoMinuteWall, the rest from isoRestAt. The
 * common shapes allocate nothing but the result.
 */
function isoTime(text: string, at: number, context: TimeContext): FoundTime | undefined {
  const minuteWall = isoMinuteWall(text, at);
  if (Number.isNaN(minuteWall) || !isoRestAt(text, at + 16, REST)) return undefined;
  const { second, ms, offset, end } = REST;
  if (isWordChar(text.charCodeAt(end))) return undefined;
  // As wallMsOf (calendar.ts) gives it from the minute's fields.
  const result = instantOfWall(minuteWall + second * 1000 + ms, offset, context.zone);
  return Number.isNaN(result) ? undefined : { ms: result, end };
}

/** Epoch seconds (10 digits) or milliseconds (13 digits) at `at`, a fraction optional. */
function epochTime(text: string, at: number): FoundTime | undefined {
  const count = digitRun(text, at);
  if (count !== 10 && count !== 13) return undefined;
  let end = at + count;
  let fraction = 0;
  if (text.charCodeAt(end) === 0x2e) {
    const fractionDigits = digitRun(text, end + 1);
    if (fractionDigits > 0) {
      fraction = fractionMs(text, end + 1, fractionDigits);
      end += fractionDigits + 1;
    }
  }
  if (isWordChar(text.charCodeAt(end))) return undefined;
  const whole = Number(text.slice(at, at + count));
  return { ms: count === 10 ? whole * 1000 + fraction : whole, end };
}

/** A timestamp of any form starting right at `at`. */
function timeAt(text: string, at: number, context: TimeContext): FoundTime | undefined {
  const code = text.charCodeAt(at);
  if (isDigit(code)) {
    return isoTime(text, at, context) ?? epochTime(text, at) ?? commonLogTime(text, at, context);
  }
  // Month names start with an upper- or lower-case A, D, F, J, M, N, O or S.
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x73 ? syslogTime(text, at, context) : undefined;
}

/**
 * The timestamp at the very start of `text`, or one in square brackets
 * there (the bracket closing right after it); undefined when there is none.
 * `end` is the index just past it (past the closing bracket).
 */
export function leadingTimestamp(text: string, context: TimeContext): FoundTime | undefined {
  if (text.charCodeAt(0) !== OPEN_BRACKET) return timeAt(text, 0, context);
  const found = timeAt(text, 1, context);
  if (found === undefined || text.charCodeAt(found.end) !== CLOSE_BRACKET) return undefined;
  return { ms: found.ms, end: found.end + 1 };
}

/** How far into a line the bracketed time of an access log is looked for. */
const ACCESS_PREFIX_CHARS = 128;

/**
 * The bracketed common-log time of an access log line,
 * `127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326`:
 * the first ` [` followed by a digit within the first 128 characters.
 */
export function accessLogTimestamp(text: string, context: TimeContext): FoundTime | undefined {
  // The first ` [` by the engine's string search, not a loop over the characters.
  const head = text.length > ACCESS_PREFIX_CHARS ? text.slice(0, ACCESS_PREFIX_CHARS) : text;
  const i = head.indexOf(" [") + 1;
  if (i === 0 || i >= text.length - 2) return undefined;
  if (!isDigit(text.charCodeAt(i + 1))) return undefined;
  const found = commonLogTime(text, i + 1, context);
  if (found === undefined || text.charCodeAt(found.end) !== CLOSE_BRACKET) return undefined;
  return { ms: found.ms, end: found.end + 1 };
}

/**
 * A number as an epoch time, its unit told by its size: below 1e11 seconds,
 * below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
 */
export function epochNumberMs(value: number): number | undefined {
  if (!Number.isFinite(value)) return undefined;
  const size = Math.abs(value);
  const ms =
    size < 1e11 ? value * 1000 : size < 1e14 ? value : size < 1e17 ? value / 1e3 : value / 1e6;
  const whole = Math.floor(ms);
  return Math.abs(whole) <= MAX_DATE_MS ? whole : undefined;
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/**
 * The instant of a JSON logger's time field: a number (epoch, unit by size,
 * see epochNumberMs), a string of digits (the same), or a string holding
 * exactly one timestamp of the forms above. Undefined for anything else.
 */
export function timeValueMs(value: unknown, context: TimeContext): number | undefined {
  if (typeof value === "number") return epochNumberMs(value);
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (NUMERIC.test(text)) return epochNumberMs(Number(text));
  const found = leadingTimestamp(text, context);
  return found !== undefined && found.end === text.length ? found.ms : undefined;
}
