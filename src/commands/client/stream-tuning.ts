/**
 * When `shipper-client` makes its V8 settings (shared/v8-tuning.ts): once
 * the input has given STREAM_LINES lines or STREAM_BYTES bytes, early
 * enough that the young generation has not grown yet (it does within the
 * first tens of thousands of lines without the settings), and never in a
 * short run. A V8 flag set while the process runs makes V8 refuse the code
 * caches of Node's own modules, and of the command's bundle, for whatever
 * it compiles afterwards: a short run that set the flags at its start would
 * compile from source every Node module it loads past that point. After
 * that, every HOLD_CHECK_LINES lines, it looks whether the young generation
 * has made its one growth (young-generation.ts), until it has.
 */
import { applyV8Tuning } from "../shared/v8-tuning.js";
import { YoungGenerationCap } from "./young-generation.js";

export const STREAM_LINES = 1000;
export const STREAM_BYTES = 32 * 1024;
/** Lines between two looks at the young generation's size. */
export const HOLD_CHECK_LINES = 1024;

export interface TuningSteps {
  /** Makes the settings. */
  readonly tune: () => unknown;
  /** True once the young generation needs no more watching. */
  readonly hold: () => boolean;
}

/** The settings with the young generation's one growth (young-generation.ts). */
function processSteps(): TuningSteps {
  const cap = new YoungGenerationCap();
  return {
    tune: () => applyV8Tuning(process, cap.start()),
    hold: () => cap.hold(),
  };
}

/** The settings alone, the young generation kept at its initial size: for a paced input (the generator). */
export const PACED_STEPS: TuningSteps = {
  tune: () => applyV8Tuning(),
  hold: () => true,
};

export class StreamTuning {
  #lines = 0;
  #bytes = 0;
  #made = false;
  #held = false;

  constructor(private readonly steps: TuningSteps = processSteps()) {}

  /** Counts a line of `bytes` bytes; makes the settings at the threshold, then watches. */
  line(bytes: number): void {
    if (this.#made) {
      if (!this.#held && ++this.#lines >= HOLD_CHECK_LINES) this.#hold();
      return;
    }
    this.#lines += 1;
    this.#bytes += bytes;
    if (this.#lines >= STREAM_LINES || this.#bytes >= STREAM_BYTES) this.now();
  }

  /** Makes the settings now (a generated input is a stream from the start). */
  now(): void {
    if (this.#made) return;
    this.#made = true;
    this.#lines = 0;
    this.steps.tune();
  }

  #hold(): void {
    this.#lines = 0;
    this.#held = this.steps.hold();
  }
}
