/**
 * logfmt: `key=value key2="quoted value" flag`. Keys are runs of characters
 * other than space, `=` and `"`; a value is a bare run up to the next space,
 * or a double-quoted string where `\"`, `\\`, `\n`, `\t` and `\r` are
 * escapes. A key without `=` is a flag (value true). A line holding no
 * `key=value` pair at all is not logfmt.
 */

export type LogfmtValue = string | true;

const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", r: "\r" };

function isSpace(code: number): boolean {
  return code === SPACE || code === TAB;
}

/** A quoted value whose opening quote is at `at`: its text and the index past it. */
function quoted(text: string, at: number): [string, number] {
  let out = "";
  let from = at + 1;
  let i = from;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) break;
    if (code === BACKSLASH && i + 1 < text.length) {
      const next = text.charAt(i + 1);
      out += text.slice(from, i) + (ESCAPES[next] ?? next);
      i++;
      from = i + 1;
    }
  }
  return [out + text.slice(from, i), Math.min(i + 1, text.length)];
}

/** The end of a bare token from `at`: the next space (or `=` when `stopAtEquals`). */
function bareEnd(text: string, at: number, stopAtEquals: boolean): number {
  let i = at;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isSpace(code) || (stopAtEquals && (code === EQUALS || code === QUOTE))) break;
  }
  return i;
}

/**
 * The pairs of a logfmt line in order (a key given twice keeps its last
 * value); undefined when the line has no `key=value` pair. Never throws.
 */
export function parseLogfmt(text: string): Map<string, LogfmtValue> | undefined {
  const pairs = new Map<string, LogfmtValue>();
  let withValue = 0;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const keyEnd = bareEnd(text, i, true);
    if (keyEnd === i) {
      // A stray `=` or `"`: skip the token it starts.
      i = bareEnd(text, i + 1, false);
      continue;
    }
    const key = text.slice(i, keyEnd);
    if (text.charCodeAt(keyEnd) !== EQUALS) {
      pairs.set(key, true);
      i = text.charCodeAt(keyEnd) === QUOTE ? bareEnd(text, keyEnd, false) : keyEnd;
      continue;
    }
    withValue++;
    const valueAt = keyEnd + 1;
    if (text.charCodeAt(valueAt) === QUOTE) {
      const [value, end] = quoted(text, valueAt);
      pairs.set(key, value);
      i = end;
    } else {
      const end = bareEnd(text, valueAt, false);
      pairs.set(key, text.slice(valueAt, end));
      i = end;
    }
  }
  return withValue > 0 ? pairs : undefined;
}
