/**
 * Input lines from a sequence of sources (files in order, `-` for stdin),
 * read with backpressure: a chunk is read only when the consumer asks for more
 * lines, so memory stays bounded whatever the input size or speed.
 *
 * A line ends at LF; a CR before the LF is stripped; blank (white-space-only)
 * lines are skipped; invalid UTF-8 is replaced by U+FFFD; a UTF-8 byte order
 * mark at the start of a source is dropped; a last line without LF counts.
 * A line longer than `maxLineBytes` is cut: its first `maxLineBytes` bytes
 * (backed off to a whole code point) are kept as the line, the rest up to the
 * next LF is discarded and counted in `cut`. No more than `maxLineBytes` of
 * one line is ever held.
 */
import { open as openFile } from "node:fs/promises";

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

/** Default 1 MiB: a line longer than this is cut. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** Splits byte chunks into lines; pure and synchronous. */
export class LineSplitter {
  /** Lines cut so far. */
  cut = 0;
  private readonly limit: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line passed the limit; bytes up to the next LF are discarded. */
  private cutting = false;
  private atStart = true;

  /** `maxLineBytes` excludes the line's CR LF. */
  constructor(private readonly maxLineBytes: number) {
    // One more byte than the limit, so a line of exactly the limit plus CR is whole.
    this.limit = maxLineBytes + 1;
  }

  /** Bytes of the current unfinished line held now (at most maxLineBytes + 1). */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /** Appends the complete non-blank lines found in `chunk` to `out`. */
  push(chunk: Uint8Array, out: string[]): void {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.atStart && bytes.length > 0) bytes = this.dropBom(bytes);
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(LF, start);
      if (end === -1) {
        this.hold(bytes.subarray(start));
        return;
      }
      this.finish(bytes.subarray(start, end), out);
      start = end + 1;
    }
  }

  /** Flushes an unterminated last line into `out`. */
  end(out: string[]): void {
    if (this.pendingBytes > 0 || this.cutting) this.finish(Buffer.alloc(0), out);
  }

  private dropBom(bytes: Buffer): Buffer {
    // A BOM split across chunks is not worth the bookkeeping: only a whole one is dropped.
    this.atStart = false;
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return bom ? bytes.subarray(3) : bytes;
  }

  private hold(part: Buffer): void {
    if (this.cutting || part.length === 0) return;
    const room = this.limit - this.pendingBytes;
    if (part.length > room) {
      this.cutting = true;
      part = part.subarray(0, room);
    }
    // Copied: the chunk may be reused by its producer once we return.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
  }

  private finish(last: Buffer, out: string[]): void {
    let line: Buffer;
    if (this.pendingBytes === 0 && !this.cutting) {
      line = last;
    } else {
      this.hold(last);
      line = Buffer.concat(this.pending, this.pendingBytes);
    }
    const wasCut = this.cutting;
    this.pending = [];
    this.pendingBytes = 0;
    this.cutting = false;
    let length = line.length;
    if (length > 0 && line[length - 1] === CR) length--;
    if (length > this.maxLineBytes || wasCut) {
      this.cut++;
      length = codePointBoundary(line, Math.min(length, this.maxLineBytes));
    }
    const text = line.toString("utf8", 0, length);
    if (!isBlank(text)) out.push(text);
  }
}

/** The largest end <= `end` that does not split a UTF-8 sequence. */
function codePointBoundary(bytes: Buffer, end: number): number {
  let at = end;
  // bytes[at] is the first byte left out; a continuation byte there means a split sequence.
  while (at > 0 && end - at < 3 && ((bytes[at] ?? 0) & 0xc0) === 0x80) at--;
  return ((bytes[at] ?? 0) & 0xc0) === 0x80 ? end : at;
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  if (text.charCodeAt(0) > 0x20) return false;
  return text.trim() === "";
}

/** Lines of several sources in order, with backpressure; see the module comment. */
export class LineReader implements AsyncIterable<string> {
  readonly stats: LineStats = { lines: 0, cut: 0, unreadable: 0 };
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
   * The lines read, one array per chunk read: a consumer loops over each
   * array synchronously and asks for the next when it wants more. The lines
   * of an array count in `stats.lines` when it is handed out.
   */
  async *chunks(): AsyncGenerator<string[], void, undefined> {
    for await (const lines of this.readAll()) {
      this.stats.lines += lines.length;
      yield lines;
    }
  }

  /** The lines one by one; each counts in `stats.lines` when it is handed out. */
  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    for await (const lines of this.readAll()) {
      for (const line of lines) {
        this.stats.lines++;
        yield line;
      }
    }
  }

  private async *readAll(): AsyncGenerator<string[], void, undefined> {
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

  private async *readSource(source: string, stream: ByteStream): AsyncGenerator<string[]> {
    const splitter = new LineSplitter(this.options.maxLineBytes);
    try {
      for await (const chunk of stream) {
        const lines: string[] = [];
        splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, lines);
        if (lines.length > 0) yield lines;
        if (this.closed) return;
      }
      const last: string[] = [];
      splitter.end(last);
      if (last.length > 0) yield last;
    } catch (error) {
      if (!this.closed) this.fail(source, error);
    } finally {
      this.stats.cut += splitter.cut;
    }
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
