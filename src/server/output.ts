/**
 * Line output with coalesced writes and bounded memory.
 *
 * Lines are gathered into chunks of about `chunkBytes` and written once per
 * chunk (or once per event-loop turn, whichever comes first). When the
 * stream's `write()` returns false, chunks wait in a queue until 'drain'; the
 * queue holds at most `maxPendingBytes`, and lines past that bound are
 * dropped and counted, never held. Order is kept: a line is written only
 * after every line accepted before it.
 */

/** The part of a writable stream the writer uses (process.stdout fits). */
export interface LineStream {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  once(event: "drain", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
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

/** The timeout functions end() uses, injectable so tests move time by hand. */
export interface TimeoutTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const globalTimeouts: TimeoutTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const DEFAULT_MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

interface Chunk {
  readonly parts: string[];
  bytes: number;
  lines: number;
}

function emptyChunk(): Chunk {
  return { parts: [], bytes: 0, lines: 0 };
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
  /** Bytes in #queue and #current: the bounded part. */
  #pendingBytes = 0;
  #inFlightBytes = 0;
  #blocked = false;
  #scheduled = false;
  #failed = false;
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
    if (!(this.#maxPendingBytes >= 0)) throw new RangeError("maxPendingBytes must be >= 0");
    if (!(this.#chunkBytes >= 1)) throw new RangeError("chunkBytes must be >= 1");
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

  /** Accepts lines (without newline) for output, in order. */
  writeLines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    if (this.#failed || this.#ended) {
      this.#dropped += lines.length;
      return;
    }
    const format = this.#format;
    for (const line of lines) {
      const text = `${format === undefined ? line : format(line)}\n`;
      const bytes = Buffer.byteLength(text);
      const held = this.#current.lines + this.#queue.length;
      if (this.#pendingBytes + bytes > this.#maxPendingBytes && held > 0) {
        this.#dropped += 1;
        continue;
      }
      this.#append(text, bytes);
    }
    if (!this.#scheduled && this.#current.lines > 0) {
      this.#scheduled = true;
      this.#schedule(() => {
        this.#scheduled = false;
        this.flush();
      });
    }
  }

  #append(text: string, bytes: number): void {
    const current = this.#current;
    current.parts.push(text);
    current.bytes += bytes;
    current.lines += 1;
    this.#pendingBytes += bytes;
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
      this.#inFlightBytes += chunk.bytes;
      this.#inFlight.push(chunk);
      const text = chunk.parts.length === 1 ? (chunk.parts[0] ?? "") : chunk.parts.join("");
      chunk.parts.length = 0;
      let ok: boolean;
      try {
        ok = this.#stream.write(text, (error) => this.#onWritten(chunk, error ?? undefined));
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

  #onWritten(chunk: Chunk, error: Error | undefined): void {
    const index = this.#inFlight.indexOf(chunk);
    if (index < 0) return;
    this.#inFlight.splice(index, 1);
    this.#inFlightBytes -= chunk.bytes;
    if (error !== undefined) {
      this.#dropped += chunk.lines;
      this.#fail(error);
    } else {
      this.#written += chunk.lines;
    }
    this.#checkIdle();
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#seal();
    for (const chunk of this.#queue) this.#dropped += chunk.lines;
    this.#queue.length = 0;
    this.#pendingBytes = 0;
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
  end(timeoutMs: number, timers: TimeoutTimers = globalTimeouts): Promise<boolean> {
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

  /** Counts every line not yet written as dropped and forgets it. */
  #abandon(): void {
    this.#seal();
    for (const chunk of [...this.#queue, ...this.#inFlight]) this.#dropped += chunk.lines;
    this.#queue.length = 0;
    this.#inFlight.length = 0;
    this.#pendingBytes = 0;
    this.#inFlightBytes = 0;
  }
}
