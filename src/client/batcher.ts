/**
 * Decides WHEN a batch is done; what happens to it is the caller's business
 * (the onBatch callback). Entries arrive already serialized, each measured in
 * UTF-8 bytes once. Triggers:
 * - "level": the entry is at or above flushLevel; its batch (with it) goes at once;
 * - "size": the batch holds batchSize entries;
 * - "bytes": the batch's JSON array (brackets and commas counted) reached
 *   batchBytes, or appending the next entry would pass it (checked before
 *   appending, so a batch passes batchBytes only when one entry alone does);
 * - "interval": flushIntervalMs after the batch's first entry;
 * - "shutdown" / "manual": flush() called by the owner.
 * When several apply to one entry, the first in this list is counted.
 */
import { InvalidOptionError } from "../foundation/errors.js";
import type { Time, TimerHandle } from "../foundation/time.js";
import { LEVELS, type Level, levelRank } from "./levels.js";

export type FlushTrigger = "size" | "interval" | "bytes" | "level" | "shutdown" | "manual";

export interface BatchSettings {
  /** Entries per batch, >= 1. */
  batchSize: number;
  /** A batch goes this long after its first entry; 0 = no time-based flush. */
  flushIntervalMs: number;
  /** A batch goes when its JSON array reaches this many bytes; 0 = off. */
  batchBytes: number;
  /** An entry at or above this level flushes its batch at once; undefined = off. */
  flushLevel: Level | undefined;
}

export interface Batch {
  /** Entries in arrival order, each one JSON text. */
  readonly entries: string[];
  /** UTF-8 bytes of each entry, in the same order. */
  readonly sizes: number[];
  /** UTF-8 bytes of `[` + entries.join(",") + `]`. */
  readonly jsonBytes: number;
  readonly trigger: FlushTrigger;
}

/** Throws an InvalidOptionError (a TypeError) naming the first setting that is out of range. */
export function validateBatchSettings(settings: BatchSettings): BatchSettings {
  const { batchSize, flushIntervalMs, batchBytes, flushLevel } = settings;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionError(`batchSize must be an integer >= 1, got ${batchSize}`);
  }
  if (!Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
    throw new InvalidOptionError(`flushIntervalMs must be a number >= 0, got ${flushIntervalMs}`);
  }
  if (!Number.isSafeInteger(batchBytes) || batchBytes < 0) {
    throw new InvalidOptionError(`batchBytes must be an integer >= 0, got ${batchBytes}`);
  }
  if (flushLevel !== undefined && !LEVELS.includes(flushLevel)) {
    throw new InvalidOptionError(
      `flushLevel must be one of ${LEVELS.join(", ")}, got ${flushLevel}`,
    );
  }
  return Object.freeze({ batchSize, flushIntervalMs, batchBytes, flushLevel });
}

/** Settings with the fields of `change` that are present; `flushLevel: undefined` turns it off. */
export function mergeBatchSettings(
  settings: BatchSettings,
  change: Partial<BatchSettings>,
): BatchSettings {
  return validateBatchSettings({
    batchSize: change.batchSize ?? settings.batchSize,
    flushIntervalMs: change.flushIntervalMs ?? settings.flushIntervalMs,
    batchBytes: change.batchBytes ?? settings.batchBytes,
    flushLevel: "flushLevel" in change ? change.flushLevel : settings.flushLevel,
  });
}

/** Arrays for larger batches start at this size and grow. */
const PRESIZED_MAX = 1024;

export class Batcher {
  #settings: BatchSettings;
  #flushRank: number;
  readonly #clock: Time;
  readonly #onBatch: (batch: Batch) => void;
  /**
   * The current batch, in arrays made at their batch's size (trimmed to its
   * count when it goes): growing them entry by entry would allocate them
   * several times over for each batch.
   */
  #entries: string[];
  #sizes: number[];
  /** Each entry's rank, read only by reconfigure(): one array for every batch. */
  #ranks: number[] = [];
  #count = 0;
  #entryBytes = 0;
  #startedAt = 0;
  #timer: TimerHandle | undefined;
  #timerSet = false;

  constructor(settings: BatchSettings, clock: Time, onBatch: (batch: Batch) => void) {
    this.#settings = validateBatchSettings(settings);
    this.#flushRank = levelRank(this.#settings.flushLevel);
    this.#clock = clock;
    this.#onBatch = onBatch;
    this.#entries = this.#newArray();
    this.#sizes = this.#newArray();
  }

  get settings(): BatchSettings {
    return this.#settings;
  }

  /** Entries buffered in the current batch. */
  get count(): number {
    return this.#count;
  }

  /** UTF-8 bytes of the current batch as a JSON array; 0 when empty. */
  get jsonBytes(): number {
    const n = this.#count;
    return n === 0 ? 0 : this.#entryBytes + n + 1;
  }

  /**
   * Appends one serialized entry; `rank` is its levelRank(). May emit the
   * batch before it ("bytes") and the batch that ends with it.
   */
  add(json: string, rank: number, bytes: number = Buffer.byteLength(json)): void {
    this.#append(json, rank, bytes);
    if (this.#count === 1) this.#startTimer(this.#clock.now());
  }

  /** Emits the current batch, if any, with this trigger. */
  flush(trigger: FlushTrigger): void {
    const count = this.#count;
    if (count === 0) return;
    const { entries, sizes } = this.#take();
    entries.length = count;
    sizes.length = count;
    const batch: Batch = { entries, sizes, jsonBytes: this.#entryBytes + count + 1, trigger };
    this.#cancelTimer();
    this.#entryBytes = 0;
    this.#onBatch(batch);
  }

  /**
   * Applies new settings at once. Buffered entries are kept, in order, and
   * run through the new limits: the ones that now complete batches are
   * emitted (a smaller batchSize emits full batches, "size"), the rest stay
   * buffered and keep the time their batch started.
   */
  reconfigure(change: Partial<BatchSettings>): void {
    this.#settings = mergeBatchSettings(this.#settings, change);
    this.#flushRank = levelRank(this.#settings.flushLevel);
    const { startedAt } = this;
    const count = this.#count;
    const ranks = this.#ranks.slice(0, count);
    const { entries, sizes } = this.#take();
    this.#cancelTimer();
    this.#entryBytes = 0;
    for (let i = 0; i < count; i++) {
      this.#append(entries[i] as string, ranks[i] as number, sizes[i] as number);
    }
    if (this.#count > 0) this.#startTimer(startedAt);
  }

  /** Clock time at which the current batch got its first entry. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** Cancels the interval timer; buffered entries stay (flush them first). */
  dispose(): void {
    this.#cancelTimer();
  }

  #append(json: string, rank: number, bytes: number): void {
    const { batchSize, batchBytes } = this.#settings;
    if (batchBytes > 0 && this.#count > 0) {
      const projected = this.jsonBytes + bytes + 1;
      if (projected > batchBytes) this.flush("bytes");
    }
    const at = this.#count;
    this.#entries[at] = json;
    this.#sizes[at] = bytes;
    this.#ranks[at] = rank;
    this.#count = at + 1;
    this.#entryBytes += bytes;
    if (this.#flushRank >= 0 && rank >= this.#flushRank) this.flush("level");
    else if (this.#count >= batchSize) this.flush("size");
    else if (batchBytes > 0 && this.jsonBytes >= batchBytes) this.flush("bytes");
  }

  /** The current batch's arrays, new ones in their place, the count back to 0. */
  #take(): { entries: string[]; sizes: number[] } {
    const taken = { entries: this.#entries, sizes: this.#sizes };
    this.#entries = this.#newArray();
    this.#sizes = this.#newArray();
    this.#count = 0;
    return taken;
  }

  /** An array with room for a batch of batchSize (up to PRESIZED_MAX) without growing. */
  #newArray<T>(): T[] {
    return new Array<T>(Math.min(this.#settings.batchSize, PRESIZED_MAX));
  }

  #startTimer(startedAt: number): void {
    this.#startedAt = startedAt;
    const interval = this.#settings.flushIntervalMs;
    if (interval <= 0) return;
    const remaining = startedAt + interval - this.#clock.now();
    if (remaining <= 0) {
      this.flush("interval");
      return;
    }
    this.#timer = this.#clock.setTimeout(() => {
      this.#timerSet = false;
      this.flush("interval");
    }, remaining);
    this.#timerSet = true;
  }

  #cancelTimer(): void {
    if (!this.#timerSet) return;
    this.#clock.clearTimeout(this.#timer);
    this.#timerSet = false;
  }
}
