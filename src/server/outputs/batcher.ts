/**
 * When a batch is done: it holds `maxEntries` entries or `maxBytes` bytes, its
 * first message has waited `intervalMs` (with 0, the end of the event-loop
 * turn it came in: the datagrams read in one turn make one batch), or it
 * holds an entry at or above the flush level. A message is never cut: when adding one would pass a bound,
 * the batch gathered so far is sealed first. The batcher decides only when;
 * what happens to a sealed batch is the caller's (`onBatch`).
 */
import type { TimerHandle, Timers } from "../../foundation/time.js";
import { BatchBuilder, messageBytes } from "./batch.js";
import { holdsSevere } from "./severity.js";
import type { OutputBatch, OutputMessage } from "./types.js";

export interface BatchSettings {
  /** Entries in one batch; a single larger message makes a batch of its own. */
  readonly maxEntries: number;
  /** UTF-8 bytes of entries in one batch. */
  readonly maxBytes: number;
  /** The longest a batch gathers; 0: until the end of the event-loop turn. */
  readonly intervalMs: number;
  /** A batch holding an entry at or above this level rank is sent at once; undefined: off. */
  readonly flushRank?: number | undefined;
}

export class Batcher {
  #settings: BatchSettings;
  readonly #timers: Timers;
  readonly #onBatch: (batch: OutputBatch) => void;
  readonly #schedule: (callback: () => void) => void;
  readonly #builder = new BatchBuilder();
  #timer: TimerHandle | undefined;
  /** A flush at the end of this turn is scheduled (interval 0). */
  #turnEnd = false;
  readonly #atTurnEnd = () => {
    this.#turnEnd = false;
    this.flush();
  };

  /** `schedule` runs the end-of-turn flush of interval 0; default setImmediate. */
  constructor(
    settings: BatchSettings,
    timers: Timers,
    onBatch: (batch: OutputBatch) => void,
    schedule: (callback: () => void) => void = setImmediate,
  ) {
    this.#settings = settings;
    this.#timers = timers;
    this.#onBatch = onBatch;
    this.#schedule = schedule;
  }

  get settings(): BatchSettings {
    return this.#settings;
  }

  /** New settings from the next message on; a batch already past them is sealed now. */
  set settings(settings: BatchSettings) {
    this.#settings = settings;
    const b = this.#builder;
    if (b.entries >= settings.maxEntries || b.bytes >= settings.maxBytes) this.flush();
  }

  /** Entries gathered and not yet sealed. */
  get entries(): number {
    return this.#builder.entries;
  }

  add(message: OutputMessage): void {
    if (message.entries.length === 0) return;
    const bytes = messageBytes(message);
    const { maxEntries, maxBytes, flushRank } = this.#settings;
    const b = this.#builder;
    if (
      !b.empty &&
      (b.entries + message.entries.length > maxEntries || b.bytes + bytes > maxBytes)
    ) {
      this.flush();
    }
    b.add(message, bytes);
    const severe = flushRank !== undefined && holdsSevere(message.entries, flushRank);
    const full = b.entries >= maxEntries || b.bytes >= maxBytes;
    if (severe || full) this.flush();
    else if (this.#settings.intervalMs <= 0) {
      if (!this.#turnEnd) {
        this.#turnEnd = true;
        this.#schedule(this.#atTurnEnd);
      }
    } else {
      this.#timer ??= this.#timers.setTimeout(() => {
        this.#timer = undefined;
        this.flush();
      }, this.#settings.intervalMs);
    }
  }

  /** Seals what is gathered now and hands it on. */
  flush(): void {
    if (this.#timer !== undefined) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#builder.seal();
    if (batch !== undefined) this.#onBatch(batch);
  }
}
