/**
 * One output: its batcher, its queue (memory, or memory and spool), its
 * delivery loop and its counters. Each output has its own, so a slow or
 * down output never holds the others or the socket.
 */
import { join } from "node:path";
import type { Clock, Timers } from "../../foundation/time.js";
import { Batcher, type BatchSettings } from "./batcher.js";
import { type DeliveryEvents, DeliveryLoop } from "./delivery.js";
import { OutputCounters, type OutputSummary } from "./output-stats.js";
import { OutputQueue } from "./queue.js";
import { BatchReceipts } from "./receipts.js";
import { Spool, spoolDirName } from "./spool.js";
import type { OutputMessage, Sink } from "./types.js";

export interface PipelineOptions extends DeliveryEvents {
  readonly sink: Sink;
  readonly batch: BatchSettings;
  /** Memory charged for batches waiting; past it they go to the spool, or are dropped. */
  readonly maxQueueBytes: number;
  /** The spool: a subdirectory of `dir` per output, at most `maxBytes` of files. */
  readonly spool?: { readonly dir: string; readonly maxBytes: number } | undefined;
  readonly timers: Timers;
  readonly now: Clock;
  readonly random: () => number;
  /** A spool write failed; the batch stays in memory. */
  readonly onSpoolError?: (error: Error) => void;
}

/** How a drain at shutdown ended for one output. */
export type DrainEnd = "delivered" | "spooled" | "timeout";

export class OutputPipeline {
  readonly name: string;
  readonly sink: Sink;
  readonly counters = new OutputCounters();
  readonly #receipts = new BatchReceipts();
  readonly #batcher: Batcher;
  readonly #queue: OutputQueue;
  readonly #spool: Spool | undefined;
  readonly #loop: DeliveryLoop;
  readonly #timers: Timers;
  #closed = false;

  /** Opens the spool (throws when its directory cannot be made or read) and restores its batches. */
  constructor(options: PipelineOptions) {
    this.name = options.sink.name;
    this.sink = options.sink;
    this.#timers = options.timers;
    this.#spool =
      options.spool === undefined
        ? undefined
        : new Spool(join(options.spool.dir, spoolDirName(this.name)));
    this.#queue = new OutputQueue({
      maxMemoryBytes: options.maxQueueBytes,
      spool:
        this.#spool === undefined || options.spool === undefined
          ? undefined
          : { store: this.#spool, maxBytes: options.spool.maxBytes },
      onDrop: (entries, reason, batch) => {
        this.counters.drop(entries, reason);
        this.#receipts.settle(batch, false);
      },
      onSpooled: (entries, batch) => {
        this.counters.spooled += entries;
        this.#receipts.settle(batch, true);
      },
      onSpoolError: (error) => options.onSpoolError?.(error),
    });
    if (this.#spool !== undefined) this.#queue.restore(this.#spool.openSync());
    this.#batcher = new Batcher(options.batch, options.timers, (batch) => this.#queue.push(batch));
    this.#loop = new DeliveryLoop({
      ...options,
      queue: this.#queue,
      counters: this.counters,
      receipts: this.#receipts,
    });
  }

  /** Starts delivering (what the spool held first). */
  start(): void {
    this.#queue.onPush = () => this.#loop.kick();
    this.#loop.kick();
  }

  write(message: OutputMessage): void {
    if (this.#closed) {
      this.counters.drop(message.entries.length, "closed");
      message.receipt?.settle(false);
      return;
    }
    this.#batcher.add(message);
  }

  get batchSettings(): BatchSettings {
    return this.#batcher.settings;
  }

  set batchSettings(settings: BatchSettings) {
    this.#batcher.settings = settings;
  }

  get down(): boolean {
    return this.#loop.down;
  }

  summary(): OutputSummary {
    return this.counters.snapshot({
      queued: this.#queue.entries + this.#batcher.entries,
      spoolBytes: this.#spool?.bytes ?? 0,
      corruptFiles: this.#spool?.corruptFiles ?? 0,
    });
  }

  /** Memory charged for batches waiting. */
  get queuedBytes(): number {
    return this.#queue.memoryBytes;
  }

  /**
   * Seals the batch gathering and delivers what waits, for at most
   * `timeoutMs`. With a spool, what is not delivered by then (everything, at
   * once, when the output is down) is written to it; without one, it is
   * dropped (`drain-timeout`). Then the sink is closed. Idempotent.
   */
  async close(timeoutMs: number): Promise<DrainEnd> {
    if (this.#closed) return "delivered";
    this.#closed = true;
    this.#batcher.flush();
    this.start();
    let end: DrainEnd = "delivered";
    if (!(this.#spool !== undefined && this.#loop.down)) {
      const idle = await this.#within(this.#loop.whenIdle(), timeoutMs);
      if (!idle) end = "timeout";
    } else end = "spooled";
    this.#loop.stop();
    if (this.#queue.length > 0) {
      if (this.#spool !== undefined) {
        await this.#queue.spillAll();
        end = "spooled";
      }
      this.counters.drop(
        this.#queue.dropMemory(),
        this.#spool === undefined ? "drain-timeout" : "spool-full",
      );
    }
    try {
      await this.sink.close();
    } catch {
      // Closing is best effort; what was delivered is counted.
    }
    return end;
  }

  #within(done: Promise<void>, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.#timers.setTimeout(() => resolve(false), timeoutMs);
      void done.then(() => {
        this.#timers.clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** SIGHUP: the sink reopens what it can (a file after logrotate). */
  async reopen(): Promise<void> {
    await this.sink.reopen?.();
  }
}
