/**
 * The start of a text line's entry, `{"timestamp":"…","level":"…","message":`
 * and, for a message written between quotes as it is, its opening quote.
 * It is put together from parts kept across lines: the text of the last
 * minute written, that of its second, and per level the rest for each
 * millisecond met. Consecutive lines mostly share their second, so a head
 * mostly costs one concatenation. At most 2000 rests are kept a level.
 */
import type { Level } from "../client/levels.js";
import { flatLatin1 } from "./flat.js";
import { type IsoFormatter, THREE, YEAR_10000_MS } from "./iso-formatter.js";

/** `YYYY-MM-DDTHH:MM:` */
const MINUTE_TEXT_CHARS = 17;
/** `00.` to `59.` */
const SECONDS = Array.from({ length: 60 }, (_, n) => `${String(n).padStart(2, "0")}.`);

export class EntryHeads {
  readonly #iso: IsoFormatter;
  #minute = Number.NaN;
  /** `{"timestamp":"YYYY-MM-DDTHH:MM:` of #minute. */
  #minuteHead = "";
  #second = Number.NaN;
  /** `{"timestamp":"YYYY-MM-DDTHH:MM:SS.` of #second. */
  #secondHead = "";
  /**
   * Per level, `fffZ","level":"…","message":` at 2 * fff, the same with
   * the quote at 2 * fff + 1; "" where not made yet.
   */
  readonly #rests = new Map<Level, string[]>();

  constructor(iso: IsoFormatter) {
    this.#iso = iso;
  }

  /** The head of an entry at `ms` (within a Date's range) of `level`; `quoted` adds the quote. */
  head(ms: number, level: Level, quoted: boolean): string {
    // Kept short for the compiler to inline: the number then goes by no call.
    const second = Math.floor(ms / 1000);
    if (second === this.#second) {
      const rest = this.#rests.get(level)?.[(ms - second * 1000) * 2 + (quoted ? 1 : 0)];
      if (rest !== undefined && rest !== "") return this.#secondHead + rest;
    }
    return this.#make(ms, level, quoted);
  }

  /** head(), the parts it lacks made and kept. */
  #make(ms: number, level: Level, quoted: boolean): string {
    if (!(ms >= 0 && ms < YEAR_10000_MS)) {
      return `{"timestamp":"${this.#iso.format(ms)}${levelPart(level, quoted)}`;
    }
    const second = Math.floor(ms / 1000);
    if (second !== this.#second) {
      this.#second = second;
      const minute = Math.floor(second / 60);
      if (minute !== this.#minute) {
        this.#minute = minute;
        const text = this.#iso.secondText(minute * 60).slice(0, MINUTE_TEXT_CHARS);
        this.#minuteHead = flatLatin1(`{"timestamp":"${text}`);
      }
      this.#secondHead = this.#minuteHead + SECONDS[second - minute * 60];
    }
    const fraction = Math.floor(ms - second * 1000);
    let rests = this.#rests.get(level);
    if (rests === undefined) {
      rests = new Array<string>(2000).fill("");
      this.#rests.set(level, rests);
    }
    const index = quoted ? fraction * 2 + 1 : fraction * 2;
    let rest = rests[index] as string;
    if (rest === "") {
      rest = flatLatin1(`${THREE[fraction]}Z${levelPart(level, quoted)}`);
      rests[index] = rest;
    }
    return this.#secondHead + rest;
  }
}

/** `","level":"…","message":`, and `"` when quoted: the text between an entry's timestamp and message. */
export function levelPart(level: Level, quoted: boolean): string {
  return `","level":"${level}","message":${quoted ? '"' : ""}`;
}
