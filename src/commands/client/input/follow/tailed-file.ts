/**
 * One followed file: its open descriptor, how far it was read, its lines
 * (each knowing the byte offset just past it), and how far its lines were
 * logged and committed. Reading uses positioned reads, one bounded chunk at a
 * time, into a buffer the caller lends (shared by every file: a chunk's lines
 * are all handed out before the next chunk is read).
 */
import type { BigIntStats } from "node:fs";
import { type FileHandle, stat } from "node:fs/promises";
import { ERROR_CODES, ShipperError } from "../../../../foundation/errors.js";
import { LineSplitter } from "../line-splitter.js";
import type { ChunkLines, LineSource, LineStats } from "../lines.js";
import { checkFingerprint, type FileId, type Fingerprint, idKey, readHead } from "./identity.js";
import type { Observation } from "./rotation.js";
import type { StateRecord } from "./state-store.js";

/**
 * One reading of a file from a start offset: the source its lines name. A
 * truncated file starts a new reading, so what was logged of the old content
 * is never committed as an offset into the new one.
 */
export class Reading implements LineSource {
  /** End offset of the last line whose entry was logged. */
  loggedTo: number;

  constructor(
    private readonly file: TailedFile,
    readonly startOffset: number,
  ) {
    this.loggedTo = startOffset;
  }

  get path(): string {
    return this.file.path;
  }

  logged(endOffset: number): void {
    if (endOffset > this.loggedTo) this.loggedTo = endOffset;
  }

  /** Commits `offset` when this is still the file's reading; true when the committed offset moved. */
  commit(offset: number): boolean {
    if (this.file.reading !== this || offset <= this.file.committed) return false;
    this.file.committed = offset;
    return true;
  }
}

/** A chunk's lines with their end offsets; one per file, reused chunk after chunk. */
export class FileLines implements ChunkLines {
  /** next() gave undefined since the last chunk was fed. */
  used = false;
  /** File offset of the chunk fed last. */
  chunkStart = 0;
  /** The line next() gives is the unterminated last one, ending at the end of what was read. */
  last = false;
  endOffset = 0;

  constructor(
    private readonly file: TailedFile,
    private readonly splitter: LineSplitter,
    private readonly stats: LineStats,
  ) {}

  get source(): Reading {
    return this.file.reading;
  }

  get bytes(): number {
    return this.splitter.lineBytes;
  }

  get plain(): boolean {
    return this.splitter.plain;
  }

  next(): string | undefined {
    const line = this.splitter.next();
    if (line === undefined) {
      this.used = true;
      return undefined;
    }
    this.stats.lines++;
    this.endOffset = this.last ? this.file.readOffset : this.chunkStart + this.splitter.consumed;
    this.file.lineEnd = this.endOffset;
    return line;
  }
}

export interface TailedFileOptions {
  readonly maxLineBytes: number;
  readonly stats: LineStats;
  /** Monotonic ms now. */
  readonly nowMs: number;
}

export class TailedFile {
  readonly key: string;
  /** Bytes read (fed to the splitter) so far. */
  readOffset: number;
  /** End offset of the last line handed out: where reading resumes after the descriptor is let go. */
  lineEnd: number;
  /** Offset recorded in the state file. */
  committed: number;
  reading: Reading;
  detached = false;
  /** The last read found no more bytes; cleared when the file grows. */
  atEnd = false;
  grewAtMs: number;
  /** A rotated file at the same path that is read to its end first. */
  waitsFor: TailedFile | undefined;
  private splitter: LineSplitter;
  private lines: FileLines;
  private lastSize = -1;

  constructor(
    public path: string,
    readonly id: FileId,
    public fingerprint: Fingerprint,
    private handle: FileHandle | undefined,
    offset: number,
    private readonly options: TailedFileOptions,
  ) {
    this.key = idKey(id);
    this.readOffset = offset;
    this.lineEnd = offset;
    this.committed = offset;
    this.grewAtMs = options.nowMs;
    this.reading = new Reading(this, offset);
    this.splitter = new LineSplitter(options.maxLineBytes, offset === 0);
    this.lines = new FileLines(this, this.splitter, options.stats);
  }

  get open(): boolean {
    return this.handle !== undefined;
  }

  /** The file's last bytes read are a line not ended yet (no LF), held back. */
  get holdsPartialLine(): boolean {
    return this.splitter.heldBytes > 0;
  }

  /** Reads the next chunk into `buffer`; its lines, or undefined at the current end of the file. */
  async read(buffer: Buffer): Promise<FileLines | undefined> {
    if (this.handle === undefined) return undefined;
    const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.readOffset);
    if (bytesRead === 0) {
      this.atEnd = true;
      return undefined;
    }
    this.lines.chunkStart = this.readOffset;
    this.lines.used = false;
    this.readOffset += bytesRead;
    this.splitter.feed(buffer.subarray(0, bytesRead));
    return this.lines;
  }

  /** The unterminated last line, when the file is let go for good; undefined when there is none. */
  finishLines(): FileLines | undefined {
    if (!this.splitter.finish()) return undefined;
    this.lines.last = true;
    this.lines.used = false;
    return this.lines;
  }

  /** Reads the file again from `offset` (0 after a truncation): a new reading. */
  restart(offset: number): void {
    this.options.stats.cut += this.splitter.cut;
    this.readOffset = offset;
    this.lineEnd = offset;
    this.committed = offset;
    this.atEnd = false;
    this.lastSize = -1;
    this.reading = new Reading(this, offset);
    this.splitter = new LineSplitter(this.options.maxLineBytes, offset === 0);
    this.lines = new FileLines(this, this.splitter, this.options.stats);
  }

  /** What the file looks like now; the fingerprint is checked (and extended) when the size changed. */
  async look(): Promise<Observation> {
    const handle = this.handle;
    if (handle === undefined) {
      throw new ShipperError(ERROR_CODES.INTERNAL, `look() at ${this.path}, which is not open`);
    }
    const stats = await handle.stat({ bigint: true });
    const size = Number(stats.size);
    let sameStart: boolean | undefined;
    if (size !== this.lastSize) {
      const check = checkFingerprint(this.fingerprint, await readHead(handle));
      sameStart = check.same;
      if (check.same) this.fingerprint = check.fingerprint;
      this.lastSize = size;
    }
    const path = this.detached ? "other" : await pathNames(this.path, this.id);
    return { size, links: Number(stats.nlink), path, sameStart };
  }

  /** After a truncation: the fingerprint of the new content. */
  async refingerprint(): Promise<void> {
    if (this.handle === undefined) return;
    this.fingerprint = checkFingerprint(
      { hash: "", bytes: 0 },
      await readHead(this.handle),
    ).fingerprint;
  }

  /** Closes the descriptor; reading resumes at the end of the last line handed out on reopen(). */
  async release(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (this.readOffset !== this.lineEnd) {
      this.options.stats.cut += this.splitter.cut;
      this.readOffset = this.lineEnd;
      this.splitter = new LineSplitter(this.options.maxLineBytes, this.lineEnd === 0);
      this.lines = new FileLines(this, this.splitter, this.options.stats);
    }
    await handle?.close();
  }

  reopen(handle: FileHandle, nowMs: number): void {
    this.handle = handle;
    this.atEnd = false;
    this.lastSize = -1;
    this.grewAtMs = nowMs;
  }

  /** Lets the file go for good: closes the descriptor and counts its cut lines. */
  async dispose(): Promise<void> {
    this.options.stats.cut += this.splitter.cut;
    this.splitter = new LineSplitter(this.options.maxLineBytes, false);
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  record(): StateRecord {
    const { path, id, fingerprint, committed } = this;
    return { path, dev: id.dev, ino: id.ino, fingerprint, offset: committed };
  }
}

/** Whether `path` still names the file `id`. */
export async function pathNames(path: string, id: FileId): Promise<Observation["path"]> {
  let stats: BigIntStats;
  try {
    stats = await stat(path, { bigint: true });
  } catch {
    return "missing";
  }
  return stats.dev === id.dev && stats.ino === id.ino ? "same" : "other";
}
