/**
 * Instants as RFC 3339 text, UTC, milliseconds, as Date#toISOString writes
 * them, for the timestamps of entries.
 */

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: four-digit years end here. */
export const YEAR_10000_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, "0"));
/** `000` to `999`. */
export const THREE: readonly string[] = Array.from({ length: 1000 }, (_, n) =>
  String(n).padStart(3, "0"),
);

/**
 * RFC 3339 text, UTC, milliseconds, of an instant: Date#toISOString. It
 * remembers the last instant's text, the text of the last second it wrote
 * up to the fraction, and the date part of the last day, so consecutive
 * instants, which mostly share a second or a day, cost one concatenation
 * and no Date.
 */
export class IsoFormatter {
  #day = Number.NaN;
  #dayText = "";
  #second = Number.NaN;
  #secondText = "";
  #lastMs = Number.NaN;
  #lastText = "";

  format(ms: number): string {
    if (ms === this.#lastMs) return this.#lastText;
    this.#lastMs = ms;
    this.#lastText = this.#text(ms);
    return this.#lastText;
  }

  #text(ms: number): string {
    if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString();
    const second = Math.floor(ms / 1000);
    return `${this.secondText(second)}${THREE[Math.floor(ms - second * 1000)]}Z`;
  }

  /**
   * `YYYY-MM-DDTHH:MM:SS.` of a second since the epoch, kept for the next
   * call; for instants of four-digit years only (0 <= ms < YEAR_10000_MS).
   */
  secondText(second: number): string {
    if (second !== this.#second) {
      this.#second = second;
      this.#secondText = this.#secondPrefix(second);
    }
    return this.#secondText;
  }

  /** `YYYY-MM-DDTHH:MM:SS.` of a second since the epoch. */
  #secondPrefix(second: number): string {
    const day = Math.floor(second / 86_400);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    let rest = second - day * 86_400;
    const hours = Math.floor(rest / 3600);
    rest -= hours * 3600;
    const minutes = Math.floor(rest / 60);
    const seconds = rest - minutes * 60;
    return `${this.#dayText}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.`;
  }
}
