/**
 * One output's delivery loop: the oldest waiting batch goes to the sink, one
 * at a time, so order holds. A retryable failure is tried again after a
 * capped, jittered exponential backoff (longer when the destination asks,
 * with Retry-After); the first failure of an outage is reported once, and
 * from then on new batches go to the spool (when there is one) until a
 * delivery succeeds. A failure that is not retryable drops the batch, counted
 * by its reason.
 */
import { type BackoffPolicy, backoffMs } from "../../foundation/backoff.js";
import type { Clock, TimerHandle, Timers } from "../../foundation/time.js";
import type { OutputCounters } from "./output-stats.js";
import type { OutputQueue } from "./queue.js";
import type { BatchReceipts } from "./receipts.js";
import type { DeliveryResult, OutputBatch, Sink } from "./types.js";

/** Outputs retry from 200 ms, doubling, up to 30 s between tries. */
export const OUTPUT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 200, capMs: 30_000 });
/** The longest Retry-After honoured. */
export const MAX_RETRY_AFTER_MS = 300_000;

export type FailedDelivery = Extract<DeliveryResult, { ok: false }>;

export interface DeliveryEvents {
  /** The first retryable failure after a success (or the start): once per outage. */
  readonly onOutage?: (failure: FailedDelivery) => void;
  /** The first success after an outage. */
  readonly onRecovered?: () => void;
  /** Every attempt: its duration and how it ended. */
  readonly onAttempt?: (seconds: number, result: DeliveryResult) => void;
}

export interface DeliveryOptions extends DeliveryEvents {
  readonly sink: Sink;
  readonly queue: OutputQueue;
  readonly counters: OutputCounters;
  /** Told when a batch is accepted (delivered) or dropped for good. */
  readonly receipts?: BatchReceipts;
  readonly timers: Timers;
  readonly now: Clock;
  readonly random: () => number;
  readonly backoff?: BackoffPolicy;
}

function asFailure(error: unknown): FailedDelivery {
  const cause = error instanceof Error ? error : new Error(String(error));
  return { ok: false, retry: true, reason: "sink-error", error: cause };
}

export class DeliveryLoop {
  readonly #o: DeliveryOptions;
  #down = false;
  #stopped = false;
  #busy = false;
  #controller: AbortController | undefined;
  #waitTimer: TimerHandle | undefined;
  #wakeWait: (() => void) | undefined;
  readonly #idleWaiters: (() => void)[] = [];

  constructor(options: DeliveryOptions) {
    this.#o = options;
  }

  /** True from the first failure of an outage until the next success. */
  get down(): boolean {
    return this.#down;
  }

  /**
   * Delivers what waits, unless a delivery is under way. A batch held in
   * memory goes to the sink at once, in this call: the stdout output writes
   * in the turn the datagram came in.
   */
  kick(): void {
    if (this.#busy || this.#stopped) return;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    const { queue } = this.#o;
    this.#busy = true;
    try {
      while (!this.#stopped && queue.length > 0) {
        const batch = queue.peek() ?? (await queue.head());
        if (batch === undefined || this.#stopped) break;
        await this.#deliver(batch);
      }
    } finally {
      this.#busy = false;
      this.#checkIdle();
    }
  }

  async #deliver(batch: OutputBatch): Promise<void> {
    const { sink, queue, counters, now, random } = this.#o;
    for (let attempt = 0; ; attempt++) {
      // One controller serves every attempt until shutdown aborts it.
      this.#controller ??= new AbortController();
      const controller = this.#controller;
      const started = now();
      let result: DeliveryResult;
      try {
        result = await sink.deliver(batch, controller.signal);
      } catch (error) {
        result = asFailure(error);
      }
      this.#o.onAttempt?.((now() - started) / 1000, result);
      if (result.ok) {
        this.#accepted(batch, result.accepted);
        if (await queue.done(batch)) {
          counters.entries += batch.entries;
          counters.batches += 1;
        }
        this.#recovered();
        return;
      }
      counters.error(result.reason);
      if (!result.retry) {
        this.#o.receipts?.settle(batch, false);
        if (await queue.done(batch)) counters.drop(batch.entries, result.reason);
        return;
      }
      if (this.#stopped) return;
      counters.retries += 1;
      this.#outage(result);
      const backoff = backoffMs(attempt, random, this.#o.backoff ?? OUTPUT_BACKOFF);
      const asked = Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS);
      await this.#wait(Math.max(backoff, asked));
      if (this.#stopped) return;
    }
  }

  #accepted(batch: OutputBatch, stored: Promise<boolean> | undefined): void {
    const receipts = this.#o.receipts;
    if (receipts === undefined) return;
    if (stored === undefined) receipts.settle(batch, true);
    else void stored.then((ok) => receipts.settle(batch, ok));
  }

  #outage(failure: FailedDelivery): void {
    if (this.#down) return;
    this.#down = true;
    this.#o.queue.spilling = true;
    void this.#o.queue.spillAll();
    this.#o.onOutage?.(failure);
  }

  #recovered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#o.queue.spilling = false;
    this.#o.onRecovered?.();
  }

  #wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeWait = resolve;
      this.#waitTimer = this.#o.timers.setTimeout(() => {
        this.#waitTimer = undefined;
        this.#wakeWait = undefined;
        resolve();
      }, ms);
    });
  }

  /** Resolves once nothing waits and nothing is in flight (or the loop stopped). */
  whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    return !this.#busy && (this.#stopped || this.#o.queue.length === 0);
  }

  #checkIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  /** Stops the loop: the attempt in flight is aborted, a backoff wait ends now. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#controller?.abort();
    if (this.#waitTimer !== undefined) this.#o.timers.clearTimeout(this.#waitTimer);
    this.#waitTimer = undefined;
    const wake = this.#wakeWait;
    this.#wakeWait = undefined;
    wake?.();
  }
}
