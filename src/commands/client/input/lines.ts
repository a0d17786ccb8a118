/**
 * Input lines from a sequence of sources (files in order, `-` for stdin),
 * read with backpressure: a chunk is read only when the consumer asks for more
 * lines, so memory stays bounded whatever the input size or speed. Lines are
 * split as LineSplitter (src/commands/client/input/line-splitter.ts) says, each source on
 * its own (a byte order mark is dropped at the start of each).
 */
import { open as openFile } from "node:fs/promises";
import { LineSplitter } from "./line-splitter.js";

export { LineSplitter } from "./line-splitter.js";

/** What a source yields: byte chunks (or strings, from a stream with an encoding set). */
export type ByteStream = AsyncIterable<Uint8Array | string>;

/** Opens one source by name; `-` means stdin. Rejects when it cannot be opened. */
export type SourceOpener = (source: string) => Promise<ByteStream>;

export interface LineReaderOptions {
  /** Longest line kept whole, in bytes (without its CR LF). Longer lines are cut. */
  readonly maxLineBytes: number;
  readonly open: SourceOpener;
  /** A source that cannot be opened or read; reading goes on with the next source. */
  readonly onError: (source: string, error: unknown) => void;
}

export interface LineStats {
  /** Non-blank lines handed out. */
  lines: number;
  /** Lines longer than `maxLineBytes` whose end was discarded. */
  cut: number;
  /** Sources that could not be opened, or failed while being read. */
  unreadable: number;
}

/**
 * Default 512 KiB: a line longer than this is cut. Half the server's
 * default max payload, so the entry of the longest line still fits it.
 */
export const DEFAULT_MAX_LINE_BYTES = 512 * 1024;

/** The lines of the chunk just read, pulled one at a time. */
export interface ChunkLines {
  /** The next line; undefined once the chunk has no more. */
  next(): string | undefined;
  /** UTF-8 bytes of the line next() gave last (as LineSplitter.lineBytes). */
  readonly bytes: number;
  /**
   * The line next() gave last holds nothing JSON escapes (LineSplitter.plain);
   * false or absent when not known.
   */
  readonly plain?: boolean;
  /** The followed file the lines come from (`--follow`); undefined for other sources. */
  readonly source?: LineSource | undefined;
  /** With a source: the byte offset just past the line next() gave last (its LF included). */
  readonly endOffset?: number | undefined;
}

/**
 * A followed file as its lines name it: one object per reading of one file
 * (a truncated file is read again as a new source), so it can key what a
 * consumer keeps per file. Once the entry of a line is logged, the consumer
 * calls logged() with the line's end offset (a joiner of several lines, with
 * the last one's): offsets logged are committed to the state file once the
 * shipper has sent everything logged before them.
 */
export interface LineSource {
  readonly path: string;
  /** Every line of the source ending at or before `endOffset` has its entry logged. */
  logged(endOffset: number): void;
}

/** A splitter's lines, counted as they are handed out. */
class CountedLines implements ChunkLines {
  /** next() gave undefined since the last chunk was fed. */
  used = false;

  constructor(
    private readonly splitter: LineSplitter,
    private readonly stats: LineStats,
  ) {}

  get bytes(): number {
    return this.splitter.lineBytes;
  }

  get plain(): boolean {
    return this.splitter.plain;
  }

  next(): string | undefined {
    const line = this.splitter.next();
    if (line === undefined) this.used = true;
    else this.stats.lines++;
    return line;
  }
}

/** The counters of lines before any was read. */
export function noLineStats(): LineStats {
  return { lines: 0, cut: 0, unreadable: 0 };
}

/** Lines of several sources in order, with backpressure; see the module comment. */
export class LineReader implements AsyncIterable<string> {
  readonly stats: LineStats = noLineStats();
  private closed = false;
  private current: ByteStream | undefined;

  constructor(
    private readonly sources: readonly string[],
    private readonly options: LineReaderOptions,
  ) {}

  /** Stops reading: the current source is destroyed and iteration ends. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const destroy = (this.current as { destroy?: unknown } | undefined)?.destroy;
    if (typeof destroy === "function") destroy.call(this.current);
  }

  /**
   * The lines chunk by chunk: a consumer takes a chunk's lines with next()
   * synchronously, and asks for the next chunk once next() gives undefined
   * (asked earlier, it gets the same lines back). A line counts in
   * `stats.lines` when next() hands it out.
   */
  async *chunks(): AsyncGenerator<ChunkLines, void, undefined> {
    for (const source of this.sources) {
      if (this.closed) return;
      let stream: ByteStream;
      try {
        stream = await this.options.open(source);
      } catch (error) {
        this.fail(source, error);
        continue;
      }
      if (this.closed) return;
      this.current = stream;
      yield* this.readSource(source, stream);
      this.current = undefined;
    }
  }

  /** The lines one by one; each counts in `stats.lines` when it is handed out. */
  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    for await (const lines of this.chunks()) {
      for (let line = lines.next(); line !== undefined; line = lines.next()) yield line;
    }
  }

  private async *readSource(source: string, stream: ByteStream): AsyncGenerator<ChunkLines> {
    const splitter = new LineSplitter(this.options.maxLineBytes);
    const lines = new CountedLines(splitter, this.stats);
    try {
      for await (const chunk of stream) {
        splitter.feed(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
        if (!(yield* this.handOut(lines))) return;
      }
      if (splitter.finish()) yield* this.handOut(lines);
    } catch (error) {
      if (!this.closed) this.fail(source, error);
    } finally {
      this.stats.cut += splitter.cut;
    }
  }

  /** Yields `lines` until they are used up; false when the reader was closed meanwhile. */
  private *handOut(lines: CountedLines): Generator<ChunkLines, boolean> {
    lines.used = false;
    do {
      yield lines;
      if (this.closed) return false;
    } while (!lines.used);
    return true;
  }

  private fail(source: string, error: unknown): void {
    this.stats.unreadable++;
    this.options.onError(source, error);
  }
}

/** The default opener: `-` is `stdin`; anything else is a file path. */
export function sourceOpener(stdin: ByteStream): SourceOpener {
  return async (source) => {
    if (source === "-") return stdin;
    const handle = await openFile(source, "r");
    return handle.createReadStream();
  };
}
