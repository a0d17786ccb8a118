/** stdout as a regular file or a character device: see fd-output.ts. */
import { EventEmitter } from "node:events";
import { fstatSync, ftruncateSync, writeSync } from "node:fs";
import { abortedError, encode, linesIn, NEWLINE } from "./line-pieces.js";
import type { LineStream, WriteCallback } from "./line-stream.js";

/**
 * A regular file or character device, written synchronously (as Node writes
 * process.stdout to a file), so a write is always answered when `write`
 * returns and nothing is ever in flight.
 */
export class FileOutput extends EventEmitter implements LineStream {
  readonly #fd: number;
  readonly #truncatable: boolean;
  #aborted = false;

  constructor(fd: number, truncatable: boolean) {
    super();
    this.#fd = fd;
    this.#truncatable = truncatable;
  }

  write(chunk: string, callback?: WriteCallback): boolean {
    if (this.#aborted) {
      callback?.(abortedError(), 0);
      return true;
    }
    const buffer = encode(chunk);
    let offset = 0;
    try {
      while (offset < buffer.length) {
        offset += writeSync(this.#fd, buffer, offset, buffer.length - offset);
      }
    } catch (error) {
      callback?.(error as Error, this.#keepWholeLines(buffer, offset));
      return true;
    }
    callback?.(null, linesIn(buffer, buffer.length));
    return true;
  }

  abort(): void {
    this.#aborted = true;
  }

  /**
   * After a write failed with `written` bytes of `buffer` in the file: takes
   * back the part of a line, when there is one, and answers the lines kept.
   */
  #keepWholeLines(buffer: Buffer, written: number): number {
    const whole = written === 0 ? 0 : buffer.lastIndexOf(NEWLINE, written - 1) + 1;
    if (whole < written && this.#truncatable) {
      try {
        const size = fstatSync(this.#fd).size;
        ftruncateSync(this.#fd, Math.max(0, size - (written - whole)));
      } catch {
        // The line stays cut; it is counted dropped all the same.
      }
    }
    return linesIn(buffer, whole);
  }
}
