/**
 * A line that holds one JSON object, parsed; anything else (text, a JSON
 * array or scalar, invalid JSON, an object nested too deep) is not one.
 */

const OPEN_BRACE = 0x7b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Deepest nesting of a JSON object line kept as an object. Deeper lines are
 * taken as text: they would overflow the stack of JSON.stringify later on.
 */
export const MAX_JSON_DEPTH = 512;

/** A key JavaScript lists before the others, wherever the text has it: an array index. */
const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

/**
 * True when `key` is an array index ("0" to "4294967294", no leading
 * zero), which an object lists first, in numeric order, wherever it was
 * set: JSON.stringify of a parsed object moves it.
 */
export function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The first character code that is not JSON white space; -1 if none. */
export function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isJsonSpace(code)) return code;
  }
  return -1;
}

/** True when the line's first character other than white space is `{`. */
export function startsLikeObject(line: string): boolean {
  return firstNonSpace(line) === OPEN_BRACE;
}

/** The line as a JSON object, or undefined when it is anything else. Never throws. */
export function parseObject(line: string): Record<string, unknown> | undefined {
  if (firstNonSpace(line) !== OPEN_BRACE) return undefined;
  // Only a line longer than twice the limit can nest deeper than it.
  if (line.length > 2 * MAX_JSON_DEPTH && nestsDeeperThan(line, MAX_JSON_DEPTH)) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Invalid JSON, or nesting too deep for the parser: the line is text.
  }
  return undefined;
}

/** True when brackets outside strings nest deeper than `limit`. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === 0x5b || code === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
