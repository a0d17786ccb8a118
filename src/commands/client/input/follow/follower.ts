/**
 * `--follow`: every file the patterns match, read to its end and then
 * followed as it grows, through rotation and truncation (see rotation.ts),
 * with backpressure: a chunk is read only when the consumer asks for more
 * lines. Files take turns, one bounded chunk each, so a busy file does not
 * starve the others. Every `intervalMs` each open file is looked at (its
 * size, its path, its first bytes) and the literal paths are checked; the
 * patterns with wildcards are listed again every GLOB_RESCAN_MS. All of it
 * runs in the consumer's loop: nothing changes a file while its lines are
 * being handed out.
 */
import type { TimerHandle } from "../../../../foundation/time.js";
import type { ChunkLines } from "../lines.js";
import {
  Discovery,
  type DiscoveryOptions,
  type FollowStats,
  type OpenedFile,
} from "./discovery.js";
import { type FileId, fingerprintOf, idKey } from "./identity.js";
import { OpenFiles, reopen } from "./open-files.js";
import { decide, type Observation } from "./rotation.js";
import type { StateRecord } from "./state-store.js";
import { type FileLines, TailedFile } from "./tailed-file.js";

export type { FollowStats } from "./discovery.js";

/** Bytes read from one file per turn. */
export const READ_CHUNK_BYTES = 64 * 1024;
/** A rotated file that has not grown for this long, read to its end, is let go. */
export const ROTATE_WAIT_MS = 5000;

export interface FollowerOptions extends DiscoveryOptions {
  readonly maxLineBytes: number;
  /** Between two looks at the files. */
  readonly intervalMs: number;
  /** Default ROTATE_WAIT_MS. */
  readonly rotateWaitMs?: number;
}

export class Follower {
  readonly stats: FollowStats;
  private readonly discovery: Discovery;
  private readonly buffer = Buffer.alloc(READ_CHUNK_BYTES);
  private readonly rotateWaitMs: number;
  private readonly open = new OpenFiles();
  private closed = false;
  private nextLookAt = 0;
  private wake: (() => void) | undefined;
  private timer: TimerHandle | undefined;
  /** The set of files or a committed offset changed since takeChanged(). */
  private changed = false;

  constructor(private readonly options: FollowerOptions) {
    this.rotateWaitMs = options.rotateWaitMs ?? ROTATE_WAIT_MS;
    this.discovery = new Discovery(options, (opened) => this.adopt(opened));
    this.stats = this.discovery.stats;
  }

  /** Stops reading: iteration ends. Idempotent; descriptors stay open until dispose(). */
  close(): void {
    this.closed = true;
    this.options.time.clearTimeout(this.timer);
    this.wake?.();
  }

  /** The files followed now (open or waiting), for the state file. */
  files(): TailedFile[] {
    return [...this.open.list, ...this.discovery.parked];
  }

  /** Records of the files followed, and of state records still waiting for their file. */
  records(): StateRecord[] {
    return [...this.files().map((file) => file.record()), ...this.discovery.unmatchedRecords()];
  }

  /** True once when the set of followed files changed since the last call. */
  takeChanged(): boolean {
    const changed = this.changed || this.discovery.takeChanged();
    this.changed = false;
    return changed;
  }

  /** Closes every descriptor. */
  async dispose(): Promise<void> {
    this.close();
    await Promise.all(this.files().map((file) => file.dispose()));
  }

  /** The lines chunk by chunk, as LineReader.chunks(), each chunk naming its file. */
  async *chunks(): AsyncGenerator<ChunkLines, void, undefined> {
    await this.scan(true);
    this.nextLookAt = this.options.time.now() + this.options.intervalMs;
    while (!this.closed) {
      if (this.options.time.now() >= this.nextLookAt) {
        yield* this.lookAll();
        await this.makeRoom();
        this.nextLookAt = this.options.time.now() + this.options.intervalMs;
        continue;
      }
      const file = this.open.pick();
      if (file === undefined) {
        await this.idle();
        continue;
      }
      let lines: FileLines | undefined;
      try {
        lines = await file.read(this.buffer);
      } catch (error) {
        await this.fail(file, error);
        continue;
      }
      if (lines) yield* this.handOut(lines);
    }
  }

  private adopt(opened: OpenedFile): void {
    const { path, handle, id, head, offset } = opened;
    const file = new TailedFile(path, id, fingerprintOf(head), handle, offset, {
      maxLineBytes: this.options.maxLineBytes,
      stats: this.stats,
      nowMs: this.options.time.now(),
    });
    this.open.add(file);
    this.changed = true;
  }

  private scan(atStart: boolean): Promise<void> {
    return this.discovery.scan(atStart, this.followed, () => this.open.size);
  }

  /**
   * True when the file `id` is followed already. A rotated file found again
   * under another name (the patterns match it there) is attached to it.
   */
  private readonly followed = (path: string, id: FileId): boolean => {
    const file = this.open.byKey.get(idKey(id));
    if (file === undefined) return false;
    if (file.detached && file.path !== path) {
      file.path = path;
      file.detached = false;
      this.changed = true;
    }
    return true;
  };

  private *handOut(lines: FileLines): Generator<ChunkLines, void> {
    do {
      yield lines;
      if (this.closed) return;
    } while (!lines.used);
  }

  /** Looks at every open file and acts on what changed. */
  private async *lookAll(): AsyncGenerator<ChunkLines, void> {
    const now = this.options.time.now();
    for (const file of [...this.open.list]) {
      if (this.closed) return;
      let seen: Observation;
      try {
        seen = await file.look();
      } catch (error) {
        await this.fail(file, error);
        continue;
      }
      const decision = decide(file, seen, now, this.rotateWaitMs);
      if (decision === "truncated") {
        file.restart(0);
        await file.refingerprint();
        this.stats.truncations++;
        this.changed = true;
      } else if (decision === "rotated" || decision === "deleted") {
        file.detached = true;
        file.grewAtMs = now;
        if (decision === "rotated") this.stats.rotations++;
        else this.stats.deleted++;
      } else if (decision === "finished") {
        yield* this.letGo(file);
      }
      if (seen.size > file.readOffset) {
        file.atEnd = false;
        file.grewAtMs = now;
      }
    }
  }

  /** A detached file read to its end: its unterminated last line, then it is closed and forgotten. */
  private async *letGo(file: TailedFile): AsyncGenerator<ChunkLines, void> {
    const last = file.finishLines();
    if (last) yield* this.handOut(last);
    await this.forget(file);
  }

  private async forget(file: TailedFile): Promise<void> {
    this.open.remove(file, true);
    this.changed = true;
    await file.dispose();
  }

  private async fail(file: TailedFile, error: unknown): Promise<void> {
    this.stats.unreadable++;
    this.options.onNotice(`cannot read ${file.path}: ${(error as Error).message}`);
    await this.forget(file);
  }

  /**
   * Scans for files; with files waiting for a descriptor, open files read to
   * their end give theirs up (and wait in turn): new files get the free
   * ones first, then the waiting files in turn.
   */
  private async makeRoom(): Promise<void> {
    const discovery = this.discovery;
    if (discovery.waiting) {
      for (const file of [...this.open.list]) {
        if (!file.atEnd || file.detached) continue;
        this.open.remove(file, false);
        await file.release();
        discovery.parked.push(file);
      }
    }
    await this.scan(false);
    // Files parked just now wait behind those parked before.
    while (this.open.size < this.options.maxOpenFiles && discovery.parked.length > 0) {
      const file = discovery.parked.shift() as TailedFile;
      const handle = await reopen(file);
      if (handle === undefined) {
        this.open.remove(file, true);
        this.changed = true;
        await file.dispose();
        continue;
      }
      file.reopen(handle, this.options.time.now());
      this.open.resume(file);
    }
  }

  private async idle(): Promise<void> {
    const waitMs = Math.max(1, this.nextLookAt - this.options.time.now());
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = this.options.time.setTimeout(resolve, waitMs);
    });
    this.wake = undefined;
  }
}
