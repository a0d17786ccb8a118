/**
 * The promises log() returns, one per entry, correlated back to the entry
 * through the batch it went into and the message that carried it: entries
 * are numbered in the order they reach the batcher, batches take them in
 * that order, and each message says where in its batch its entries start.
 * Nothing is kept for entries nobody asked about (logJson(), tryLog()), so
 * the hot path pays one counter. A returned promise has a no-op handler
 * attached, so ignoring it never leaves an unhandled rejection; awaiting it
 * still sees the rejection.
 */
import { ERROR_CODES, ShipperError } from "../foundation/errors.js";
import type { EncodedMessage, EncodeResult } from "../wire/index.js";
import type { MessageFate } from "./reliable/reliable-delivery.js";
import { SettledEntries } from "./settled-entries.js";
import type { DropReason } from "./summary.js";

/** An entry given to log() was dropped; `reason` is the summary's drop reason. */
export class EntryDroppedError extends ShipperError {
  readonly reason: DropReason;

  constructor(reason: DropReason) {
    super(ERROR_CODES.ENTRY_DROPPED, `entry dropped: ${reason}`);
    this.reason = reason;
  }
}

interface Pending {
  resolve(): void;
  reject(error: Error): void;
}

const ignore = (): void => {};

/** A promise already rejected with EntryDroppedError, its rejection handled. */
export function droppedPromise(reason: DropReason): Promise<void> {
  const promise = Promise.reject(new EntryDroppedError(reason));
  promise.catch(ignore);
  return promise;
}

export class Receipts {
  readonly #pending = new Map<number, Pending>();
  /** Batches on their way through the encoder, oldest first: their first entry's number. */
  readonly #batches: { start: number; count: number }[] = [];
  readonly #starts = new WeakMap<EncodedMessage, number>();
  #next = 0;
  #batched = 0;
  /** Every entry logged, numbered or not: how many from the first have settled. */
  readonly settled = new SettledEntries();

  /** Entries whose promise is not settled. */
  get size(): number {
    return this.#pending.size;
  }

  /** Numbers one entry about to go into the batcher. */
  entry(): number {
    return this.#next++;
  }

  /** The promise of entry `number`. */
  promise(number: number): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      this.#pending.set(number, { resolve, reject });
    });
    promise.catch(ignore);
    return promise;
  }

  /** A batch of `count` entries left the batcher. */
  batch(count: number): void {
    this.settled.batch(count);
    this.#batches.push({ start: this.#batched, count });
    this.#batched += count;
  }

  /** The oldest batch was encoded: entries in no message were dropped as oversize. */
  encoded(result: EncodeResult): void {
    this.settled.encoded(result);
    const batch = this.#batches.shift();
    if (batch === undefined || this.#pending.size === 0) return;
    const covered = new Uint8Array(batch.count);
    for (const message of result.messages) {
      this.#starts.set(message, batch.start + message.first);
      covered.fill(1, message.first, message.first + message.entries);
    }
    for (let i = 0; i < batch.count; i++) {
      if (covered[i] === 0) this.#settle(batch.start + i, { ok: false, reason: "oversize" });
    }
  }

  /** The oldest batch was dropped whole before it was encoded. */
  encodeDropped(reason: DropReason): void {
    this.settled.encodeDropped();
    const batch = this.#batches.shift();
    if (batch === undefined || this.#pending.size === 0) return;
    for (let i = 0; i < batch.count; i++) this.#settle(batch.start + i, { ok: false, reason });
  }

  /** A message's fate is its entries' fate. */
  message(message: EncodedMessage, fate: MessageFate): void {
    this.settled.message(message);
    if (this.#pending.size === 0) return;
    const start = this.#starts.get(message);
    if (start === undefined) return;
    for (let i = 0; i < message.entries; i++) this.#settle(start + i, fate);
  }

  #settle(number: number, fate: MessageFate): void {
    const pending = this.#pending.get(number);
    if (pending === undefined) return;
    this.#pending.delete(number);
    if (fate.ok) pending.resolve();
    else pending.reject(new EntryDroppedError(fate.reason));
  }
}
