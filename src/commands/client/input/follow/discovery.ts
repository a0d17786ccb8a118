/**
 * Finding the files to follow: the patterns expanded (literal paths at every
 * look, wildcards every GLOB_RESCAN_MS), each regular file found stat()ed,
 * and a file not followed yet opened while there is room (else it waits).
 * Where a new file starts: at the offset its state record gives, when the
 * record's device, inode and fingerprint all match; else at its start; or at
 * its end, for a file already there at start with `readFrom: "tail"`.
 */
import type { BigIntStats } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import type { Time } from "../../../../foundation/time.js";
import { type LineStats, noLineStats } from "../lines.js";
import { type CompiledGlob, compileGlob, expandGlob } from "./glob.js";
import { checkFingerprint, type FileId, idKey, readHead } from "./identity.js";
import type { StateRecord } from "./state-store.js";
import type { TailedFile } from "./tailed-file.js";

/** Patterns with wildcards are listed again this often. */
export const GLOB_RESCAN_MS = 1000;

/** The `input` counters of a follow run. */
export interface FollowStats extends LineStats {
  /** Distinct files followed during the run. */
  files: number;
  /** Files renamed away from their path (rename-and-create rotation). */
  rotations: number;
  /** Files found shorter than read, or with other first bytes: read again from their start. */
  truncations: number;
  /** Files deleted while followed. */
  deleted: number;
}

/** The counters of following before any file was read. */
export function noFollowStats(): FollowStats {
  return { ...noLineStats(), files: 0, rotations: 0, truncations: 0, deleted: 0 };
}

/** A file just opened, and where to start reading it. */
export interface OpenedFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly id: FileId;
  readonly head: Buffer;
  readonly offset: number;
}

export interface DiscoveryOptions {
  /** Paths and patterns (glob.ts), relative to `cwd`. */
  readonly patterns: readonly string[];
  /** Descriptors open at once at most; further files wait their turn. */
  readonly maxOpenFiles: number;
  /** Where a file found at start and missing from the state is read from. */
  readonly readFrom: "head" | "tail";
  /** The state file's records. */
  readonly records: readonly StateRecord[];
  readonly time: Time;
  /** One stderr line (a file that cannot be read, a path not there yet). */
  readonly onNotice: (message: string) => void;
  readonly cwd?: string;
}

export class Discovery {
  readonly stats: FollowStats = noFollowStats();

  /** Files followed whose descriptor was let go for room; reopened in turn. */
  parked: TailedFile[] = [];
  private readonly globs: CompiledGlob[];
  /** Paths found but not opened for want of room; true when found at start. */
  private readonly pending = new Map<string, boolean>();
  private readonly records = new Map<string, StateRecord>();
  /** Paths already reported (not there yet, unreadable). */
  private readonly told = new Set<string>();
  private nextGlobAt = 0;
  private changed = false;

  constructor(
    private readonly options: DiscoveryOptions,
    private readonly adopt: (opened: OpenedFile) => void,
  ) {
    this.globs = options.patterns.map((pattern) => compileGlob(pattern, options.cwd));
    for (const record of options.records) this.records.set(idKey(record), record);
  }

  /** Files wait for a descriptor. */
  get waiting(): boolean {
    return this.parked.length > 0 || this.pending.size > 0;
  }

  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  /** State records not matched yet whose path still waits to be opened: kept in the state. */
  unmatchedRecords(): StateRecord[] {
    return [...this.records.values()].filter((record) => this.pending.has(record.path));
  }

  /** Expands the patterns and opens the files not followed yet, while `openCount()` leaves room. */
  async scan(
    atStart: boolean,
    followed: (path: string, id: FileId) => boolean,
    openCount: () => number,
  ): Promise<void> {
    const now = this.options.time.now();
    const globs = atStart || now >= this.nextGlobAt;
    if (globs) this.nextGlobAt = now + GLOB_RESCAN_MS;
    const waiting = [...this.pending];
    this.pending.clear();
    for (const [path, found] of waiting) await this.consider(path, found, followed, openCount);
    for (const glob of this.globs) {
      if (glob.segments.length > 0 && !globs) continue;
      for (const path of await expandGlob(glob)) {
        if (!this.pending.has(path)) await this.consider(path, atStart, followed, openCount);
      }
      if (glob.segments.length === 0 && atStart) await this.tellMissing(glob.base);
    }
  }

  private async consider(
    path: string,
    atStart: boolean,
    followed: (path: string, id: FileId) => boolean,
    openCount: () => number,
  ): Promise<void> {
    let stats: BigIntStats;
    try {
      stats = await stat(path, { bigint: true });
    } catch {
      return;
    }
    if (!stats.isFile()) {
      this.tellOnce(path, "not a regular file");
      return;
    }
    if (followed(path, stats)) return;
    if (openCount() >= this.options.maxOpenFiles) {
      this.pending.set(path, atStart);
      return;
    }
    const opened = await this.open(path, atStart);
    if (opened === undefined) return;
    if (followed(path, opened.id)) {
      await opened.handle.close();
      return;
    }
    this.stats.files++;
    this.changed = true;
    this.adopt(opened);
  }

  private async open(path: string, atStart: boolean): Promise<OpenedFile | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(path, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        this.tellOnce(path, (error as Error).message);
      }
      return undefined;
    }
    const stats = await handle.stat({ bigint: true });
    const id = { dev: stats.dev, ino: stats.ino };
    const head = await readHead(handle);
    return {
      path,
      handle,
      id,
      head,
      offset: this.startOffset(id, head, Number(stats.size), atStart),
    };
  }

  private startOffset(id: FileId, head: Buffer, size: number, atStart: boolean): number {
    const key = idKey(id);
    const record = this.records.get(key);
    if (record !== undefined) {
      this.records.delete(key);
      if (checkFingerprint(record.fingerprint, head).same) {
        if (record.offset <= size) return record.offset;
        this.stats.truncations++;
        return 0;
      }
    }
    return atStart && this.options.readFrom === "tail" ? size : 0;
  }

  /** One line, once per path, for a file that cannot be followed; counted as unreadable. */
  private tellOnce(path: string, why: string): void {
    if (this.told.has(path)) return;
    this.told.add(path);
    this.stats.unreadable++;
    this.options.onNotice(`cannot read ${path}: ${why}`);
  }

  /** At start, one line for a literal path that is not there yet (it is followed once it is). */
  private async tellMissing(path: string): Promise<void> {
    try {
      await stat(path);
    } catch {
      if (!this.told.has(path)) {
        this.told.add(path);
        this.options.onNotice(`${path} does not exist yet; it is followed once it does`);
      }
    }
  }
}
