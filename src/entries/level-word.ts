/**
 * The level word near the start of a text line: `ERROR`, `[warn]`, `<Info>`,
 * `level=debug`, `FATAL:`. Only the first four words from where the scan
 * starts (after a leading timestamp) and the first 96 characters count, so a
 * word deep in the message (`... retried after error`) never sets the level.
 *
 * A word names the level when its letters are a level name (levelFromName)
 * and one of these holds, so that an ordinary word is not taken for one:
 * - it is written in capitals (`WARN`, `ERROR`);
 * - it is in brackets (`[warn]`, `<error>`, `(Info)`) or followed by a colon
 *   (`error:`, `ERROR:root:...`);
 * - it is the first word (`error connecting to db`);
 * - it is the value of `level=`, `lvl=`, `severity=` or `loglevel=`,
 *   quoted or not.
 * Words of punctuation only (`-`, `|`) are skipped without counting.
 */
import type { Level } from "../client/levels.js";
import { letterWordLevel } from "./level-letters.js";
import { levelFromName, levelOfLetters } from "./level-names.js";

const MAX_WORDS = 4;
/** Letters of the longest level name (INFORMATION). */
const MAX_NAME_LETTERS = 11;
const MAX_CHARS = 96;
/** Longest bracketed group read as one word (`[Wed Oct 11 14:32:52 2000]`). */
const MAX_GROUP_CHARS = 40;
const LEVEL_KEYS = new Set(["level", "lvl", "severity", "loglevel"]);
/**
 * First letters of the level names and of LEVEL_KEYS, a bit each from `a`
 * up: a word starting with any other is skipped unread.
 */
const INITIALS = [..."acdefhilnpstvw"].reduce(
  (bits, c) => bits | (1 << (c.charCodeAt(0) - 0x61)),
  0,
);

/** True when `code` is a letter, either case, in INITIALS. */
function isInitial(code: number): boolean {
  const bit = (code | 0x20) - 0x61;
  return bit >= 0 && bit < 26 && ((INITIALS >>> bit) & 1) === 1;
}

function isLetter(code: number): boolean {
  return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function closerOf(code: number): number {
  if (code === 0x5b) return 0x5d; // [ ]
  if (code === 0x3c) return 0x3e; // < >
  if (code === 0x28) return 0x29; // ( )
  return -1;
}

/**
 * The end of the letters from `at`, or where the twelfth letter ends: no
 * level name is longer than eleven (INFORMATION), so a longer run names
 * none however long it is.
 */
function lettersEnd(text: string, at: number): number {
  const stop = Math.min(text.length, at + MAX_NAME_LETTERS + 1);
  let i = at;
  while (i < stop && isLetter(text.charCodeAt(i))) i++;
  return i;
}

/**
 * The end of the word from `at`: the closer of a bracket group, else the
 * next space or tab in `head` (the text up to where words may start), or
 * the end of `head`; `tab` is where the first tab in `head` at or after
 * `at` is (the end of `head` for none), found once for the words of a
 * line. A word ending past `head` ends the scan wherever it ends.
 */
function wordEnd(text: string, head: string, at: number, closer: number, tab: number): number {
  if (closer >= 0) {
    const close = text.indexOf(String.fromCharCode(closer), at + 1);
    if (close > 0 && close - at <= MAX_GROUP_CHARS) return close + 1;
  }
  // By the engine's string search, not a loop over the characters.
  const space = head.indexOf(" ", at);
  return space >= 0 && space < tab ? space : tab;
}

/** Where the first tab in `head` at or after `at` is; the end of `head` for none. */
function tabFrom(head: string, at: number): number {
  const tab = head.indexOf("\t", at);
  return tab < 0 ? head.length : tab;
}

/** The level of `key=value` when key is a level key; undefined otherwise. */
function keyedLevel(text: string, key: string, valueAt: number): Level | undefined {
  if (!LEVEL_KEYS.has(key.toLowerCase())) return undefined;
  const quote = text.charCodeAt(valueAt) === 0x22 ? 1 : 0;
  const end = lettersEnd(text, valueAt + quote);
  return levelFromName(text.slice(valueAt + quote, end));
}

/** The level one word names, per the rules above; `first` when it is the first word. */
function wordLevel(text: string, at: number, first: boolean): Level | undefined {
  const closer = closerOf(text.charCodeAt(at));
  const start = closer >= 0 ? at + 1 : at;
  if (!isInitial(text.charCodeAt(start))) return undefined;
  const stop = lettersEnd(text, start);
  const length = stop - start;
  if (length < 3 || length > MAX_NAME_LETTERS) return undefined;
  const after = text.charCodeAt(stop);
  if (after === 0x3d && closer < 0) return keyedLevel(text, text.slice(start, stop), stop + 1);
  const delimited = (closer >= 0 && after === closer) || after === 0x3a;
  if (!delimited && !first && !capitals(text, start, stop)) return undefined;
  return levelOfLetters(text, start, stop);
}

/** True when the letters text[start, stop) are all capitals. */
function capitals(text: string, start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (text.charCodeAt(i) >= 0x61) return false;
  return true;
}

/**
 * The level named by a word among the first words of `text` from `start`;
 * undefined when none does.
 */
export function levelWord(text: string, start = 0): Level | undefined {
  return firstWordLevel(text, start) ?? scanLevelWord(text, start);
}

/**
 * The level of the first word from `start` when it is letters naming a
 * common level (level-letters.ts), no `=` after them: what the scan below
 * finds for it, without reading the word twice. Undefined otherwise.
 */
function firstWordLevel(text: string, start: number): Level | undefined {
  const limit = Math.min(text.length, start + MAX_CHARS);
  let i = start;
  while (i < limit && isSpace(text.charCodeAt(i))) i++;
  return i < limit && isInitial(text.charCodeAt(i)) ? letterWordLevel(text, i) : undefined;
}

/** levelWord(), word by word. */
function scanLevelWord(text: string, start: number): Level | undefined {
  const limit = Math.min(text.length, start + MAX_CHARS);
  // No word starts past `limit`, so no search for its end need go further.
  const head = limit < text.length ? text.slice(0, limit) : text;
  let words = 0;
  let i = start;
  let tab = tabFrom(head, start);
  while (words < MAX_WORDS && i < limit) {
    while (i < limit && isSpace(text.charCodeAt(i))) i++;
    if (i >= limit) break;
    if (tab < i) tab = tabFrom(head, i);
    const closer = closerOf(text.charCodeAt(i));
    const end = wordEnd(text, head, i, closer, tab);
    const letterAt = closer >= 0 ? i + 1 : i;
    if (isLetter(text.charCodeAt(letterAt))) {
      const level = wordLevel(text, i, words === 0);
      if (level !== undefined) return level;
      // The letter is in the word: it counts.
      words++;
    } else if (hasWordChar(text, i, end)) {
      words++;
    }
    i = end;
  }
  return undefined;
}

/** True when text[from, to) holds a letter or a digit. */
function hasWordChar(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (isLetter(code) || (code >= 0x30 && code <= 0x39)) return true;
  }
  return false;
}
