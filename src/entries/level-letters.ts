/**
 * levelOfLetters (level-names.ts) for the level names a log line mostly
 * carries, read in one pass over the word: its letters, case folded, make
 * small integer keys looked up in a table. Each name's level is
 * levelFromName's.
 */
import { LEVEL_NAMES, type Level } from "../client/levels.js";
import { levelFromName } from "./level-names.js";

/** The names looked up here: parseLevel's and the other common ones. */
const NAMES = [
  ...LEVEL_NAMES,
  "FINE",
  "FINER",
  "FINEST",
  "VERBOSE",
  "SILLY",
  "INFORMATION",
  "NOTICE",
  "HTTP",
  "SEVERE",
  "ALERT",
  "EMERG",
  "EMERGENCY",
  "PANIC",
  "DPANIC",
];

/** A letter's code in a key: 1 to 26, case folded. */
const LETTER_BITS = 5;
/** Letters in each of a word's two keys. */
const KEY_LETTERS = 6;

/** Names of up to six letters by their key; longer ones by the key of the first six, then of the rest. */
const SHORT = new Map<number, Level>();
const LONG = new Map<number, Map<number, Level>>();
for (const name of NAMES) {
  const level = levelFromName(name);
  let head = 0;
  let rest = 0;
  for (let i = 0; i < name.length; i++) {
    const letter = (name.charCodeAt(i) | 0x20) - 0x60;
    if (i < KEY_LETTERS) head = (head << LETTER_BITS) | letter;
    else rest = (rest << LETTER_BITS) | letter;
  }
  if (level === undefined) continue;
  if (rest === 0) SHORT.set(head, level);
  else LONG.set(head, (LONG.get(head) ?? new Map<number, Level>()).set(rest, level));
}

/**
 * The level the letters from `at` name, any case, when they are one of the
 * names above and no `=` follows them; undefined otherwise (levelOfLetters
 * may still know them). Each letter is read once.
 */
export function letterWordLevel(text: string, at: number): Level | undefined {
  let head = 0;
  let rest = 0;
  let i = at;
  for (;;) {
    const folded = text.charCodeAt(i) | 0x20;
    if (folded < 0x61 || folded > 0x7a) break;
    const n = i - at;
    if (n < KEY_LETTERS) head = (head << LETTER_BITS) | (folded - 0x60);
    else if (n < 2 * KEY_LETTERS) rest = (rest << LETTER_BITS) | (folded - 0x60);
    else return undefined;
    i++;
  }
  if (text.charCodeAt(i) === 0x3d) return undefined;
  return rest === 0 ? SHORT.get(head) : LONG.get(head)?.get(rest);
}
