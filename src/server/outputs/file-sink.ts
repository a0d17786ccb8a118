/**
 * `file:PATH`: entries appended as NDJSON lines. The file is rotated
 * (file-rotation.ts) before a write that would take it past `maxBytes`, and
 * before the first write once it has been open `maxAgeMs`; a batch is cut at
 * line ends between two files, so a line is never split (a single line
 * larger than `maxBytes` fills a file of its own). SIGHUP reopens the path
 * (logrotate). Every failure to open or write (a missing directory, no
 * permission, a full disk) is retryable: the batch waits, in the spool when
 * there is one, until the file can be written. A write that fails part way is
 * taken back to the last whole line, and the lines written are not written
 * again on the retry.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, writeSync } from "node:fs";
import type { Clock } from "../../foundation/time.js";
import { rotate } from "./file-rotation.js";
import type { DeliveryResult, OutputBatch, Sink } from "./types.js";

const NEWLINE = 0x0a;
const OK: DeliveryResult = Object.freeze({ ok: true });

export interface FileSinkOptions {
  readonly path: string;
  /** Rotate before the file passes this size; 0: never by size. */
  readonly maxBytes: number;
  /** Rotate once the file has been open this long; 0: never by age. */
  readonly maxAgeMs: number;
  /** Rotated files kept. */
  readonly keep: number;
  /** Compress rotated files (`PATH.1.gz`). */
  readonly gzip: boolean;
  readonly now: Clock;
}

/** The batch's lines, each ended by a line feed, joined in one string first. */
function joinedText(batch: OutputBatch): Buffer {
  const lines: string[] = [];
  for (const message of batch.messages) for (const entry of message.entries) lines.push(entry);
  lines.push("");
  return Buffer.from(lines.join("\n"), "utf8");
}

/**
 * Room past the batch's size: a string that does not fit whole always
 * writes past the size into it (a character is at most 4 bytes), so a
 * batch whose `bytes` is wrong is caught, never cut short.
 */
const SLACK_BYTES = 4;

/**
 * The batch's lines, each ended by a line feed: each message's entries
 * joined and written into one buffer of the batch's size, with no string of
 * the whole batch made. When the sizes do not add up, the lines are joined
 * whole instead.
 */
function text(batch: OutputBatch): Buffer {
  const size = batch.bytes + batch.entries;
  const buffer = Buffer.allocUnsafe(size + SLACK_BYTES);
  let at = 0;
  for (const message of batch.messages) {
    if (message.entries.length === 0) continue;
    at += buffer.write(message.entries.join("\n"), Math.min(at, size + SLACK_BYTES), "utf8");
    buffer[at++] = NEWLINE;
  }
  return at === size ? buffer.subarray(0, size) : joinedText(batch);
}

export class FileSink implements Sink {
  readonly name: string;
  readonly #o: FileSinkOptions;
  #fd: number | undefined;
  #size = 0;
  #openedAt = 0;
  /** Bytes of a batch already written when a later part of it failed. */
  readonly #done = new WeakMap<OutputBatch, number>();

  constructor(options: FileSinkOptions) {
    this.#o = options;
    this.name = `file:${options.path}`;
  }

  async deliver(batch: OutputBatch): Promise<DeliveryResult> {
    const buffer = text(batch);
    let offset = this.#done.get(batch) ?? 0;
    try {
      while (offset < buffer.length) {
        if (this.#ageDue()) await this.#rotate();
        const fd = this.#open();
        const end = this.#pieceEnd(buffer, offset);
        if (end === undefined) {
          await this.#rotate();
          continue;
        }
        this.#write(fd, buffer, offset, end);
        offset = end;
        this.#done.set(batch, offset);
      }
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      const written = (cause as { written?: unknown }).written;
      if (typeof written === "number") this.#done.set(batch, written);
      const code = (cause as { code?: unknown }).code;
      return {
        ok: false,
        retry: true,
        reason: typeof code === "string" ? code.toLowerCase() : "write",
        error: cause,
      };
    }
    this.#done.delete(batch);
    return OK;
  }

  /** Where the next write from `offset` ends: at a line end that fits; undefined: rotate first. */
  #pieceEnd(buffer: Buffer, offset: number): number | undefined {
    const max = this.#o.maxBytes;
    if (max <= 0 || this.#size + (buffer.length - offset) <= max) return buffer.length;
    const room = max - this.#size;
    const last = room > 0 ? buffer.lastIndexOf(NEWLINE, offset + room - 1) : -1;
    if (last >= offset) return last + 1;
    // Not one whole line fits: a new file, unless this one is empty (then the line goes whole).
    if (this.#size > 0) return undefined;
    return buffer.indexOf(NEWLINE, offset) + 1;
  }

  /** Writes `buffer[start, end)`; on failure, keeps whole lines only and says how far in `written`. */
  #write(fd: number, buffer: Buffer, start: number, end: number): void {
    let at = start;
    try {
      while (at < end) at += writeSync(fd, buffer, at, end - at);
    } catch (error) {
      const whole = at === start ? start : buffer.lastIndexOf(NEWLINE, at - 1) + 1;
      const kept = Math.max(start, whole);
      try {
        ftruncateSync(fd, this.#size + (kept - start));
      } catch {
        // The part of a line stays; the retry writes the line again after it.
      }
      this.#size += kept - start;
      throw Object.assign(error as Error, { written: kept });
    }
    this.#size += end - start;
  }

  #open(): number {
    if (this.#fd !== undefined) return this.#fd;
    const fd = openSync(this.#o.path, "a");
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
    this.#openedAt = this.#o.now();
    return fd;
  }

  #ageDue(): boolean {
    return (
      this.#o.maxAgeMs > 0 &&
      this.#fd !== undefined &&
      this.#size > 0 &&
      this.#o.now() - this.#openedAt >= this.#o.maxAgeMs
    );
  }

  async #rotate(): Promise<void> {
    this.#closeFd();
    await rotate(this.#o.path, this.#o.keep, this.#o.gzip);
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // Closed is closed.
    }
    this.#fd = undefined;
  }

  /** SIGHUP: the path is opened again at the next write (logrotate moved the file). */
  async reopen(): Promise<void> {
    this.#closeFd();
  }

  async close(): Promise<void> {
    this.#closeFd();
  }
}
