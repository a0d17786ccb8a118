/**
 * Line output with coalesced writes and bounded memory.
 *
 * Lines are gathered into chunks of about `chunkBytes` and written once per
 * chunk (or once per event-loop turn, whichever comes first). When the
 * stream's `write()` returns false, chunks wait in a queue until 'drain'; the
 * queue holds at most `maxPendingBytes` of memory, and lines past that bound
 * are dropped and counted, never held. Order is kept: a line is written only
 * after every line accepted before it.
 *
 * The lines of one `writeLines` call are copied into one flat string, so a
 * line held never keeps alive the (possibly much larger) text it was cut
 * from, and what is held is charged what it costs: one byte per character of
 * an ASCII block, two otherwise, plus BLOCK_OVERHEAD_BYTES per call. (Lines
 * are admitted as if ASCII, so a block that is not can pass the bound by the
 * size of one call's lines.)
 */

import { OptionRangeError } from "../foundation/errors.js";
import { DEFAULT_MAX_PENDING_OUTPUT_BYTES, KIB } from "../foundation/limits.js";
import { systemTimers, type Timers } from "../foundation/time.js";

export { DEFAULT_MAX_PENDING_OUTPUT_BYTES } from "../foundation/limits.js";

/**
 * Called once a chunk's write ends: with no error, every line was written;
 * with an error, `linesWritten` (when the stream can tell) lines of the chunk
 * were written whole and the rest were not written at all.
 */
export type WriteCallback = (error?: Error | null, linesWritten?: number) => void;

/** The part of a writable stream the writer uses (process.stdout fits). */
export interface LineStream {
  write(chunk: string, callback?: WriteCallback): boolean;
  once(event: "drain", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  /**
   * Optional: stops writing at once (shutdown gave up waiting); a write not
   * yet done is answered through its callback, with the lines it wrote.
   */
  abort?(): void;
}

/** Bytes charged for each block of lines held, on top of its text: the string's header and slot. */
export const BLOCK_OVERHEAD_BYTES = 64;

/** Write errors after which writing goes on with the next chunk: the disk may get room again. */
const TRANSIENT_ERRORS: ReadonlySet<string> = new Set(["ENOSPC", "EDQUOT", "EFBIG", "EIO"]);

function isTransient(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && TRANSIENT_ERRORS.has(code);
}

/**
 * Memory a block of `chars` characters takes as a flat JavaScript string:
 * one byte a character when all of it is ASCII, two otherwise (V8 keeps only
 * Latin-1 text one byte a character, and one wider character makes the
 * whole string two), plus its header.
 */
function charge(chars: number, ascii: boolean): number {
  return BLOCK_OVERHEAD_BYTES + (ascii ? chars : 2 * chars);
}

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

export const DEFAULT_CHUNK_BYTES = 64 * KIB;

interface Chunk {
  readonly parts: string[];
  /** UTF-8 bytes of the text. */
  bytes: number;
  /** Memory charged for it. */
  charged: number;
  lines: number;
}

function emptyChunk(): Chunk {
  return { parts: [], bytes: 0, charged: 0, lines: 0 };
}

export class OutputWriter {
  readonly #stream: LineStream;
  readonly #maxPendingBytes: number;
  readonly #chunkBytes: number;
  readonly #format: ((line: string) => string) | undefined;
  readonly #schedule: (callback: () => void) => void;
  readonly #onError: ((error: Error) => void) | undefined;
  /** Sealed chunks not yet handed to the stream. */
  readonly #queue: Chunk[] = [];
  /** Chunks handed to the stream whose write callback has not run. */
  readonly #inFlight: Chunk[] = [];
  #current: Chunk = emptyChunk();
  /** Bytes in #queue and #current. */
  #pendingBytes = 0;
  /** Memory charged for #queue and #current: the bounded part. */
  #pendingCharge = 0;
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
    return this.#pendingBytes + this.#inFlightBytes;
  }

  /** Memory charged for the lines waiting in the queue: what `maxPendingBytes` bounds. */
  get pendingCharge(): number {
    return this.#pendingCharge;
  }

  /** Accepts lines (without newline) for output, in order. */
  writeLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.#failed || this.#ended) {
      this.#dropped += lines.length;
      return;
    }
    const format = this.#format;
    if (format === undefined && this.#appendAll(lines)) {
      this.#scheduleFlush();
      return;
    }
    const kept: string[] = [];
    let chars = 0;
    for (const line of lines) {
      const text = format === undefined ? line : format(line);
      // Checked as ASCII; a block that is not is charged double once joined.
      const after = charge(chars + text.length + 1, true);
      const held = this.#current.lines + this.#queue.length + kept.length;
      if (this.#pendingCharge + after > this.#maxPendingBytes && held > 0) {
        this.#dropped += 1;
        continue;
      }
      kept.push(text);
      chars += text.length + 1;
    }
    if (kept.length === 0) return;
    // Joined with an empty last element: always a new flat string, even for one line.
    kept.push("");
    const block = kept.join("\n");
    const bytes = Buffer.byteLength(block);
    this.#append(block, kept.length - 1, bytes, charge(chars, bytes === chars));
    this.#scheduleFlush();
  }

  /** The usual case, all the lines fit: one join, no look at each line. False when they do not. */
  #appendAll(lines: readonly string[]): boolean {
    // Joined with an empty last element: always a new flat string, even for one line.
    const block = [...lines, ""].join("\n");
    const bytes = Buffer.byteLength(block);
    const charged = charge(block.length, bytes === block.length);
    if (this.#pendingCharge + charged > this.#maxPendingBytes) return false;
    this.#append(block, lines.length, bytes, charged);
    return true;
  }

  #scheduleFlush(): void {
    if (!this.#scheduled && this.#current.lines > 0) {
      this.#scheduled = true;
      this.#schedule(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  #append(block: string, lines: number, bytes: number, charged: number): void {
    const current = this.#current;
    current.parts.push(block);
    current.bytes += bytes;
    current.charged += charged;
    current.lines += lines;
    this.#pendingBytes += bytes;
    this.#pendingCharge += charged;
    if (current.bytes >= this.#chunkBytes) {
      this.#seal();
      this.#pump();
    }
  }

  #seal(): void {
    if (this.#current.lines === 0) return;
    this.#queue.push(this.#current);
    this.#current = emptyChunk();
  }

  /** Writes what is gathered now (or queues it while the stream is slow). */
  flush(): void {
    if (this.#failed) return;
    this.#seal();
    this.#pump();
  }

  #pump(): void {
    while (!this.#blocked && !this.#failed) {
      const chunk = this.#queue.shift();
      if (chunk === undefined) return;
      this.#pendingBytes -= chunk.bytes;
      this.#pendingCharge -= chunk.charged;
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
          this.#seal();
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
    this.#seal();
    for (const chunk of this.#queue) this.#dropped += chunk.lines;
    this.#queue.length = 0;
    this.#pendingBytes = 0;
    this.#pendingCharge = 0;
    this.#onError?.(error);
    this.#checkIdle();
  }

  #isIdle(): boolean {
    if (this.#failed) return this.#inFlight.length === 0;
    return this.#queue.length === 0 && this.#current.lines === 0 && this.#inFlight.length === 0;
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
    this.#seal();
    for (const chunk of this.#queue) this.#dropped += chunk.lines;
    this.#queue.length = 0;
    this.#pendingBytes = 0;
    this.#pendingCharge = 0;
    try {
      this.#stream.abort?.();
    } catch {
      // Counted below all the same.
    }
    for (const chunk of this.#inFlight) this.#dropped += chunk.lines;
    this.#inFlight.length = 0;
    this.#inFlightBytes = 0;
  }
}
