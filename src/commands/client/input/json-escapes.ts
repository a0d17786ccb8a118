/**
 * Where the first byte that JSON.stringify escapes is in ASCII text given
 * as bytes, LF excepted (no line holds one): a quote, a backslash, any
 * other control character. Read four bytes at a time, each word tested at
 * once for a byte below 0x20 or equal to a quote or a backslash; only a
 * word that may hold one is read byte by byte.
 */

/** 1 for a byte JSON escapes in ASCII text, LF excepted. */
const ESCAPED = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPED[byte] = 1;
ESCAPED[0x0a] = 0;
ESCAPED[0x22] = 1;
ESCAPED[0x5c] = 1;

const LOW = 0x01010101;
const HIGH = 0x80808080 | 0;
const SPACES = 0x20202020;
const QUOTES = 0x22222222;
const BACKSLASHES = 0x5c5c5c5c;

/**
 * The index of the first byte of bytes[from, end) that JSON escapes (LF
 * excepted); `end` when none. Only for ASCII bytes: a byte from 0x80 may
 * go unseen.
 */
export function firstEscaped(bytes: Uint8Array, from: number, end: number): number {
  let at = from;
  const offset = bytes.byteOffset;
  while (at < end && ((offset + at) & 3) !== 0) {
    if (ESCAPED[bytes[at] as number] !== 0) return at;
    at++;
  }
  const count = (end - at) >> 2;
  if (count === 0) {
    const found = scan(bytes, at, end);
    return found === -1 ? end : found;
  }
  const words = new Int32Array(bytes.buffer, offset + at, count);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as number;
    const quotes = word ^ QUOTES;
    const backslashes = word ^ BACKSLASHES;
    // Non-zero when a byte is below 0x20, a quote or a backslash (and, after a borrow, maybe not).
    const maybe =
      ((word - SPACES) & ~word) | ((quotes - LOW) & ~quotes) | ((backslashes - LOW) & ~backslashes);
    if ((maybe & HIGH) !== 0) {
      const found = scan(bytes, at + 4 * i, at + 4 * i + 4);
      if (found !== -1) return found;
    }
  }
  const found = scan(bytes, at + 4 * words.length, end);
  return found === -1 ? end : found;
}

/** The first escaped byte of bytes[from, end); -1 when none. */
function scan(bytes: Uint8Array, from: number, end: number): number {
  for (let at = from; at < end; at++) if (ESCAPED[bytes[at] as number] !== 0) return at;
  return -1;
}
