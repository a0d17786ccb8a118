/**
 * `--parse auto` over a stream of lines: autoTimeAndLevel's reading of each
 * line (text-parsers.ts), into fields the reader reuses from line to line.
 *
 * Consecutive lines of a log mostly share the date, hour and minute of
 * their ISO 8601 timestamp (`2026-11-24 10:30`). The reader keeps the text
 * of the last such minute, its wall time and the zone's offset over it: a
 * line starting with the same text, bare or in square brackets, is read
 * from its seconds on, as isoTime (timestamp.ts) reads them. Any other
 * line, and any line the short way does not take, is read by
 * autoTimeAndLevel: both ways give the same reading.
 */
import type { Level } from "../client/levels.js";
import { isWordChar, type TimeContext } from "./calendar.js";
import { flatLatin1 } from "./flat.js";
import { levelWord } from "./level-word.js";
import { autoTimeAndLevel } from "./text-parsers.js";
import { type IsoRest, isoMinuteWall, isoRestAt } from "./timestamp.js";

/** `YYYY-MM-DDTHH:MM`: the part of an ISO reading that names its minute. */
const MINUTE_CHARS = 16;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Latest and earliest instants a Date holds. */
const MAX_DATE_MS = 8.64e15;

export class AutoLineReader {
  /** The instant of the last line's timestamp; NaN when it had none. */
  ms = Number.NaN;
  /** The level of the last line's level word; undefined when it had none. */
  level: Level | undefined = undefined;
  readonly #context: TimeContext;
  /** The text of the last minute read, and its wall time (wallMsOf). */
  #minute = "";
  /** The kept minute's last character, looked at before the rest; -1 while none is kept. */
  #minuteEnd = -1;
  #minuteWall = Number.NaN;
  /**
   * The zone's offset over the kept minute, in ms: the zone's offset is
   * the same over every quarter hour (zone.ts), so over every minute.
   */
  #minuteOffset = Number.NaN;
  /** Just past the timestamp the short way read. */
  #end = 0;
  /** What follows the minute of the line being read. */
  readonly #rest: IsoRest = { second: 0, ms: 0, offset: undefined, end: 0 };

  constructor(context: TimeContext) {
    this.#context = context;
  }

  /** Reads `line` into ms and level. */
  read(line: string): void {
    const at = line.charCodeAt(0) === OPEN_BRACKET ? 1 : 0;
    if (
      (this.#startsWithMinute(line, at) || this.#learnMinute(line, at)) &&
      this.#fromSeconds(line, at)
    ) {
      this.level = levelWord(line, this.#end);
      return;
    }
    const found = autoTimeAndLevel(line, this.#context);
    this.ms = found.ms ?? Number.NaN;
    this.level = found.level;
  }

  /**
   * True when `line` holds the kept minute at `at`. Its last character
   * (the minute's last digit, the one that changes most) is compared
   * first, so that most other lines are told apart without a search; the
   * whole then by indexOf, which V8 runs faster than lastIndexOf or
   * startsWith, or a loop over the characters, on a line cut from a
   * longer text. On a line without the minute at `at`, it searches on to
   * the line's end at most.
   */
  #startsWithMinute(line: string, at: number): boolean {
    return (
      line.charCodeAt(at + MINUTE_CHARS - 1) === this.#minuteEnd &&
      line.indexOf(this.#minute, at) === at
    );
  }

  /**
   * Keeps the minute of an ISO reading at `at` (isoMinuteWall); false
   * when there is none there or it is not a valid minute.
   */
  #learnMinute(text: string, at: number): boolean {
    const wall = isoMinuteWall(text, at);
    if (Number.isNaN(wall)) return false;
    this.#minute = flatLatin1(text.slice(at, at + MINUTE_CHARS));
    this.#minuteEnd = this.#minute.charCodeAt(MINUTE_CHARS - 1);
    this.#minuteWall = wall;
    this.#minuteOffset = wall - this.#context.zone.utcMs(wall);
    return true;
  }

  /**
   * The rest of an ISO reading whose minute is the kept one (isoRestAt),
   * into ms and #end; false where isoTime would not take it.
   */
  #fromSeconds(text: string, at: number): boolean {
    const rest = this.#rest;
    if (!isoRestAt(text, at + MINUTE_CHARS, rest)) return false;
    const { offset, end } = rest;
    const next = text.charCodeAt(end);
    if (isWordChar(next) || (at === 1 && next !== CLOSE_BRACKET)) return false;
    // A 60th second is the next minute's first, whose offset in the zone
    // may differ from the kept one: isoTime reads it.
    if (rest.second === 60 && offset === undefined) return false;
    const wall = this.#minuteWall + rest.second * 1000 + rest.ms;
    // As instantOfWall (calendar.ts) gives it.
    const instant = wall - (offset === undefined ? this.#minuteOffset : offset * 60_000);
    if (!(Math.abs(instant) <= MAX_DATE_MS)) return false;
    this.ms = instant;
    this.#end = at === 1 ? end + 1 : end;
    return true;
  }
}
