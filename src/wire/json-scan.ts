/**
 * A validating JSON scanner with a cost bound: one linear pass over the
 * text, no value built, no recursion. It accepts exactly what `JSON.parse`
 * accepts (RFC 8259 over a JavaScript string), and refuses, before anything
 * is parsed, a text whose shape would make parsing it cost far more than its
 * size: nesting deeper than `maxDepth`, more than `maxEntries` entries, or
 * an entry holding more than `maxFields` values. An element of an outer
 * array that is a flat entry (flat-entry.ts) is checked whole, in one step.
 */

import { flatEntryEnd } from "./flat-entry.js";
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  DOT,
  MINUS,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  PLUS,
  QUOTE,
  ZERO,
} from "./json-chars.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits, type ScanReason } from "./json-limits.js";

export { DEFAULT_JSON_LIMITS, type JsonLimits, type ScanReason } from "./json-limits.js";

const ARRAY = 1;
const OBJECT = 2;

/** Characters that may follow a backslash, besides `u`. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

/** JSON's four white-space characters (space, LF, CR, tab), as a char code or a byte. */
export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** A run of string characters that need no look: no quote, backslash or control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters end the run.
const PLAIN = /[^"\\\u0000-\u001f]*/y;

/** Index after the string whose opening quote is at `at`; -1 when it is not a valid string. */
function skipString(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    PLAIN.lastIndex = i;
    PLAIN.test(text);
    i = PLAIN.lastIndex;
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    if (code === BACKSLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return -1;
        i += 6;
      } else if (SIMPLE_ESCAPES.has(next)) {
        i += 2;
      } else {
        return -1;
      }
    } else if (code < 0x20 || Number.isNaN(code)) {
      return -1;
    } else {
      i++;
    }
  }
}

function skipDigits(text: string, at: number): number {
  let i = at;
  while (isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** Index after the number starting at `at`; -1 when it is not a valid number. */
function skipNumber(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === MINUS) i++;
  const first = text.charCodeAt(i);
  if (first === ZERO) i++;
  else if (isDigit(first)) i = skipDigits(text, i + 1);
  else return -1;
  if (text.charCodeAt(i) === DOT) {
    const end = skipDigits(text, i + 1);
    if (end === i + 1) return -1;
    i = end;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    const end = skipDigits(text, i);
    if (end === i) return -1;
    i = end;
  }
  return i;
}

function skipLiteral(text: string, at: number, word: string): number {
  return text.startsWith(word, at) ? at + word.length : -1;
}

/** The index of the first character at or after `at` that is not JSON white space. */
export function skipSpace(text: string, at: number): number {
  let i = at;
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * White space characters skipped by `skip` since `scanJson` started: a scan
 * runs to its end without yielding, so one counter serves every scan.
 */
let skipped = 0;

/** `skipSpace`, counting what it skips in `skipped`. */
function skip(text: string, at: number): number {
  const i = skipSpace(text, at);
  skipped += i - at;
  return i;
}

/**
 * Told each element of an outer array once the scan has passed it: its text
 * is `text[start, end)`, and `spaced` says whether JSON white space (outside
 * strings) is inside it.
 */
export type OnElement = (start: number, end: number, spaced: boolean) => void;

/**
 * Checks `text` in one pass. Returns undefined when it is valid JSON within
 * the limits, otherwise the reason: `invalid-json` for anything `JSON.parse`
 * refuses, or the first limit passed, in text order. A text of one scalar
 * is valid (one entry of no fields); what a payload may be is the caller's
 * business.
 */
export function scanJson(
  text: string,
  limits: JsonLimits = DEFAULT_JSON_LIMITS,
  onElement?: OnElement,
): ScanReason | undefined {
  const { maxDepth, maxEntries, maxFields } = limits;
  const stack = new Uint8Array(maxDepth + 1);
  let depth = 0;
  /** Containers open when an entry starts: 1 in an outer array, 0 otherwise. */
  let entryDepth = 0;
  let entries = 0;
  let fields = 0;
  let elementStart = 0;
  let spacesBefore = 0;
  skipped = 0;
  let i = skip(text, 0);
  // Each turn of the outer loop reads one value, then whatever closes or separates.
  for (;;) {
    const code = text.charCodeAt(i);
    let flat = -1;
    if (depth === 0) {
      // An outer array holds the entries; any other outer value is the one entry.
      if (code === OPEN_BRACKET) entryDepth = 1;
      else entries = 1;
    } else if (depth === entryDepth) {
      if (++entries > maxEntries) return "too-many-entries";
      fields = 0;
      elementStart = i;
      spacesBefore = skipped;
      if (code === OPEN_BRACE) flat = flatEntryEnd(text, i, maxDepth, maxFields);
    } else if (++fields > maxFields) {
      return "too-many-fields";
    }
    if (flat >= 0) {
      i = flat;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === maxDepth) return "too-deep";
      stack[depth++] = code === OPEN_BRACE ? OBJECT : ARRAY;
      i = skip(text, i + 1);
      const close = text.charCodeAt(i);
      if (code === OPEN_BRACKET && close !== CLOSE_BRACKET) continue;
      if (code === OPEN_BRACE && close !== CLOSE_BRACE) {
        i = memberName(text, i);
        if (i < 0) return "invalid-json";
        continue;
      }
      depth--;
      i++;
    } else {
      if (code === QUOTE) i = skipString(text, i);
      else if (code === 0x74) i = skipLiteral(text, i, "true");
      else if (code === 0x66) i = skipLiteral(text, i, "false");
      else if (code === 0x6e) i = skipLiteral(text, i, "null");
      else i = skipNumber(text, i);
      if (i < 0) return "invalid-json";
    }
    // After a value: close containers, or find the separator before the next value.
    for (;;) {
      // An element of the outer array ends here.
      if (depth === 1 && entryDepth === 1) onElement?.(elementStart, i, skipped !== spacesBefore);
      i = skip(text, i);
      if (depth === 0) return i === text.length ? undefined : "invalid-json";
      const next = text.charCodeAt(i);
      const open = stack[depth - 1];
      if (next === COMMA) {
        i = skip(text, i + 1);
        if (open === OBJECT) i = memberName(text, i);
        if (i < 0) return "invalid-json";
        break;
      }
      if ((open === ARRAY && next === CLOSE_BRACKET) || (open === OBJECT && next === CLOSE_BRACE)) {
        depth--;
        i++;
        continue;
      }
      return "invalid-json";
    }
  }
}

/** From a member's name at `at`: the index of its value, past the colon; -1 when malformed. */
function memberName(text: string, at: number): number {
  if (text.charCodeAt(at) !== QUOTE) return -1;
  const end = skipString(text, at);
  if (end < 0) return -1;
  const colon = skip(text, end);
  if (text.charCodeAt(colon) !== COLON) return -1;
  return skip(text, colon + 1);
}
