/**
 * The client's young generation under a long input. V8's settings
 * (shared/v8-tuning.ts) keep a command's semi-spaces at their initial 1 MiB;
 * the client, whose main thread allocates a few short-lived strings for
 * every line, lets them grow once, straight to 4 MiB, and then no further:
 * a scavenge then comes a quarter as often, for a few MiB of resident
 * memory, where V8 left alone would grow them to 16 MiB each. V8 reads the
 * growth factor at each growth, so the cap is set by watching the young
 * generation's size (hold()) and setting the factor back to 1 once it has
 * grown. (A worker thread's start resets V8's flags until it runs, so that
 * one growth may also be V8's own doubling.)
 */
import { getHeapSpaceStatistics } from "node:v8";
import { setSemiSpaceGrowth } from "../shared/v8-tuning.js";

/** The young generation's size (both semi-spaces) it grows to at most: two of 4 MiB. */
export const YOUNG_GENERATION_CAP_BYTES = 8 * 1024 * 1024;

/** The young generation's size now, in bytes. */
export function youngGenerationBytes(): number {
  const spaces = getHeapSpaceStatistics();
  for (const space of spaces) if (space.space_name === "new_space") return space.space_size;
  return 0;
}

/** What the cap reads and sets; the process's own by default. */
export interface YoungGenerationControl {
  readonly bytes: () => number;
  /** Sets the growth factor; false when the settings hold none (the user's flag applies). */
  readonly setGrowth: (factor: number) => boolean;
}

const PROCESS_CONTROL: YoungGenerationControl = {
  bytes: youngGenerationBytes,
  setGrowth: (factor) => setSemiSpaceGrowth(factor),
};

/** Lets the young generation make one growth, to YOUNG_GENERATION_CAP_BYTES, then none. */
export class YoungGenerationCap {
  #startBytes = Number.POSITIVE_INFINITY;

  constructor(private readonly control: YoungGenerationControl = PROCESS_CONTROL) {}

  /**
   * The growth factor to make the settings with: the one that takes the
   * young generation from its size now to the cap at its next growth (1
   * when it is there already, as V8 may have grown it before).
   */
  start(): number {
    this.#startBytes = this.control.bytes();
    return Math.max(1, Math.floor(YOUNG_GENERATION_CAP_BYTES / this.#startBytes));
  }

  /**
   * Once the young generation has grown past its size at start(), sets the
   * growth factor back to 1; true when there is nothing more to watch.
   */
  hold(): boolean {
    if (this.#startBytes >= YOUNG_GENERATION_CAP_BYTES) return true;
    if (this.control.bytes() <= this.#startBytes) return false;
    this.control.setGrowth(1);
    return true;
  }
}
