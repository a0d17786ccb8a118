/**
 * A scanner of canonical JSON text: text that JSON.parse and then
 * JSON.stringify give back character for character. That is JSON with no
 * white space; strings holding only the escapes JSON.stringify writes
 * (\" \\ \b \f \n \r \t: no \u, no \/) and no lone surrogate; numbers as
 * String(number) writes them; objects whose keys keep their order (none
 * starting with a digit, so no array index, which V8 would move first),
 * none repeated and none `__proto__`. Its methods return the index after
 * what they scanned, or -1 where the text is not canonical (or not JSON):
 * the caller then takes the general path (parse and stringify). Values
 * nested deeper than MAX_SCAN_DEPTH are left to that path too.
 */

import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  DOT,
  LOWER_E,
  MINUS,
  NINE,
  OPEN_BRACE,
  OPEN_BRACKET,
  PLUS,
  QUOTE,
  UPPER_E,
  ZERO,
} from "../wire/json-chars.js";

/** Deepest nesting the scanner follows. */
export const MAX_SCAN_DEPTH = 64;

/** Integers of at most this many digits are exact doubles that String() writes as they are. */
const EXACT_DIGITS = 15;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

/** The escapes JSON.stringify writes: \" \\ \b \f \n \r \t. */
function isCanonicalEscape(code: number): boolean {
  return (
    code === QUOTE ||
    code === BACKSLASH ||
    code === 0x62 ||
    code === 0x66 ||
    code === 0x6e ||
    code === 0x72 ||
    code === 0x74
  );
}

/** A character other than printable ASCII (DEL included) and the backslash. */
const NOT_PLAIN = /[^\u0020-\u005b\u005d-\u007f]/;

/** A key's length (quotes included) and its first character, to tell most keys apart at once. */
function keySign(text: string, start: number, end: number): number {
  return ((end - start) << 16) | text.charCodeAt(start + 1);
}

/** The index after the string whose opening quote is at `at`, or -1. */
export function scanString(text: string, at: number): number {
  const length = text.length;
  for (let i = at + 1; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i + 1;
    if (code === BACKSLASH) {
      if (!isCanonicalEscape(text.charCodeAt(++i))) return -1;
    } else if (code < 0x20) {
      return -1;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A high surrogate followed by a low one; JSON.stringify escapes a lone one.
      const low = text.charCodeAt(++i);
      if (code >= 0xdc00 || !(low >= 0xdc00 && low <= 0xdfff)) return -1;
    }
  }
  return -1;
}

function skipDigits(text: string, at: number): number {
  let i = at;
  while (isDigit(text.charCodeAt(i))) i++;
  return i;
}

/** The index after the number starting at `at`, or -1. */
export function scanNumber(text: string, at: number): number {
  const negative = text.charCodeAt(at) === MINUS;
  const first = negative ? at + 1 : at;
  let i = skipDigits(text, first);
  const digits = i - first;
  if (digits === 0 || (digits > 1 && text.charCodeAt(first) === ZERO)) return -1;
  let next = text.charCodeAt(i);
  if (next !== DOT && next !== LOWER_E && next !== UPPER_E && digits <= EXACT_DIGITS) {
    // An integer; "-0" reads back as 0.
    return negative && digits === 1 && text.charCodeAt(first) === ZERO ? -1 : i;
  }
  if (next === DOT) {
    const fraction = i + 1;
    i = skipDigits(text, fraction);
    if (i === fraction) return -1;
    next = text.charCodeAt(i);
  }
  if (next === LOWER_E || next === UPPER_E) {
    const sign = text.charCodeAt(i + 1);
    const exponent = sign === PLUS || sign === MINUS ? i + 2 : i + 1;
    i = skipDigits(text, exponent);
    if (i === exponent) return -1;
  }
  const token = text.slice(at, i);
  return String(Number(token)) === token ? i : -1;
}

function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  }
  return true;
}

/**
 * Scans canonical JSON. It remembers the keys of the objects it is in (a
 * stack of positions, reused from one scan to the next) to refuse a
 * repeated key; one scanner serves one thread of calls.
 */
export class CanonicalScanner {
  /** Each key remembered: where it starts, and its length with its first character. */
  #keyStarts = new Int32Array(32);
  #keySigns = new Int32Array(32);
  #count = 0;
  /** True while the text is printable ASCII without a backslash. */
  #plain = false;

  /**
   * Starts on a new top-level object, `text`: forgets every key, and
   * looks once whether its strings can be scanned by a search for their
   * closing quote (printable ASCII without a backslash).
   */
  reset(text: string): void {
    this.#count = 0;
    this.#plain = !NOT_PLAIN.test(text);
  }

  /** True when the text of the last reset() is printable ASCII without a backslash: one byte a character. */
  get plain(): boolean {
    return this.#plain;
  }

  /** scanString(), by a search for the closing quote where the text is plain. */
  string(text: string, at: number): number {
    if (!this.#plain) return scanString(text, at);
    const close = text.indexOf('"', at + 1);
    return close < 0 ? -1 : close + 1;
  }

  /** True when one of the keys remembered from `base` on is `name` (a JSON string). */
  hasKey(text: string, base: number, name: string): boolean {
    const sign = keySign(name, 0, name.length);
    for (let k = base; k < this.#count; k++) {
      if (this.#keySigns[k] === sign && text.startsWith(name, this.#keyStarts[k])) return true;
    }
    return false;
  }

  /**
   * The index after the key whose opening quote is at `at`, remembered as
   * a key of the object whose keys start at `base`; -1 when it is not
   * canonical, starts with a digit, is `__proto__` or is one of them already.
   */
  key(text: string, at: number, base: number): number {
    if (text.charCodeAt(at) !== QUOTE || isDigit(text.charCodeAt(at + 1))) return -1;
    const end = this.string(text, at);
    if (end < 0 || (end - at === 11 && text.startsWith('"__proto__"', at))) return -1;
    const sign = keySign(text, at, end);
    const count = this.#count;
    for (let k = base; k < count; k++) {
      if (
        this.#keySigns[k] === sign &&
        sameText(text, this.#keyStarts[k] as number, at, end - at)
      ) {
        return -1;
      }
    }
    if (count === this.#keyStarts.length) this.#grow();
    this.#keyStarts[count] = at;
    this.#keySigns[count] = sign;
    this.#count = count + 1;
    return end;
  }

  #grow(): void {
    const starts = new Int32Array(this.#keyStarts.length * 2);
    const signs = new Int32Array(this.#keySigns.length * 2);
    starts.set(this.#keyStarts);
    signs.set(this.#keySigns);
    this.#keyStarts = starts;
    this.#keySigns = signs;
  }

  /** The index after the value starting at `at`, `depth` levels in; or -1. */
  value(text: string, at: number, depth: number): number {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return this.string(text, at);
    if (code === OPEN_BRACE) return this.#object(text, at, depth + 1);
    if (code === OPEN_BRACKET) return this.#array(text, at, depth + 1);
    if (code === MINUS || isDigit(code)) return scanNumber(text, at);
    if (text.startsWith("true", at) || text.startsWith("null", at)) return at + 4;
    return text.startsWith("false", at) ? at + 5 : -1;
  }

  #object(text: string, at: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) return -1;
    let i = at + 1;
    if (text.charCodeAt(i) === CLOSE_BRACE) return i + 1;
    const base = this.#count;
    for (;;) {
      const keyEnd = this.key(text, i, base);
      if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON) return -1;
      i = this.value(text, keyEnd + 1, depth);
      if (i < 0) return -1;
      const next = text.charCodeAt(i);
      if (next === CLOSE_BRACE) {
        this.#count = base;
        return i + 1;
      }
      if (next !== COMMA) return -1;
      i++;
    }
  }

  #array(text: string, at: number, depth: number): number {
    if (depth > MAX_SCAN_DEPTH) return -1;
    let i = at + 1;
    if (text.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
    for (;;) {
      i = this.value(text, i, depth);
      if (i < 0) return -1;
      const next = text.charCodeAt(i);
      if (next === CLOSE_BRACKET) return i + 1;
      if (next !== COMMA) return -1;
      i++;
    }
  }
}
