/**
 * Line output with coalesced writes and bounded memory.
 *
 * Lines are gathered into chunks of about `chunkBytes` and written once per
 * chunk (or once per event-loop turn, whichever comes first). When the
 * stream's `write()` returns false, chunks wait in a queue until 'drain'; the
 * queue holds at most `maxPendingBytes` of memory, and lines past that bound
 * are dropped and counted, never held. Order is kept: a line is written only
 * after every line accepted before it.
 * What is held, and how its memory is counted, is HeldLines (held-lines.ts).
 */

import { OptionRangeError } from "../foundation/errors.js";
import { DEFAULT_MAX_PENDING_OUTPUT_BYTES, KIB } from "../foundation/limits.js";
import { systemTimers, type Timers } from "../foundation/time.js";
import { type Chunk, HeldLines, settleChunk } from "./held-lines.js";
import { isTransient, type LineStream } from "./line-stream.js";

export { DEFAULT_MAX_PENDING_OUTPUT_BYTES } from "../foundation/limits.js";

export { BLOCK_OVERHEAD_BYTES } from "./held-lines.js";
export type { LineStream, WriteCallback } from "./line-stream.js";

export interface OutputOptions {
  /** Bytes of lines held while the stream is slow; past it lines are dropped. Default 64 MiB. */
  readonly maxPendingBytes?: number;
  /** Target size of one write. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Turns one accepted line into the text written (without its newline). Default: as is. */
  readonly format?: (line: string) => string;
  /** Runs the end-of-turn flush; default setImmediate. */
  readonly schedule?: (callback: () => void) => void;
  /** Called once when the stream fails (e.g. EPIPE); lines are then counted as dropped. */
  readonly onError?: (error: Error) => void;
}

const DEFAULT_CHUNK_BYTES = 64 * KIB;

export class OutputWriter {
  readonly #stream: LineStream;
  readonly #maxPendingBytes: number;
  readonly #chunkBytes: number;
  readonly #format: ((line: string) => string) | undefined;
  readonly #schedule: (callback: () => void) => void;
  readonly #onError: ((error: Error) => void) | undefined;
  /** Lines accepted and not yet handed to the stream: the bounded part. */
  readonly #held: HeldLines;
  /** Chunks handed to the stream whose write callback has not run. */
  readonly #inFlight: Chunk[] = [];
  #inFlightBytes = 0;
  #blocked = false;
  #scheduled = false;
  #failed = false;
  /** A transient write error was reported and no write has succeeded since. */
  #troubled = false;
  #ended = false;
  #dropped = 0;
  #written = 0;
  #idle: (() => void) | undefined;

  constructor(stream: LineStream, options: OutputOptions = {}) {
    this.#stream = stream;
    this.#maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_OUTPUT_BYTES;
    this.#chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.#format = options.format;
    this.#schedule = options.schedule ?? ((callback) => setImmediate(callback));
    this.#onError = options.onError;
    if (!(this.#maxPendingBytes >= 0)) throw new OptionRangeError("maxPendingBytes must be >= 0");
    if (!(this.#chunkBytes >= 1)) throw new OptionRangeError("chunkBytes must be >= 1");
    this.#held = new HeldLines(this.#maxPendingBytes, this.#chunkBytes);
    stream.on("error", (error) => this.#fail(error));
  }

  /** Lines dropped: over the bound, after a stream failure, or not written by end(). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Lines whose write has completed. */
  get written(): number {
    return this.#written;
  }

  /** Bytes held: waiting in the queue plus handed to the stream and not yet written. */
  get pendingBytes(): number {
    return this.#held.bytes + this.#inFlightBytes;
  }

  /** Memory charged for the lines waiting in the queue: what `maxPendingBytes` bounds. */
  get pendingCharge(): number {
    return this.#held.charge;
  }

  /** Accepts lines (without newline), in order; `onWritten` is told once if all were written. */
  writeLines(lines: readonly string[], onWritten?: (written: boolean) => void): void {
    if (lines.length === 0) {
      onWritten?.(true);
      return;
    }
    if (this.#failed || this.#ended) {
      this.#dropped += lines.length;
      onWritten?.(false);
      return;
    }
    const left = this.#held.hold(lines, this.#format);
    this.#dropped += left;
    if (onWritten !== undefined) {
      if (left > 0) onWritten(false);
      else this.#held.whenWritten(onWritten);
    }
    if (this.#held.ready) this.#pump();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (!this.#scheduled && this.#held.gathering) {
      this.#scheduled = true;
      this.#schedule(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  /** Writes what is gathered now (or queues it while the stream is slow). */
  flush(): void {
    if (this.#failed) return;
    this.#held.seal();
    this.#pump();
  }

  #pump(): void {
    while (!this.#blocked && !this.#failed) {
      const chunk = this.#held.take();
      if (chunk === undefined) return;
      this.#inFlightBytes += chunk.bytes;
      this.#inFlight.push(chunk);
      const text = chunk.parts.length === 1 ? (chunk.parts[0] ?? "") : chunk.parts.join("");
      chunk.parts.length = 0;
      let ok: boolean;
      try {
        ok = this.#stream.write(text, (error, lines) =>
          this.#onWritten(chunk, error ?? undefined, lines),
        );
      } catch (error) {
        this.#onWritten(chunk, error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (!ok && !this.#failed) {
        this.#blocked = true;
        this.#stream.once("drain", () => {
          this.#blocked = false;
          this.#held.seal();
          this.#pump();
          this.#checkIdle();
        });
      }
    }
  }

  #onWritten(chunk: Chunk, error: Error | undefined, linesWritten = 0): void {
    const index = this.#inFlight.indexOf(chunk);
    if (index < 0) return;
    this.#inFlight.splice(index, 1);
    this.#inFlightBytes -= chunk.bytes;
    if (error === undefined) {
      this.#written += chunk.lines;
      this.#troubled = false;
    } else {
      const written = Math.min(Math.max(0, linesWritten), chunk.lines);
      this.#written += written;
      this.#dropped += chunk.lines - written;
      if (isTransient(error)) this.#trouble(error);
      else this.#fail(error);
    }
    settleChunk(chunk, error === undefined);
    this.#checkIdle();
  }

  /** A write failed for a reason that may pass (a full disk): reported once, writing goes on. */
  #trouble(error: Error): void {
    if (this.#troubled) return;
    this.#troubled = true;
    this.#onError?.(error);
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#dropped += this.#held.clear();
    this.#onError?.(error);
    this.#checkIdle();
  }

  #isIdle(): boolean {
    if (this.#failed) return this.#inFlight.length === 0;
    return this.#held.empty && this.#inFlight.length === 0;
  }

  #checkIdle(): void {
    if (this.#idle !== undefined && this.#isIdle()) this.#idle();
  }

  /**
   * Flushes and waits until every accepted line is written, or `timeoutMs`
   * passes; then every line not written counts as dropped. Lines offered
   * after this are dropped. Resolves true when everything was written.
   */
  end(
    timeoutMs: number,
    timers: Pick<Timers, "setTimeout" | "clearTimeout"> = systemTimers,
  ): Promise<boolean> {
    this.#ended = true;
    this.flush();
    if (this.#isIdle()) return Promise.resolve(!this.#failed);
    return new Promise((resolve) => {
      const timer = timers.setTimeout(() => {
        this.#idle = undefined;
        this.#abandon();
        resolve(false);
      }, timeoutMs);
      this.#idle = () => {
        this.#idle = undefined;
        timers.clearTimeout(timer);
        resolve(!this.#failed);
      };
    });
  }

  /**
   * Counts every line not yet written as dropped and forgets it. A stream
   * that can abort is told first: it answers its writes in progress with
   * the lines they did write, which count as written.
   */
  #abandon(): void {
    this.#dropped += this.#held.clear();
    try {
      this.#stream.abort?.();
    } catch {
      // Counted below all the same.
    }
    for (const chunk of this.#inFlight) {
      this.#dropped += chunk.lines;
      settleChunk(chunk, false);
    }
    this.#inFlight.length = 0;
    this.#inFlightBytes = 0;
  }
}
