/**
 * The two timestamp forms that spell the month: syslog's `Mmm dd HH:MM:SS`
 * (BSD syslog, RFC 3164: no year, no zone) and the common log format of
 * Apache and nginx, `10/Oct/2000:13:55:36 -0700`.
 */
import {
  digitRun,
  digits,
  type FoundTime,
  fractionMs,
  instant,
  instantOfWall,
  isWordChar,
  monthAt,
  offsetAt,
  type TimeContext,
  wallMsOf,
} from "./calendar.js";

const SPACE = 0x20;
const COLON = 0x3a;
const SLASH = 0x2f;

/**
 * The UTC year of the last instant asked about, where that year starts and
 * ends, and where each of its months starts (January's at 0).
 */
let year = { value: 1970, startMs: 0, endMs: 0, monthStarts: [] as number[] };

/** The UTC year of `ms`; a run of instants in one year costs one Date. */
function utcYear(ms: number): number {
  if (ms >= year.startMs && ms < year.endMs) return year.value;
  const value = new Date(ms).getUTCFullYear();
  const monthStarts = Array.from({ length: 12 }, (_, month) => Date.UTC(value, month, 1));
  year = { value, startMs: Date.UTC(value, 0, 1), endMs: Date.UTC(value + 1, 0, 1), monthStarts };
  return value;
}

/** The UTC month (1 to 12) of `ms`, in the year utcYear() was last asked about for it. */
function utcMonth(ms: number): number {
  const starts = year.monthStarts;
  let month = 1;
  while (month < 12 && ms >= (starts[month] as number)) month++;
  return month;
}

/** `HH:MM:SS` at `at`: the three fields, or undefined. */
function clockAt(text: string, at: number): [number, number, number] | undefined {
  if (text.charCodeAt(at + 2) !== COLON || text.charCodeAt(at + 5) !== COLON) return undefined;
  const hour = digits(text, at, 2);
  const minute = digits(text, at + 3, 2);
  const second = digits(text, at + 6, 2);
  return hour < 0 || minute < 0 || second < 0 ? undefined : [hour, minute, second];
}

/** A fraction `.fff` at `at`: its length with the dot, and its milliseconds. */
function fractionAt(text: string, at: number): [number, number] {
  if (text.charCodeAt(at) !== 0x2e && text.charCodeAt(at) !== 0x2c) return [0, 0];
  const count = digitRun(text, at + 1);
  return count === 0 ? [0, 0] : [count + 1, fractionMs(text, at + 1, count)];
}

/**
 * Syslog's `Mmm dd HH:MM:SS[.fff]` at `at` (the day may be space-padded:
 * `Nov  4`). It has no year: the year taken is the one that puts the
 * instant nearest to now, so a December line read in January stays in the
 * old year. Read in the context's zone.
 */
export function syslogTime(text: string, at: number, context: TimeContext): FoundTime | undefined {
  if (text.charCodeAt(at + 3) !== SPACE) return undefined;
  const month = monthAt(text, at);
  if (month === 0) return undefined;
  let i = at + 4;
  if (text.charCodeAt(i) === SPACE) i++;
  const dayDigits = Math.min(digitRun(text, i), 3);
  if (dayDigits < 1 || dayDigits > 2) return undefined;
  const day = digits(text, i, dayDigits);
  i += dayDigits;
  if (text.charCodeAt(i) !== SPACE) return undefined;
  const clock = clockAt(text, i + 1);
  if (clock === undefined) return undefined;
  const [fractionLength, ms] = fractionAt(text, i + 9);
  const end = i + 9 + fractionLength;
  if (isWordChar(text.charCodeAt(end))) return undefined;
  const [hour, minute, second] = clock;
  const now = context.now();
  const thisYear = utcYear(now);
  // The year is guessed from the months, and a reading of it within
  // SURELY_NEAREST_MS of now is the nearest of the three: the others are a
  // year or two away, and a zone moves a reading by about a day at most.
  // Then only that reading is taken in the zone.
  const nowMonth = utcMonth(now);
  const guess =
    month - nowMonth > 6 ? thisYear - 1 : nowMonth - month > 6 ? thisYear + 1 : thisYear;
  const wall = wallMsOf(guess, month, day, hour, minute, second, ms);
  if (Math.abs(wall - now) < SURELY_NEAREST_MS) {
    const found = instantOfWall(wall, undefined, context.zone);
    return Number.isNaN(found) ? undefined : { ms: found, end };
  }
  let best = Number.NaN;
  for (const year of [thisYear - 1, thisYear, thisYear + 1]) {
    const fields = { year, month, day, hour, minute, second, ms };
    const candidate = instant(fields, undefined, context.zone);
    if (Number.isNaN(best) || Math.abs(candidate - now) < Math.abs(best - now)) best = candidate;
  }
  return Number.isNaN(best) ? undefined : { ms: best, end };
}

/** 150 days: of the three years a syslog reading may be in, one this near now is the nearest. */
const SURELY_NEAREST_MS = 150 * 86_400_000;

/**
 * The common log format's `dd/Mmm/yyyy:HH:MM:SS[ ±HHMM]` at `at`, as in
 * `[10/Oct/2000:13:55:36 -0700]`; without the offset, in the context's zone.
 */
export function commonLogTime(
  text: string,
  at: number,
  context: TimeContext,
): FoundTime | undefined {
  const day = digits(text, at, 2);
  if (day < 0 || text.charCodeAt(at + 2) !== SLASH || text.charCodeAt(at + 6) !== SLASH) {
    return undefined;
  }
  const month = monthAt(text, at + 3);
  const year = digits(text, at + 7, 4);
  if (month === 0 || year < 0 || text.charCodeAt(at + 11) !== COLON) return undefined;
  const clock = clockAt(text, at + 12);
  if (clock === undefined) return undefined;
  const [fractionLength, ms] = fractionAt(text, at + 20);
  let end = at + 20 + fractionLength;
  let offset: number | undefined;
  if (text.charCodeAt(end) === SPACE) {
    const found = offsetAt(text, end + 1, false);
    if (found) {
      offset = found.minutes;
      end = found.end;
    }
  }
  if (isWordChar(text.charCodeAt(end))) return undefined;
  const [hour, minute, second] = clock;
  const result = instant({ year, month, day, hour, minute, second, ms }, offset, context.zone);
  return Number.isNaN(result) ? undefined : { ms: result, end };
}
