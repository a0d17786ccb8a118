/**
 * A Latin-1 text as one piece of memory. A string built by concatenation,
 * or cut out of a longer one, is kept as references to its parts: every
 * later read of its characters, or join holding it, goes through them. Text
 * kept and read over many lines is worth copying once.
 */
export function flatLatin1(text: string): string {
  return Buffer.from(text, "latin1").toString("latin1");
}
