/**
 * levelOfLetters (level-names.ts) for the words a log line mostly carries,
 * without building a key: the names sorted by length, compared letter by
 * letter, case folded. Each name's level is levelFromName's.
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

interface Name {
  /** The name's character codes, lower case. */
  readonly codes: readonly number[];
  readonly level: Level;
}

/** Slots of the table of names: a power of two. */
const SLOTS = 64;

/** A word's slot: from its length, first, second and last letters, case folded. */
function slotOf(text: string, start: number, stop: number): number {
  const first = text.charCodeAt(start) | 0x20;
  const second = text.charCodeAt(start + 1) | 0x20;
  const last = text.charCodeAt(stop - 1) | 0x20;
  return (first * 7 + second * 3 + last + (stop - start) * 5) & (SLOTS - 1);
}

/** The names by slot. */
const TABLE: readonly Name[][] = Array.from({ length: SLOTS }, () => []);
for (const name of NAMES) {
  const level = levelFromName(name);
  const codes = [...name.toLowerCase()].map((c) => c.charCodeAt(0));
  if (level !== undefined) TABLE[slotOf(name, 0, name.length)]?.push({ codes, level });
}

/**
 * The level the ASCII letters text[start, stop) name, any case, when they
 * are one of the names above; undefined for any other word, which
 * levelOfLetters may still know.
 */
export function commonLevelOfLetters(text: string, start: number, stop: number): Level | undefined {
  if (stop - start < 3) return undefined;
  const names = TABLE[slotOf(text, start, stop)] as Name[];
  for (let n = 0; n < names.length; n++) {
    const name = names[n] as Name;
    const codes = name.codes;
    if (codes.length !== stop - start) continue;
    let i = 0;
    while (i < codes.length && (text.charCodeAt(start + i) | 0x20) === codes[i]) i++;
    if (i === codes.length) return name.level;
  }
  return undefined;
}
