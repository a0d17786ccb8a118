/**
 * Byte chunks to lines, pure and synchronous. A line ends at LF; a CR before
 * the LF is stripped; blank (white-space-only) lines are skipped; invalid
 * UTF-8 is replaced by U+FFFD; a UTF-8 byte order mark at the start is
 * dropped; a last line without LF counts. A line longer than `maxLineBytes`
 * is cut: its first `maxLineBytes` bytes (backed off to a whole code point)
 * are kept as the line, the rest up to the next LF is discarded and counted
 * in `cut`. No more than `maxLineBytes` of one line is ever held.
 */
import { isAscii, isUtf8 } from "node:buffer";
import { firstEscaped } from "./json-escapes.js";

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits byte chunks into lines; pure and synchronous. Lines are pulled: feed()
 * a chunk, take its lines with next() until it gives undefined, then feed the
 * next chunk; finish() once the input has ended. The chunk is read in place
 * until next() gives undefined (its unfinished end is then copied), so no
 * array of lines is built. A chunk whose whole lines are ASCII is decoded
 * once, and its lines are slices of that text; that text is also searched
 * once, front to back, for what JSON escapes, so that a line can say it
 * holds none (`plain`) without being searched on its own.
 */
export class LineSplitter {
  /** Lines cut so far. */
  cut = 0;
  private readonly limit: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The current line passed the limit; bytes up to the next LF are discarded. */
  private cutting = false;
  private atStart = true;
  /** The chunk being split and where its next line starts. */
  private chunk: Buffer | undefined;
  private at = 0;
  /** The unterminated last line, once finish() found one. */
  private last: string | undefined;
  /** The chunk up to its last LF is valid UTF-8: a line's bytes there are its UTF-8 length. */
  private valid = false;
  /**
   * The chunk up to its last LF as text when it is all ASCII: one decoding
   * for the chunk, each line a slice of it. Undefined otherwise.
   */
  private text: string | undefined;
  private bytes = 0;
  /** Where in `text` the first character JSON escapes at or after the last search is; its length when none. */
  private escapedAt = -1;
  private escapeFree = false;
  /** Bytes dropped from the front of the chunk fed last (a byte order mark). */
  private skipped = 0;

  /**
   * `maxLineBytes` excludes the line's CR LF. `atStart` false: the input
   * starts mid-file, so no byte order mark is looked for.
   */
  constructor(
    private readonly maxLineBytes: number,
    atStart = true,
  ) {
    // One more byte than the limit, so a line of exactly the limit plus CR is whole.
    this.limit = maxLineBytes + 1;
    this.atStart = atStart;
  }

  /**
   * Bytes of the chunk fed last that are behind the line next() gave last
   * (its LF included): where that line ends in the chunk as it was fed.
   */
  get consumed(): number {
    return this.skipped + this.at;
  }

  /** Bytes of the current unfinished line held now (at most maxLineBytes + 1). */
  get heldBytes(): number {
    return this.pendingBytes;
  }

  /**
   * UTF-8 bytes of the line next() gave last: its text's, so the bytes of
   * invalid input count as the U+FFFD that replaced them.
   */
  get lineBytes(): number {
    return this.bytes;
  }

  /**
   * The line next() gave last holds nothing JSON.stringify escapes (a
   * quote, a backslash, a control character, a surrogate): its JSON string
   * is the line between quotes. False when not known.
   */
  get plain(): boolean {
    return this.escapeFree;
  }

  /** Starts on the next chunk; only once next() has given undefined. */
  feed(chunk: Uint8Array): void {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.skipped = 0;
    if (this.atStart && bytes.length > 0) {
      bytes = this.dropBom(bytes);
      this.skipped = chunk.byteLength - bytes.length;
    }
    this.chunk = bytes;
    this.at = 0;
    // One check for the chunk's whole lines saves measuring each line's text.
    const lastLf = bytes.lastIndexOf(LF);
    const lines = bytes.subarray(0, Math.max(0, lastLf));
    const ascii = lastLf > 0 && isAscii(lines);
    this.text = ascii ? lines.toString("latin1") : undefined;
    this.escapedAt = -1;
    this.valid = ascii || (lastLf > 0 && isUtf8(lines));
  }

  /** The input has ended: next() gives its unterminated last line, if any. True when there is one. */
  finish(): boolean {
    if (this.pendingBytes > 0 || this.cutting) this.last = this.lineOf(EMPTY, 0, 0);
    return this.last !== undefined;
  }

  /** The next complete non-blank line; undefined when the chunk fed has no more. */
  next(): string | undefined {
    const bytes = this.chunk;
    if (bytes === undefined) return this.takeLast();
    for (;;) {
      const start = this.at;
      const end = this.lineEnd(bytes, start);
      if (end === -1) {
        this.hold(bytes, start, bytes.length);
        this.chunk = undefined;
        this.text = undefined;
        return undefined;
      }
      this.at = end + 1;
      const line = this.lineOf(bytes, start, end);
      if (line !== undefined) return line;
    }
  }

  /** Where the LF after `start` is, -1 if none: sought in the chunk's ASCII text (up to its last LF) when there is one. */
  private lineEnd(bytes: Buffer, start: number): number {
    const text = this.text;
    if (text === undefined || start > text.length) return bytes.indexOf(LF, start);
    const end = text.indexOf("\n", start);
    return end === -1 ? text.length : end;
  }

  /** Appends the complete non-blank lines found in `chunk` to `out`. */
  push(chunk: Uint8Array, out: string[]): void {
    this.feed(chunk);
    for (let line = this.next(); line !== undefined; line = this.next()) out.push(line);
  }

  /** Flushes an unterminated last line into `out`. */
  end(out: string[]): void {
    if (this.finish()) out.push(this.takeLast() as string);
  }

  private takeLast(): string | undefined {
    const line = this.last;
    this.last = undefined;
    return line;
  }

  private dropBom(bytes: Buffer): Buffer {
    // A BOM split across chunks is not worth the bookkeeping: only a whole one is dropped.
    this.atStart = false;
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    return bom ? bytes.subarray(3) : bytes;
  }

  /** Keeps a copy of bytes[start, end), the part of a line not ended yet, up to the limit. */
  private hold(bytes: Buffer, start: number, end: number): void {
    if (this.cutting || end === start) return;
    const room = this.limit - this.pendingBytes;
    let to = end;
    if (end - start > room) {
      this.cutting = true;
      to = start + room;
    }
    // Copied: the chunk may be reused by its producer once the next one is asked for.
    this.pending.push(Buffer.from(bytes.subarray(start, to)));
    this.pendingBytes += to - start;
  }

  /** The line ending with bytes[start, end) (its LF excluded); undefined when blank. */
  private lineOf(bytes: Buffer, start: number, end: number): string | undefined {
    let line = bytes;
    let from = start;
    let to = end;
    let valid = this.valid;
    let decoded = this.text;
    if (this.pendingBytes > 0 || this.cutting) {
      this.hold(bytes, start, end);
      line = Buffer.concat(this.pending, this.pendingBytes);
      from = 0;
      to = line.length;
      valid = false;
      decoded = undefined;
    }
    const wasCut = this.cutting;
    this.pending = [];
    this.pendingBytes = 0;
    this.cutting = false;
    if (to > from && line[to - 1] === CR) to--;
    if (to - from > this.maxLineBytes || wasCut) {
      this.cut++;
      to = codePointBoundary(line, from, Math.min(to, from + this.maxLineBytes));
    }
    const text = decoded === undefined ? line.toString("utf8", from, to) : decoded.slice(from, to);
    if (isBlank(text)) return undefined;
    this.bytes = valid ? to - from : Buffer.byteLength(text);
    this.escapeFree = decoded !== undefined && this.escapedFrom(line, decoded, from) >= to;
    return text;
  }

  /** Where the first character JSON escapes at or after `from` is in the chunk's ASCII `text` (of `bytes`). */
  private escapedFrom(bytes: Buffer, text: string, from: number): number {
    if (this.escapedAt < from) this.escapedAt = firstEscaped(bytes, from, text.length);
    return this.escapedAt;
  }
}

const EMPTY = Buffer.alloc(0);

/** The largest end <= `end` (and > `start`) that does not split a UTF-8 sequence. */
function codePointBoundary(bytes: Buffer, start: number, end: number): number {
  let at = end;
  // bytes[at] is the first byte left out; a continuation byte there means a split sequence.
  while (at > start && end - at < 3 && ((bytes[at] ?? 0) & 0xc0) === 0x80) at--;
  return ((bytes[at] ?? 0) & 0xc0) === 0x80 ? end : at;
}

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  if (text.charCodeAt(0) > 0x20) return false;
  return text.trim() === "";
}
