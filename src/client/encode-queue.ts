/**
 * Batches on their way from the batcher to the sender while they are split
 * and compressed off the main thread. The encoder reports them in the order
 * they were pushed (and numbers them in that order), so they reach the
 * sender in batch order. Until a batch is handed over, its JSON bytes count
 * in `bytes`, part of the shipper's backpressure; close() waits for them.
 */
import type { Timers } from "../foundation/time.js";
import type { EncodeCallback, EncodeResult } from "../wire/index.js";
import { settledWithin } from "./retry.js";

type EncodeDropReason = "encode-failed" | "shutdown-timeout";

export interface EncodeQueueOptions {
  /** Encodes one batch and calls `done` once; calls back in the order it was called. */
  readonly encode: (
    entries: readonly string[],
    sizes: readonly number[],
    done: EncodeCallback,
  ) => void;
  readonly clock: Timers;
  /** An encoded batch, in push order. */
  readonly onEncoded: (result: EncodeResult) => void;
  /** Entries of a batch whose encoding failed, or that drain() gave up on. */
  readonly onDropped: (entries: number, reason: EncodeDropReason) => void;
}

interface Job {
  readonly entries: number;
  readonly jsonBytes: number;
  /** Called once the job has been handed over (or dropped). */
  readonly handedOver: (() => void)[];
}

export class EncodeQueue {
  readonly #options: EncodeQueueOptions;
  /** Pushed and not yet handed over, oldest first. */
  readonly #jobs: Job[] = [];
  #bytes = 0;
  #abandoned = false;

  constructor(options: EncodeQueueOptions) {
    this.#options = options;
  }

  /** JSON bytes of the batches pushed and not yet handed over. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when every batch pushed has been handed over. */
  get idle(): boolean {
    return this.#jobs.length === 0;
  }

  /** Starts encoding one batch: its entries, their UTF-8 sizes and that of its JSON array. */
  push(entries: readonly string[], sizes: readonly number[], jsonBytes: number): void {
    if (this.#abandoned) {
      this.#options.onDropped(entries.length, "shutdown-timeout");
      return;
    }
    const job: Job = { entries: entries.length, jsonBytes, handedOver: [] };
    this.#jobs.push(job);
    this.#bytes += jsonBytes;
    this.#options.encode(entries, sizes, (_error, result) => this.#encoded(job, result));
  }

  /** Resolves once every batch pushed so far has been handed over (or dropped). */
  settled(): Promise<void> {
    const last = this.#jobs.at(-1);
    if (last === undefined) return Promise.resolve();
    return new Promise((resolve) => last.handedOver.push(resolve));
  }

  /**
   * Waits up to `timeoutMs` for the batches pushed so far; then drops what
   * is left as "shutdown-timeout", and every batch pushed later too (an
   * encoding that finishes afterwards is ignored). True when all were in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.idle) return true;
    const drained = await settledWithin(this.#options.clock, this.settled(), timeoutMs);
    if (!drained) this.#abandon();
    return drained;
  }

  #abandon(): void {
    this.#abandoned = true;
    const jobs = this.#jobs.splice(0);
    this.#bytes = 0;
    for (const job of jobs) {
      this.#options.onDropped(job.entries, "shutdown-timeout");
      for (const resolve of job.handedOver) resolve();
    }
  }

  /**
   * `result` undefined: the encoding failed (the splitting thread stopped or
   * was closed while it held the batch, or a bug: a datagram measured too large).
   */
  #encoded(job: Job, result: EncodeResult | undefined): void {
    if (this.#abandoned) return;
    // The encoder calls back in push order: this is the oldest job.
    this.#jobs.splice(this.#jobs.indexOf(job), 1);
    this.#bytes -= job.jsonBytes;
    if (result === undefined) this.#options.onDropped(job.entries, "encode-failed");
    else this.#options.onEncoded(result);
    for (const resolve of job.handedOver) resolve();
  }
}
