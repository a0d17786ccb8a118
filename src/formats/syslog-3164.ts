import type { SyslogFields } from "./syslog.js";
import { daysIn, isRfc3339 } from "./syslog-5424.js";
import { isoTime } from "./text.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** RFC 3164 TIMESTAMP and the space after it: "Mmm dd hh:mm:ss ", the day space-padded. */
const BSD_TIMESTAMP =
  /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ 0-3]\d) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?: |$)/;

/** TAG, an optional `[pid]`, then `:` and a space (or the end): "sshd[42]: ". */
const TAG = /^([^\s[\]:]{1,48})(?:\[([^\s\]]{1,128})\])?:(?: |$)/;

/** The UTC year and month (0..11) of the last receive time asked about. */
let received = { ms: Number.NaN, year: 0, month: 0 };

/**
 * The year of a timestamp that has none: the receive time's UTC year, the
 * year before for a December timestamp received in January, the year after
 * for a January timestamp received in December.
 */
function yearFor(month: number, receivedAtMs: number): number {
  if (receivedAtMs !== received.ms) {
    const date = new Date(receivedAtMs);
    received = { ms: receivedAtMs, year: date.getUTCFullYear(), month: date.getUTCMonth() };
  }
  if (month === 11 && received.month === 0) return received.year - 1;
  if (month === 0 && received.month === 11) return received.year + 1;
  return received.year;
}

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "Mmm dd hh:mm:ss", read as UTC, to RFC 3339; undefined for a day the month lacks. */
function bsdTime(match: RegExpExecArray, receivedAtMs: number): string | undefined {
  const month = MONTHS.indexOf(match[1] ?? "");
  const day = Number(match[2]);
  const year = yearFor(month, receivedAtMs);
  if (year < 1000 || year > 9999) return bsdTimeByDate(match, year, month, day);
  if (day < 1 || day > daysIn(year, month + 1)) return undefined;
  const time = `${match[3]}:${match[4]}:${match[5]}`;
  return `${year}-${twoDigits(month + 1)}-${twoDigits(day)}T${time}.000Z`;
}

/** bsdTime through Date, for a year that does not have four digits. */
function bsdTimeByDate(
  match: RegExpExecArray,
  year: number,
  month: number,
  day: number,
): string | undefined {
  const ms = Date.UTC(year, month, day, Number(match[3]), Number(match[4]), Number(match[5]));
  const date = new Date(ms);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  return isoTime(ms);
}

/** A leading timestamp (RFC 3164's, or RFC 3339 as some senders write) and the text after it. */
function readTimestamp(text: string, receivedAtMs: number): [string, string] | undefined {
  const bsd = BSD_TIMESTAMP.exec(text);
  if (bsd !== null) {
    const time = bsdTime(bsd, receivedAtMs);
    return time === undefined ? undefined : [time, text.slice(bsd[0].length)];
  }
  const space = text.indexOf(" ");
  const token = space < 0 ? text : text.slice(0, space);
  if (!isRfc3339(token)) return undefined;
  return [token, space < 0 ? "" : text.slice(space + 1)];
}

/**
 * The text after the PRI of an RFC 3164 message: `[TIMESTAMP SP HOSTNAME SP]
 * [TAG[\[pid\]]: ]MSG`. Lenient, as RFC 3164 asks of a receiver: it always
 * gives fields. The HOSTNAME is read only after a timestamp, and only when
 * the word there is not itself a TAG (as local senders write
 * "Mmm dd hh:mm:ss tag[pid]: msg"); a word followed by nothing is the message.
 */
export function parse3164(text: string, receivedAtMs: number): SyslogFields {
  const timed = readTimestamp(text, receivedAtMs);
  let rest = timed === undefined ? text : timed[1];
  let host: string | undefined;
  if (timed !== undefined && !TAG.test(rest)) {
    const space = rest.indexOf(" ");
    if (space > 0) {
      host = rest.slice(0, space);
      rest = rest.slice(space + 1);
    }
  }
  const tag = TAG.exec(rest);
  return {
    timestamp: timed?.[0],
    host,
    appName: tag?.[1],
    procId: tag?.[2],
    msgId: undefined,
    structuredData: undefined,
    message: tag === null ? rest : rest.slice(tag[0].length),
  };
}
