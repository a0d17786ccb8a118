/**
 * Output to a file descriptor (the server's stdout) with exact accounting:
 * every line is either written whole or not at all, and each write says how
 * many of its lines were written.
 *
 * - A regular file (or a character device) is written synchronously, short
 *   writes continued. When a write fails part way (ENOSPC on a full disk),
 *   the file is truncated back to the end of the last whole line, and the
 *   lines before it count as written.
 * - A pipe or socket is written in pieces of whole lines of at most PIPE_BUF
 *   bytes, one piece at a time, each with one non-blocking write(2) (through
 *   a stream that waits for the reader when the pipe is full): the kernel
 *   writes such a piece whole or not at all, so a reader that stops never
 *   leaves a line cut, and `abort()` (at shutdown) cancels the piece still
 *   waiting, so nothing reaches the reader after it was counted dropped. A
 *   single line longer than PIPE_BUF cannot be written atomically; it is
 *   still written in order, and counted written only once all of it is.
 * - A terminal is left to the caller's stream (`openFdOutput` answers
 *   undefined).
 */
import { EventEmitter } from "node:events";
import { fstatSync, ftruncateSync, writeSync } from "node:fs";
import { Socket } from "node:net";
import { isatty } from "node:tty";
import type { LineStream, WriteCallback } from "./output.js";

/** Bytes the kernel writes to a pipe whole or not at all (Linux, POSIX minimum 512). */
export const PIPE_BUF = 4096;

const NEWLINE = 0x0a;

/** Newlines in `buffer[0, end)`: the lines written when `end` bytes were. */
export function linesIn(buffer: Uint8Array, end: number): number {
  let count = 0;
  for (let i = buffer.indexOf(NEWLINE); i >= 0 && i < end; i = buffer.indexOf(NEWLINE, i + 1)) {
    count++;
  }
  return count;
}

/**
 * Cuts `buffer` (whole lines) into pieces of at most `limit` bytes, each
 * ending at a line's end; a line longer than `limit` is a piece of its own.
 */
export function pieces(buffer: Buffer, limit: number = PIPE_BUF): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < buffer.length) {
    let end = start;
    for (;;) {
      const nl = buffer.indexOf(NEWLINE, end);
      const next = nl < 0 ? buffer.length : nl + 1;
      if (next - start > limit && end > start) break;
      end = next;
      if (end - start >= limit || end === buffer.length) break;
    }
    out.push(buffer.subarray(start, end));
    start = end;
  }
  return out;
}

/** UTF-8 bytes of `text`; ASCII, the usual case, is copied as Latin-1, which is much faster. */
function encode(text: string): Buffer {
  return Buffer.byteLength(text) === text.length
    ? Buffer.from(text, "latin1")
    : Buffer.from(text, "utf8");
}

function abortedError(): Error {
  return Object.assign(new Error("output aborted at shutdown"), { code: "ABORTED" });
}

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

interface Pending {
  readonly buffer: Buffer;
  readonly callback: WriteCallback | undefined;
}

/** The chunk being written: its pieces and the lines of those written so far. */
interface InProgress {
  readonly pending: Pending;
  readonly pieces: Buffer[];
  next: number;
  lines: number;
}

/**
 * A pipe or socket, written through a non-blocking stream in atomic pieces,
 * one piece at a time; `write` returns false while a chunk is in progress,
 * and 'drain' follows once none is.
 */
export class PipeOutput extends EventEmitter implements LineStream {
  readonly #fd: number;
  readonly #socket: Socket;
  readonly #queue: Pending[] = [];
  #current: InProgress | undefined;
  #failure: Error | undefined;
  #aborted = false;

  constructor(fd: number) {
    super();
    this.#fd = fd;
    // Also sets the fd non-blocking, so a write(2) to a full pipe answers EAGAIN.
    this.#socket = new Socket({ fd, readable: false, writable: true });
    this.#socket.on("error", (error) => {
      if (this.#aborted) return;
      this.#failure ??= error;
      this.emit("error", error);
    });
  }

  write(chunk: string, callback?: WriteCallback): boolean {
    const pending = { buffer: encode(chunk), callback };
    if (this.#aborted || this.#failure !== undefined) {
      callback?.(this.#failure ?? abortedError(), 0);
      return true;
    }
    this.#queue.push(pending);
    if (this.#current === undefined) this.#start();
    return this.#current === undefined;
  }

  /**
   * Answers every chunk not written, now, with the lines it did write, and
   * closes the stream: the piece still waiting for the reader is cancelled,
   * never written.
   */
  abort(): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#finish(abortedError());
    for (const pending of this.#queue.splice(0)) pending.callback?.(abortedError(), 0);
    this.#socket.destroy();
  }

  #start(): void {
    const pending = this.#queue.shift();
    if (pending === undefined) return;
    this.#current = { pending, pieces: pieces(pending.buffer), next: 0, lines: 0 };
    this.#writePiece();
  }

  /**
   * Writes the pieces of the chunk in progress, each with one write(2)
   * straight away while the pipe has room; when it has none (EAGAIN), that
   * piece goes through the stream, which waits for the reader, and the rest
   * follow once it is written.
   */
  #writePiece(): void {
    const current = this.#current;
    if (current === undefined) return;
    for (;;) {
      const piece = current.pieces[current.next];
      if (piece === undefined) {
        this.#finish(undefined);
        return;
      }
      let written: number;
      try {
        written = writeSync(this.#fd, piece);
      } catch (error) {
        if ((error as { code?: unknown }).code === "EAGAIN") this.#writeWhenReady(current, piece);
        else this.#finish(error as Error);
        return;
      }
      if (written < piece.length) {
        // Only one line longer than PIPE_BUF is written in part; the rest of it follows.
        current.pieces[current.next] = piece.subarray(written);
        continue;
      }
      current.lines += linesIn(piece, piece.length);
      current.next++;
    }
  }

  #writeWhenReady(current: InProgress, piece: Buffer): void {
    this.#socket.write(piece, (error) => {
      if (this.#current !== current) return;
      if (error) {
        this.#finish(error);
        return;
      }
      current.lines += linesIn(piece, piece.length);
      current.next++;
      this.#writePiece();
    });
  }

  /** Answers the chunk in progress; then starts the next, or says 'drain'. */
  #finish(error: Error | undefined): void {
    const current = this.#current;
    if (current === undefined) return;
    this.#current = undefined;
    current.pending.callback?.(error ?? null, current.lines);
    if (this.#aborted) return;
    if (error !== undefined) {
      this.#failure ??= error;
      for (const pending of this.#queue.splice(0)) pending.callback?.(error, 0);
    }
    if (this.#queue.length > 0) this.#start();
    if (this.#current === undefined) this.emit("drain");
  }
}

/**
 * The output for `fd`: a FileOutput for a regular file or a character
 * device, a PipeOutput for a pipe or socket; undefined for a terminal or
 * when `fd` cannot be examined (the caller then writes through its stream).
 */
export function openFdOutput(fd: number): LineStream | undefined {
  try {
    if (isatty(fd)) return undefined;
    const stat = fstatSync(fd);
    if (stat.isFile() || stat.isCharacterDevice()) return new FileOutput(fd, stat.isFile());
    if (stat.isFIFO() || stat.isSocket()) return new PipeOutput(fd);
  } catch {
    // Not open, or not examinable: the caller's stream it is.
  }
  return undefined;
}
