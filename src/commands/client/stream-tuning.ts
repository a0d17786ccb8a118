/**
 * When `shipper-client` makes its V8 settings (shared/v8-tuning.ts): once
 * the input has given STREAM_LINES lines or STREAM_BYTES bytes, early
 * enough that the young generation has not grown yet (it does within the
 * first tens of thousands of lines without the settings), and never in a
 * short run. A V8 flag set while the process runs makes V8 refuse the code
 * caches of Node's own modules, and of the command's bundle, for whatever
 * it compiles afterwards: a short run that set the flags at its start would
 * compile from source every Node module it loads past that point.
 */
import { applyV8Tuning } from "../shared/v8-tuning.js";

export const STREAM_LINES = 1000;
export const STREAM_BYTES = 32 * 1024;

export class StreamTuning {
  #lines = 0;
  #bytes = 0;
  #made = false;

  constructor(private readonly tune: () => unknown = applyV8Tuning) {}

  /** Counts a line of `bytes` bytes; makes the settings at the threshold. */
  line(bytes: number): void {
    if (this.#made) return;
    this.#lines += 1;
    this.#bytes += bytes;
    if (this.#lines >= STREAM_LINES || this.#bytes >= STREAM_BYTES) this.now();
  }

  /** Makes the settings now (a generated input is a stream from the start). */
  now(): void {
    if (this.#made) return;
    this.#made = true;
    this.tune();
  }
}
