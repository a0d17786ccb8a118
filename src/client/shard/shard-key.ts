/**
 * The shard key of an entry: the value of one top-level field (`service` by
 * default). A string is the key as it is; a number or a boolean is its JSON
 * text. An entry without the field, or whose value is null, an object or an
 * array, has the empty key "" (so all such entries go to one target). Read
 * from the entry object, or from its JSON text without parsing it whole.
 */

/** The key of entries that do not have the field as a string, number or boolean. */
export const FALLBACK_KEY = "";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

/** The key of an entry object. */
export function keyOf(entry: Record<string, unknown>, field: string): string {
  const value = entry[field];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return JSON.stringify(value);
  return FALLBACK_KEY;
}

/** Index of the quote that closes the string opened at `open`; -1 when it is not closed. */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close >= 0) {
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The value that starts at `at` (after the colon), as a key. */
function valueKey(text: string, at: number): string {
  let i = at;
  while (isSpace(text.charCodeAt(i))) i++;
  const code = text.charCodeAt(i);
  if (code === QUOTE) {
    const close = stringEnd(text, i);
    if (close < 0) return FALLBACK_KEY;
    const raw = text.slice(i + 1, close);
    if (!raw.includes("\\")) return raw;
    try {
      return JSON.parse(text.slice(i, close + 1)) as string;
    } catch {
      return raw;
    }
  }
  const match = /^(-?[0-9][0-9.eE+-]*|true|false)/.exec(text.slice(i, i + 64));
  return match?.[1] ?? FALLBACK_KEY;
}

/**
 * The key of an entry given as the JSON text of one object: the first
 * top-level field named `field`. Strings are skipped whole, so a field of a
 * nested object or a name inside a string never counts. Text that is not a
 * JSON object has the fallback key.
 */
export function keyOfJson(json: string, field: string): string {
  const name = JSON.stringify(field);
  let depth = 0;
  let afterKeyStart = false;
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i);
    if (code === QUOTE) {
      const close = stringEnd(json, i);
      if (close < 0) return FALLBACK_KEY;
      if (depth === 1 && afterKeyStart && json.startsWith(name, i)) {
        let j = close + 1;
        while (isSpace(json.charCodeAt(j))) j++;
        if (json.charCodeAt(j) === COLON) return valueKey(json, j + 1);
      }
      afterKeyStart = false;
      i = close;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth++;
      afterKeyStart = code === OPEN_BRACE;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    } else if (code === 0x2c) {
      afterKeyStart = true;
    }
  }
  return FALLBACK_KEY;
}
