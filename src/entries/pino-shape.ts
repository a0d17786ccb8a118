/**
 * The line pino writes most, read by one regular expression (which V8
 * compiles to native code) instead of the canonical-JSON scan
 * (canonical-json.ts): `{"level":N,"time":N,`, fields, `"hostname":S,`
 * and `"name":S,` (each there or not), fields, and `"msg":S}` last; every
 * string printable ASCII without a backslash, every number an integer or
 * a short decimal as String(number) writes it, values nested at most two
 * deep. What the expression takes is canonical JSON but for repeated
 * keys, which a look at the keys of each object refuses. A line of any
 * other shape gets undefined here and is left to the scan, which reads
 * the same line to the same result.
 */
import { CLOSE_BRACE, COLON, OPEN_BRACE, QUOTE } from "../wire/json-chars.js";

/** A string of printable ASCII (DEL included) without a quote or a backslash. */
const STRING = String.raw`"[ !#-\[\]-\x7f]*"`;
/**
 * A number String() writes as it is: an integer of at most 15 digits, or
 * a decimal of at most 15 digits at or above 1e-6. The integer is tried
 * first, as most numbers are integers: a decimal's integer part is taken
 * back when a "." follows it.
 */
const NUMBER = String.raw`(?:0|-?[1-9][0-9]{0,14}|-?(?=[0-9.]{3,16}(?![0-9.]))(?!0\.000000)(?:0|[1-9][0-9]*)\.[0-9]*[1-9])`;
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
 * comma), 4 hostname and 5 name (each undefined when absent), 6 the fields
 * after, 7 msg.
 */
const PINO_LINE = new RegExp(
  String.raw`^\{"level":(${INTEGER}),"time":(${INTEGER}),(${FIELDS}?)(?:"hostname":(${STRING}),)?(?:"name":(${STRING}),)?(${FIELDS})"msg":(${STRING})\}$`,
);

/** Most keys a line is read with here; a line with more is left to the scan. */
const MAX_KEYS = 64;
/** Deepest object the expression takes: the line, a field's object, and one in it. */
const MAX_DEPTH = 3;

const keyStarts = new Int32Array(MAX_KEYS);
const keyEnds = new Int32Array(MAX_KEYS);
/** Where the keys of each open object start among the keys known. */
const scopes = new Int32Array(MAX_DEPTH + 1);

/**
 * The number of keys known once the keys of `line` from `from` to `to`
 * (whole fields, text the expression took) are added to the `known` first
 * ones, at any depth; -1 when one of them is known already. Each string is
 * found by a search for its quotes (no string here holds one); a string
 * followed by a colon is a key.
 */
function addAnyKeys(line: string, from: number, to: number, known: number): number {
  let count = known;
  let at = from;
  for (;;) {
    const open = line.indexOf('"', at);
    if (open < 0 || open >= to) return count;
    const close = line.indexOf('"', open + 1);
    at = close + 1;
    if (line.charCodeAt(at) !== COLON) continue;
    if (count === MAX_KEYS || holdsKey(line, 0, count, open, close)) return -1;
    keyStarts[count] = open;
    keyEnds[count] = close;
    count++;
  }
}

/**
 * addAnyKeys(), where a key is compared with the keys of its own object
 * only: the number of top-level keys known, or -1 when an object holds a
 * key twice.
 */
function addObjectKeys(line: string, from: number, to: number, known: number): number {
  let count = known;
  let depth = 0;
  scopes[0] = 0;
  for (let at = from; at < to; ) {
    const code = line.charCodeAt(at);
    if (code === QUOTE) {
      const close = line.indexOf('"', at + 1);
      if (line.charCodeAt(close + 1) === COLON) {
        if (count === MAX_KEYS || holdsKey(line, scopes[depth] as number, count, at, close)) {
          return -1;
        }
        keyStarts[count] = at;
        keyEnds[count] = close;
        count++;
      }
      at = close + 1;
    } else {
      if (code === OPEN_BRACE) scopes[++depth] = count;
      else if (code === CLOSE_BRACE) count = scopes[depth--] as number;
      at++;
    }
  }
  return count;
}

/**
 * True when no object in the fields of `line` from `from` to `to` and
 * from `from2` to `to2` (the line's own fields, in two runs) holds a key
 * twice. The keys are compared all together first, which is faster; only
 * when two are the same is each compared with its own object's.
 */
function keysUnique(line: string, from: number, to: number, from2: number, to2: number): boolean {
  const any = addAnyKeys(line, from, to, 0);
  if (any >= 0 && addAnyKeys(line, from2, to2, any) >= 0) return true;
  const own = addObjectKeys(line, from, to, 0);
  return own >= 0 && addObjectKeys(line, from2, to2, own) >= 0;
}

/** True when one of the keys from `first` to `count` is the key from `open` to `close`. */
function holdsKey(
  line: string,
  first: number,
  count: number,
  open: number,
  close: number,
): boolean {
  const length = close - open;
  for (let k = first; k < count; k++) {
    const start = keyStarts[k] as number;
    if (keyEnds[k] === start + length && sameKey(line, start, open, length)) return true;
  }
  return false;
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
  const hostname = match[4];
  const name = match[5];
  const after = match[6] as string;
  const msg = match[7] as string;
  const timeStart = 9 + level.length + 8;
  const beforeStart = timeStart + time.length + 1;
  const beforeEnd = beforeStart + before.length;
  const hostnameStart = beforeEnd + 11;
  const nameStart = (hostname === undefined ? beforeEnd : hostnameStart + hostname.length + 1) + 7;
  const afterStart = name === undefined ? nameStart - 7 : nameStart + name.length + 1;
  const afterEnd = afterStart + after.length;
  if (!keysUnique(line, beforeStart, beforeEnd, afterStart, afterEnd)) return undefined;
  starts.fill(-1);
  setRole(starts, ends, LEVEL, 9, 9 + level.length);
  setRole(starts, ends, TIME, timeStart, timeStart + time.length);
  if (hostname !== undefined) {
    setRole(starts, ends, HOST, hostnameStart, hostnameStart + hostname.length);
  }
  if (name !== undefined) setRole(starts, ends, NAME, nameStart, nameStart + name.length);
  setRole(starts, ends, MSG, line.length - 1 - msg.length, line.length - 1);
  if (before === "") return line.slice(afterStart, afterEnd - 1);
  if (after === "") return line.slice(beforeStart, beforeEnd - 1);
  return `${line.slice(beforeStart, beforeEnd - 1)},${line.slice(afterStart, afterEnd - 1)}`;
}

function setRole(starts: Int32Array, ends: Int32Array, role: number, start: number, end: number) {
  starts[role] = start;
  ends[role] = end;
}

/**
 * Compiles the expression now rather than at the first line: V8 compiles a
 * regular expression when it first runs and again, to native code, when it
 * runs once more, which for this one takes a few milliseconds.
 */
export function preparePinoShape(): void {
  const starts = new Int32Array(METADATA + 1);
  const ends = new Int32Array(METADATA + 1);
  const line = '{"level":30,"time":0,"pid":1,"hostname":"h","name":"n","a":{"b":[1.5]},"msg":"m"}';
  readPinoShape(line, starts, ends);
  readPinoShape(line, starts, ends);
}
