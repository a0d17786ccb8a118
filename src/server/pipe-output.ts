/** stdout as a pipe or a socket: see fd-output.ts. */
import { EventEmitter } from "node:events";
import { writeSync } from "node:fs";
import { Socket } from "node:net";
import { abortedError, encode, linesIn, pieces } from "./line-pieces.js";
import type { LineStream, WriteCallback } from "./line-stream.js";

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
