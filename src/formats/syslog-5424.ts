import { DEFAULT_JSON_LIMITS } from "../wire/json-scan.js";
import type { SyslogFields } from "./syslog.js";

/** After the PRI: version 1, then a NILVALUE or a date. Anything else is read as RFC 3164. */
const RFC5424_START = /^1 (?:- |\d{4}-)/;

const NIL = "-";

/** The value of the `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days in a month (1..12) of the proleptic Gregorian calendar. */
export function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `text[index]` is `char` (one character). */
function charIs(text: string, index: number, char: string): boolean {
  return text[index] === char;
}

/** True for `Z`, or `+hh:mm` / `-hh:mm` with hours up to 23 and minutes up to 59, ending the text. */
function isOffset(text: string, i: number): boolean {
  if (charIs(text, i, "Z")) return i + 1 === text.length;
  if (!(charIs(text, i, "+") || charIs(text, i, "-")) || i + 6 !== text.length) return false;
  const hours = digits(text, i + 1, 2);
  const minutes = digits(text, i + 4, 2);
  return charIs(text, i + 3, ":") && hours >= 0 && hours <= 23 && minutes >= 0 && minutes <= 59;
}

/**
 * True for an RFC 5424 TIMESTAMP: RFC 3339 with an upper-case `T` and `Z`,
 * at most 6 fraction digits, a real calendar date, hours 00-23, minutes
 * 00-59, seconds 00-60 (a leap second) and an offset up to 23:59.
 */
export function isRfc3339(text: string): boolean {
  if (text.length < 20) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (!(charIs(text, 4, "-") && charIs(text, 7, "-") && charIs(text, 10, "T"))) return false;
  if (!(charIs(text, 13, ":") && charIs(text, 16, ":"))) return false;
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  let i = 19;
  if (charIs(text, i, ".")) {
    let end = i + 1;
    while (end < text.length && digits(text, end, 1) >= 0) end++;
    if (end === i + 1 || end - i - 1 > 6) return false;
    i = end;
  }
  return isOffset(text, i);
}

export function looksLike5424(text: string): boolean {
  return RFC5424_START.test(text);
}

/** Printable US-ASCII, no space (RFC 5424 PRINTUSASCII). */
function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 33 || code > 126) return false;
  }
  return true;
}

/** The header field starting at `at` and the index after the space that ends it. */
function headerField(text: string, at: number): [string | undefined, number] | undefined {
  const space = text.indexOf(" ", at);
  if (space <= at) return undefined;
  const value = text.slice(at, space);
  if (!isPrintable(value)) return undefined;
  return [value === NIL ? undefined : value, space + 1];
}

/** An SD-NAME (SD-ID or PARAM-NAME): printable US-ASCII except `=`, space, `]`, `"`. */
function sdName(text: string, at: number): [string, number] | undefined {
  let end = at;
  for (;;) {
    const code = text.charCodeAt(end);
    if (!(code >= 33 && code <= 126) || code === 0x3d || code === 0x5d || code === 0x22) break;
    end++;
  }
  return end === at ? undefined : [text.slice(at, end), end];
}

/** A PARAM-VALUE from after its opening quote: `\"`, `\\` and `\]` decoded, other `\` kept. */
function paramValue(text: string, at: number): [string, number] | undefined {
  let out = "";
  let run = at;
  let i = at;
  while (i < text.length) {
    const char = text[i];
    if (char === '"') return [out + text.slice(run, i), i + 1];
    if (char === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\" || text[i + 1] === "]")) {
      out += text.slice(run, i);
      run = i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return undefined;
}

type Params = Record<string, string | string[]>;

function addParam(params: Params, name: string, value: string): void {
  const held = params[name];
  if (held === undefined) params[name] = value;
  else if (typeof held === "string") params[name] = [held, value];
  else held.push(value);
}

/** Values the structured data may still hold: each SD-ELEMENT and each param takes one. */
interface Budget {
  left: number;
}

/** Past the budget: the message holds more fields than the server takes. */
const OVER_BUDGET = -1;

/**
 * One `[SD-ID *(SP PARAM-NAME="PARAM-VALUE")]` into `sd`; the index after
 * `]`, undefined when it does not parse, OVER_BUDGET past the budget.
 */
function sdElement(
  text: string,
  at: number,
  sd: Record<string, Params>,
  budget: Budget,
): number | undefined {
  const id = sdName(text, at + 1);
  if (id === undefined) return undefined;
  if (--budget.left < 0) return OVER_BUDGET;
  let i = id[1];
  sd[id[0]] ??= Object.create(null) as Params;
  const params = sd[id[0]] as Params;
  while (text[i] === " ") {
    const name = sdName(text, i + 1);
    if (name === undefined || text[name[1]] !== "=" || text[name[1] + 1] !== '"') return undefined;
    const value = paramValue(text, name[1] + 2);
    if (value === undefined) return undefined;
    if (--budget.left < 0) return OVER_BUDGET;
    addParam(params, name[0], value[0]);
    i = value[1];
  }
  return text[i] === "]" ? i + 1 : undefined;
}

/**
 * STRUCTURED-DATA from `at` as {SD-ID: {PARAM-NAME: value}}: a repeated
 * PARAM-NAME gives an array of its values in order, a repeated SD-ID adds to
 * the same object. Undefined when it does not parse; `too-many-fields` as
 * soon as it holds more than `maxFields` SD-ELEMENTs and params together.
 */
export function parseStructuredData(
  text: string,
  at: number,
  maxFields: number = DEFAULT_JSON_LIMITS.maxFields,
): [Record<string, Params>, number] | "too-many-fields" | undefined {
  const sd = Object.create(null) as Record<string, Params>;
  const budget: Budget = { left: maxFields };
  let i = at;
  do {
    const end = sdElement(text, i, sd, budget);
    if (end === OVER_BUDGET) return "too-many-fields";
    if (end === undefined) return undefined;
    i = end;
  } while (text[i] === "[");
  return [sd, i];
}

/**
 * The text after the PRI of an RFC 5424 message: `1 TIMESTAMP HOSTNAME
 * APP-NAME PROCID MSGID STRUCTURED-DATA [SP MSG]`. Undefined when the header
 * does not follow that grammar.
 */
export function parse5424(
  text: string,
  maxFields: number = DEFAULT_JSON_LIMITS.maxFields,
): SyslogFields | "too-many-fields" | undefined {
  const fields: (string | undefined)[] = [];
  let at = 2;
  for (let n = 0; n < 5; n++) {
    const field = headerField(text, at);
    if (field === undefined) return undefined;
    fields.push(field[0]);
    at = field[1];
  }
  const [timestamp, host, appName, procId, msgId] = fields;
  if (timestamp !== undefined && !isRfc3339(timestamp)) return undefined;
  let structuredData: Record<string, Params> | undefined;
  if (text[at] === NIL) {
    at++;
  } else {
    const sd = parseStructuredData(text, at, maxFields);
    if (sd === undefined || sd === "too-many-fields") return sd;
    [structuredData, at] = sd;
  }
  if (at < text.length && text[at] !== " ") return undefined;
  const message = text.slice(at + 1);
  return { timestamp, host, appName, procId, msgId, structuredData, message };
}
