/**
 * One output's batches waiting for delivery, oldest first. Each is held in
 * memory or, with a spool, on disk; order holds whichever it is.
 *
 * - Without a spool: memory only, charged (batch.ts) up to `maxMemoryBytes`;
 *   a batch past it is dropped (`queue-full`). One batch is always taken when
 *   nothing is held.
 * - With a spool: a batch goes to disk when memory is past its bound, when
 *   the output is down (`spilling`), or when the batch before it is on disk,
 *   so new batches stay behind spooled ones. Past `maxSpoolBytes` a batch is
 *   dropped (`spool-full`); when the batches waiting for their write pass
 *   `maxMemoryBytes` (a disk slower than the input), `queue-full`. `spillAll` moves what memory holds to disk
 *   (outage, shutdown).
 */
import { batchCharge } from "./batch.js";
import type { Spool, SpoolFile } from "./spool.js";
import { encodeBatch } from "./spool-format.js";
import type { OutputBatch } from "./types.js";

interface Item {
  batch: OutputBatch | undefined;
  readonly entries: number;
  charge: number;
  file: SpoolFile | undefined;
  /** The write of this item's file, while it lasts. */
  writing: Promise<void> | undefined;
}

export interface QueueOptions {
  readonly maxMemoryBytes: number;
  readonly spool?: { readonly store: Spool; readonly maxBytes: number } | undefined;
  /** Entries dropped, with the reason (and the batch, when it was in memory). */
  readonly onDrop: (entries: number, reason: string, batch?: OutputBatch) => void;
  /** Entries written to the spool (and the batch, when it came from memory). */
  readonly onSpooled: (entries: number, batch?: OutputBatch) => void;
  /** A spool write failed (the batch stays in memory); a read found a corrupt file. */
  readonly onSpoolError: (error: Error) => void;
}

export class OutputQueue {
  readonly #options: QueueOptions;
  readonly #items: Item[] = [];
  #memoryCharge = 0;
  #entries = 0;
  /** File bytes of the spool writes under way. */
  #pendingDiskBytes = 0;
  /** Memory charged for batches whose spool write is under way. */
  #pendingDiskCharge = 0;
  /** Writes to the spool run one after another, in the order decided. */
  #writes: Promise<void> = Promise.resolve();
  /** Called after every batch pushed: the delivery loop's kick. */
  onPush: () => void = () => {};
  /** The output is down: new batches go to disk. */
  spilling = false;

  constructor(options: QueueOptions) {
    this.#options = options;
  }

  /** Batches found in the spool at start, ahead of anything new. */
  restore(files: readonly SpoolFile[]): void {
    for (const file of files) {
      this.#items.push({
        batch: undefined,
        entries: file.entries,
        charge: 0,
        file,
        writing: undefined,
      });
      this.#entries += file.entries;
    }
  }

  /** Entries waiting, in memory or on disk. */
  get entries(): number {
    return this.#entries;
  }

  get length(): number {
    return this.#items.length;
  }

  /** Memory charged for the batches held in memory. */
  get memoryBytes(): number {
    return this.#memoryCharge;
  }

  /** The oldest batch when it is held in memory; undefined when empty or on disk. */
  peek(): OutputBatch | undefined {
    return this.#items[0]?.batch;
  }

  push(batch: OutputBatch): void {
    const spool = this.#options.spool;
    const charge = batchCharge(batch);
    const overMemory =
      this.#memoryCharge + charge > this.#options.maxMemoryBytes && this.#items.length > 0;
    const tail = this.#items.at(-1);
    const behindDisk =
      tail !== undefined && (tail.file !== undefined || tail.writing !== undefined);
    if (spool === undefined && overMemory) {
      this.#options.onDrop(batch.entries, "queue-full", batch);
      return;
    }
    const item: Item = {
      batch,
      entries: batch.entries,
      charge,
      file: undefined,
      writing: undefined,
    };
    if (spool !== undefined && (overMemory || this.spilling || behindDisk)) {
      if (
        this.#pendingDiskCharge + charge > this.#options.maxMemoryBytes &&
        this.#pendingDiskCharge > 0
      ) {
        // The disk is slower than the input: what waits to be written is bounded too.
        this.#options.onDrop(batch.entries, "queue-full", batch);
        return;
      }
      this.#add(item);
      if (!this.#toDisk(item, encodeBatch(batch))) {
        this.#forget(item);
        this.#options.onDrop(batch.entries, "spool-full", batch);
        return;
      }
    } else this.#add(item);
    this.onPush();
  }

  #add(item: Item): void {
    this.#items.push(item);
    this.#entries += item.entries;
    this.#memoryCharge += item.charge;
  }

  /**
   * Writes `item` to the spool after the writes before it; it leaves memory
   * once written. False when the spool has no room for it (it stays in memory).
   */
  #toDisk(item: Item, encoded: Buffer = encodeBatch(item.batch as OutputBatch)): boolean {
    const spool = this.#options.spool;
    if (spool === undefined) return false;
    if (item.file !== undefined || item.writing !== undefined) return true;
    if (this.#spoolBytes + encoded.length > spool.maxBytes) return false;
    this.#pendingDiskBytes += encoded.length;
    this.#pendingDiskCharge += item.charge;
    const batch = item.batch;
    const write = this.#writes.then(async () => {
      try {
        item.file = await spool.store.write(encoded, item.entries);
        this.#options.onSpooled(item.entries, batch);
        if (!this.#items.includes(item)) {
          // Delivered or dropped while it was being written.
          await spool.store.remove(item.file);
        } else if (item !== this.#items[0] && item.batch !== undefined) {
          item.batch = undefined;
          this.#memoryCharge -= item.charge;
        }
      } catch (error) {
        this.#options.onSpoolError(error instanceof Error ? error : new Error(String(error)));
      } finally {
        this.#pendingDiskBytes -= encoded.length;
        this.#pendingDiskCharge -= item.charge;
        item.writing = undefined;
      }
    });
    item.writing = write;
    this.#writes = write;
    return true;
  }

  /** Bytes the spool holds, with the writes under way. */
  get #spoolBytes(): number {
    return (this.#options.spool?.store.bytes ?? 0) + this.#pendingDiskBytes;
  }

  /** Moves every batch held in memory to the spool (no-op without one); resolves once written. */
  spillAll(): Promise<void> {
    for (const item of this.#items) if (item.batch !== undefined) this.#toDisk(item);
    return this.#writes;
  }

  /**
   * The oldest batch, read from disk when it is there; a corrupt file is
   * dropped (`spool-corrupt`) and the next one taken. Undefined when empty.
   */
  async head(): Promise<OutputBatch | undefined> {
    for (;;) {
      const item = this.#items[0];
      if (item === undefined) return undefined;
      if (item.batch !== undefined) return item.batch;
      const file = item.file;
      const spool = this.#options.spool;
      if (file === undefined || spool === undefined) return undefined;
      const batch = await spool.store.read(file);
      if (item !== this.#items[0]) continue;
      if (batch !== undefined) {
        item.batch = batch;
        item.charge = batchCharge(batch);
        this.#memoryCharge += item.charge;
        return batch;
      }
      this.#options.onDrop(item.entries, "spool-corrupt");
      this.#forget(item);
    }
  }

  /**
   * The oldest batch, `batch`, is done with (delivered or dropped): it leaves
   * memory and disk. False when it is no longer the oldest (shutdown let go
   * of it meanwhile): then nothing changes.
   */
  async done(batch: OutputBatch): Promise<boolean> {
    const item = this.#items[0];
    if (item === undefined || item.batch !== batch) return false;
    this.#forget(item);
    if (item.file !== undefined) await this.#options.spool?.store.remove(item.file);
    return true;
  }

  #forget(item: Item): void {
    const index = this.#items.indexOf(item);
    if (index < 0) return;
    this.#items.splice(index, 1);
    this.#entries -= item.entries;
    if (item.batch !== undefined) this.#memoryCharge -= item.charge;
    item.batch = undefined;
  }

  /** Drops every batch held only in memory (at shutdown, what the spool did not take); answers their entries. */
  dropMemory(): number {
    let entries = 0;
    for (const item of [...this.#items]) {
      if (item.file !== undefined || item.writing !== undefined) continue;
      entries += item.entries;
      this.#forget(item);
    }
    return entries;
  }
}
