/**
 * The small pieces every timestamp form shares: reading fixed-width digits,
 * month names, checking fields against the calendar, and the zone a reading
 * without an offset is taken in.
 */
import type { Zone } from "./zone.js";

/** What reading a timestamp needs besides its text. */
export interface TimeContext {
  /** The zone of readings that carry no offset. */
  readonly zone: Zone;
  /** Wall clock, ms since the epoch: read only for forms without a year (syslog). */
  readonly now: () => number;
}

/** A timestamp found in a text: its instant and the index just past it. */
export interface FoundTime {
  readonly ms: number;
  readonly end: number;
}

/** Latest and earliest instants a Date holds. */
const MAX_DATE_MS = 8.64e15;

/** The character code of `0`, from which digits' values are counted. */
export const ZERO = 0x30;

/** The value of `count` ASCII digits at `at`; -1 when one of them is not a digit. */
export function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** The value of the two ASCII digits at `at`; -1 when one of them is not a digit. */
export function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - ZERO;
  const low = text.charCodeAt(at + 1) - ZERO;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

/** The number of consecutive ASCII digits from `at`. */
export function digitRun(text: string, at: number): number {
  let i = at;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < ZERO || code > ZERO + 9) break;
  }
  return i - at;
}

export function isDigit(code: number): boolean {
  return code >= ZERO && code <= ZERO + 9;
}

/** True for an ASCII letter or digit: a timestamp must not run into one. */
export function isWordChar(code: number): boolean {
  return isDigit(code) || ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a);
}

const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** Three character codes, lower-cased, as one number. */
function key3(a: number, b: number, c: number): number {
  return ((a | 0x20) << 16) | ((b | 0x20) << 8) | (c | 0x20);
}

const MONTH_KEYS: ReadonlyMap<number, number> = new Map(
  MONTH_NAMES.map((name, i) => [
    key3(name.charCodeAt(0), name.charCodeAt(1), name.charCodeAt(2)),
    i + 1,
  ]),
);

/** 1..12 for the three-letter English month name at `at` (`Jan`, `jan`, `JAN`); 0 for none. */
export function monthAt(text: string, at: number): number {
  const key = key3(text.charCodeAt(at), text.charCodeAt(at + 1), text.charCodeAt(at + 2));
  return MONTH_KEYS.get(key) ?? 0;
}

/** Month names, for the formatting side of tests and docs. */
export const MONTHS: readonly string[] = MONTH_NAMES;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Calendar fields of a reading; `ms` is already cut to milliseconds. */
export interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly ms: number;
}

/**
 * The wall reading of `f` as if in UTC; NaN when a field is out of range.
 * Years run from 1000 to 9999, seconds to 60 (a leap second rolls over).
 */
export function wallMs(f: Fields): number {
  return wallMsOf(f.year, f.month, f.day, f.hour, f.minute, f.second, f.ms);
}

/** wallMs() of fields given one by one. */
export function wallMsOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  if (second > 60) return Number.NaN;
  return minuteWallMs(year, month, day, hour, minute) + second * 1000 + ms;
}

/**
 * The last minute read, kept: the lines of a log mostly share theirs, and
 * checking the calendar and Date.UTC then cost one comparison a line.
 */
const lastMinute = { year: -1, month: -1, day: -1, hour: -1, minute: -1, wallMs: Number.NaN };

/** wallMs() of the start of a minute; NaN when a field is out of range. */
function minuteWallMs(year: number, month: number, day: number, hour: number, minute: number) {
  const last = lastMinute;
  if (
    minute === last.minute &&
    hour === last.hour &&
    day === last.day &&
    month === last.month &&
    year === last.year
  ) {
    return last.wallMs;
  }
  let ms = Number.NaN;
  if (year >= 1000 && year <= 9999 && month >= 1 && month <= 12 && hour <= 23 && minute <= 59) {
    if (day >= 1 && day <= daysIn(year, month)) ms = Date.UTC(year, month - 1, day, hour, minute);
  }
  last.year = year;
  last.month = month;
  last.day = day;
  last.hour = hour;
  last.minute = minute;
  last.wallMs = ms;
  return ms;
}

/** The instant of `f`, with an offset in minutes east of UTC or, when none, in the zone. */
export function instant(f: Fields, offsetMinutes: number | undefined, zone: Zone): number {
  return instantOfWall(wallMs(f), offsetMinutes, zone);
}

/** instant() of a wall reading from wallMs() or wallMsOf(). */
export function instantOfWall(wall: number, offsetMinutes: number | undefined, zone: Zone): number {
  if (Number.isNaN(wall)) return wall;
  const ms = offsetMinutes === undefined ? zone.utcMs(wall) : wall - offsetMinutes * 60_000;
  return Math.abs(ms) <= MAX_DATE_MS ? ms : Number.NaN;
}

/**
 * Milliseconds of a fraction of a second whose digits start at `at` and run
 * `count` long: the first three digits, the rest cut off.
 */
export function fractionMs(text: string, at: number, count: number): number {
  if (count <= 0) return 0;
  if (count === 3) return digits(text, at, 3);
  const taken = Math.min(count, 3);
  return digits(text, at, taken) * 10 ** (3 - taken);
}

/**
 * A numeric offset at `at`: `+HH:MM`, `+HHMM` or, when `shortOk`, `+HH`.
 * Returns minutes east of UTC and the index past it, or undefined.
 */
export function offsetAt(
  text: string,
  at: number,
  shortOk: boolean,
): { readonly minutes: number; readonly end: number } | undefined {
  const sign = text.charCodeAt(at);
  if (sign !== 0x2b && sign !== 0x2d && sign !== 0x2212) return undefined;
  const hours = digits(text, at + 1, 2);
  if (hours < 0 || hours > 23) return undefined;
  let minutes = 0;
  let end = at + 3;
  if (text.charCodeAt(end) === 0x3a) {
    minutes = digits(text, end + 1, 2);
    end += 3;
  } else if (isDigit(text.charCodeAt(end))) {
    minutes = digits(text, end, 2);
    end += 2;
  } else if (!shortOk) return undefined;
  if (minutes < 0 || minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  return { minutes: sign === 0x2b ? total : -total, end };
}
