/**
 * The line pino writes most, read by one regular expression (which V8
 * compiles to native code) instead of the canonical-JSON scan
 * (canonical-json.ts): `{"level":N,"time":N,` then fields, `"hostname":S,`
 * with `"name":S,` or not, fields, and `"msg":S}` last, every string
 * printable ASCII without a backslash, every number an integer or a short
 * decimal as String(number) writes it, values nested at most two deep.
 * What the expression takes is canonical JSON but for repeated keys, which
 * a look at the keys of the fields refuses (a key met twice at any depth,
 * conservatively). A line of any other shape gets false here and is left
 * to the scan, which reads the same line to the same result.
 */

/** A string of printable ASCII (DEL included) without a quote or a backslash. */
const STRING = String.raw`"[ !#-\[\]-\x7f]*"`;
/** A number String() writes as it is: an integer of at most 15 digits, or a decimal of at most 15 digits at or above 1e-6. */
const NUMBER = String.raw`(?:-?(?=[0-9.]{3,16}(?![0-9.]))(?!0\.000000)(?:0|[1-9][0-9]*)\.[0-9]*[1-9]|0|-?[1-9][0-9]{0,14})`;
/** A key of a nested object: not an array index (none starts with a digit), not `__proto__`. */
const NESTED_KEY = String.raw`"(?![0-9]|__proto__")[ !#-\[\]-\x7f]*"`;
/** A key of a top-level field: none of the keys the roles read, nor `metadata`. */
const FIELD_KEY = String.raw`"(?![0-9]|(?:level|time|hostname|name|msg|metadata|__proto__)")[ !#-\[\]-\x7f]*"`;
/** An integer String() writes as it is. */
const INTEGER = "0|-?[1-9][0-9]{0,14}";
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;

function object(value: string): string {
  return String.raw`\{(?:${NESTED_KEY}:${value}(?:,${NESTED_KEY}:${value})*)?\}`;
}

function array(value: string): string {
  return String.raw`\[(?:${value}(?:,${value})*)?\]`;
}

const VALUE_1 = `(?:${SCALAR}|${object(SCALAR)}|${array(SCALAR)})`;
const VALUE_2 = `(?:${VALUE_1}|${object(VALUE_1)}|${array(VALUE_1)})`;
const FIELDS = `(?:${FIELD_KEY}:${VALUE_2},)*`;

/**
 * Groups: 1 level, 2 time, 3 the fields before `hostname` (each with its
 * comma), 4 hostname, 5 name (or undefined), 6 the fields after, 7 msg.
 */
const PINO_LINE = new RegExp(
  String.raw`^\{"level":(${INTEGER}),"time":(${INTEGER}),(${FIELDS}?)"hostname":(${STRING}),(?:"name":(${STRING}),)?(${FIELDS})"msg":(${STRING})\}$`,
);

const COLON = 0x3a;
/** Most keys a line is read with here; a line with more is left to the scan. */
const MAX_KEYS = 64;

const keyStarts = new Int32Array(MAX_KEYS);
const keyEnds = new Int32Array(MAX_KEYS);

/**
 * The number of keys known once the keys of `line` from `from` to `to`
 * (whole fields) are added to the `known` first ones; -1 when one of them
 * is known already.
 */
function addKeys(line: string, from: number, to: number, known: number): number {
  let count = known;
  let at = from;
  for (;;) {
    const open = line.indexOf('"', at);
    if (open < 0 || open >= to) return count;
    const close = line.indexOf('"', open + 1);
    at = close + 1;
    if (line.charCodeAt(at) !== COLON) continue;
    const length = close - open;
    for (let k = 0; k < count; k++) {
      if (
        keyEnds[k] === (keyStarts[k] as number) + length &&
        sameKey(line, keyStarts[k] as number, open, length)
      ) {
        return -1;
      }
    }
    if (count === MAX_KEYS) return -1;
    keyStarts[count] = open;
    keyEnds[count] = open + length;
    count++;
  }
}

function sameKey(line: string, a: number, b: number, length: number): boolean {
  for (let i = 1; i < length; i++) {
    if (line.charCodeAt(a + i) !== line.charCodeAt(b + i)) return false;
  }
  return true;
}

/** What a member of a pino line is to the entry: the index of its value in the role tables. */
export const NONE = 0;
export const LEVEL = 1;
export const TIME = 2;
export const MSG = 3;
export const NAME = 4;
export const HOST = 5;
export const ERR = 6;
export const METADATA = 7;

/**
 * The fields no role takes in a line of pino's common shape (see above),
 * as the line holds them, joined by commas; `starts` and `ends` get where
 * each role's value is (-1 for a role the line does not hold). undefined,
 * and nothing set, for any other line.
 */
export function readPinoShape(
  line: string,
  starts: Int32Array,
  ends: Int32Array,
): string | undefined {
  const match = PINO_LINE.exec(line);
  if (match === null) return undefined;
  const level = match[1] as string;
  const time = match[2] as string;
  const before = match[3] as string;
  const hostname = match[4] as string;
  const name = match[5];
  const after = match[6] as string;
  const msg = match[7] as string;
  const timeStart = 9 + level.length + 8;
  const beforeStart = timeStart + time.length + 1;
  const beforeEnd = beforeStart + before.length;
  const hostnameEnd = beforeEnd + 11 + hostname.length;
  const afterStart = (name === undefined ? hostnameEnd : hostnameEnd + 8 + name.length) + 1;
  const afterEnd = afterStart + after.length;
  const known = addKeys(line, beforeStart, beforeEnd, 0);
  if (known < 0 || addKeys(line, afterStart, afterEnd, known) < 0) return undefined;
  starts.fill(-1);
  setRole(starts, ends, LEVEL, 9, 9 + level.length);
  setRole(starts, ends, TIME, timeStart, timeStart + time.length);
  setRole(starts, ends, HOST, hostnameEnd - hostname.length, hostnameEnd);
  if (name !== undefined) setRole(starts, ends, NAME, hostnameEnd + 8, afterStart - 1);
  setRole(starts, ends, MSG, line.length - 1 - msg.length, line.length - 1);
  if (before === "") return line.slice(afterStart, afterEnd - 1);
  if (after === "") return line.slice(beforeStart, beforeEnd - 1);
  return `${line.slice(beforeStart, beforeEnd - 1)},${line.slice(afterStart, afterEnd - 1)}`;
}

function setRole(starts: Int32Array, ends: Int32Array, role: number, start: number, end: number) {
  starts[role] = start;
  ends[role] = end;
}
