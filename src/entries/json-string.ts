/**
 * A string as JSON text, JSON.stringify's exact output, without its copy
 * for the common string that needs no escape: then the text is the string
 * between quotes, joined without copying it.
 */

/** What JSON.stringify escapes: a quote, a backslash, a control character, a surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON.stringify(text) for a string. `plain`: the caller knows the text
 * holds nothing JSON.stringify escapes, so it is not searched.
 */
export function jsonString(text: string, plain = false): string {
  return plain || !NEEDS_ESCAPE.test(text) ? `"${text}"` : JSON.stringify(text);
}
