/**
 * Where the first byte that JSON.stringify escapes is in ASCII text given
 * as bytes, LF excepted (no line holds one): a quote, a backslash, any
 * other control character. The first bytes are read one by one (a JSON
 * line's `{"` ends the search there); past them, the first quote and,
 * before it, the first backslash are found by Buffer's native search, and
 * control characters before those four bytes at a time, each word tested
 * at once for a byte below 0x20, and only a word that holds one (mostly an
 * LF) read byte by byte.
 */

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const HIGH = 0x80808080 | 0;
const SPACES = 0x20202020;
/** Bytes read one by one before the native searches: fewer cost less than a search. */
const SEARCH_AFTER_BYTES = 64;

/** 1 for a control byte other than LF, 2 for a quote or a backslash. */
const ESCAPED = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPED[byte] = 1;
ESCAPED[0x0a] = 0;
ESCAPED[QUOTE] = 2;
ESCAPED[BACKSLASH] = 2;

/**
 * The index of the first byte of bytes[from, end) that JSON escapes (LF
 * excepted); `end` when none. Only for ASCII bytes: a byte from 0x80 may
 * go unseen.
 */
export function firstEscaped(bytes: Buffer, from: number, end: number): number {
  const head = Math.min(end, from + SEARCH_AFTER_BYTES);
  const early = scan(bytes, from, head, false);
  if (early !== -1 || head === end) return early === -1 ? end : early;
  const within = end < bytes.length ? bytes.subarray(0, end) : bytes;
  const quote = within.indexOf(QUOTE, head);
  let stop = quote === -1 ? end : quote;
  const backslash = within.subarray(head, stop).indexOf(BACKSLASH);
  if (backslash !== -1) stop = head + backslash;
  return firstControl(bytes, head, stop);
}

/** The first control byte other than LF in bytes[from, end); `end` when none. */
function firstControl(bytes: Buffer, from: number, end: number): number {
  let at = from;
  const offset = bytes.byteOffset;
  while (at < end && ((offset + at) & 3) !== 0) {
    if (ESCAPED[bytes[at] as number] === 1) return at;
    at++;
  }
  const count = (end - at) >> 2;
  if (count > 0) {
    const words = new Int32Array(bytes.buffer, offset + at, count);
    for (let i = 0; i < count; i++) {
      const word = words[i] as number;
      // Non-zero when a byte is below 0x20 (and, after a borrow, maybe not).
      if (((word - SPACES) & ~word & HIGH) !== 0) {
        const found = scan(bytes, at + 4 * i, at + 4 * i + 4, true);
        if (found !== -1) return found;
      }
    }
    at += 4 * count;
  }
  const found = scan(bytes, at, end, true);
  return found === -1 ? end : found;
}

/**
 * The first byte of bytes[from, end) that JSON escapes, or with
 * `controlOnly` the first control byte other than LF; -1 when none.
 */
function scan(bytes: Buffer, from: number, end: number, controlOnly: boolean): number {
  for (let at = from; at < end; at++) {
    const kind = ESCAPED[bytes[at] as number] as number;
    if (kind === 1 || (kind === 2 && !controlOnly)) return at;
  }
  return -1;
}
