import { InvalidOptionError } from "../../foundation/errors.js";
import type { Clock } from "../../foundation/time.js";
import { GAP_TIMEOUT_MS, MAX_STREAMS, SEQUENCE_WINDOW, STREAM_IDLE_MS } from "../constants.js";
import { type SequenceCounts, StreamWindow } from "./stream-window.js";

export { serialDiff } from "./stream-window.js";

export interface SequenceTrackerOptions {
  /** Monotonic milliseconds. */
  now: Clock;
  /** Seqs remembered per stream; a power of two (default 1024). */
  window?: number;
  /** A gap still open this long after a later seq arrived counts as lost (default 10 s). */
  gapTimeoutMs?: number;
  /** A stream not heard from this long is forgotten by `sweep()` (default 10 min). */
  idleMs?: number;
  /** Streams tracked at once; the least recently heard is forgotten first (default 10,000). */
  maxStreams?: number;
  /**
   * Gaps are timed in steps of this many ms, each from the end of the step it
   * opened in: it counts as lost up to one step after gapTimeoutMs, never
   * before. All the gaps of a stream opened in one step share one record
   * (default 1 s, a tenth of the default gapTimeoutMs).
   */
  gapStepMs?: number;
}

/** Default `gapStepMs`: one run per stream per second, whatever the stream skips. */
const GAP_STEP_MS = 1000;

const POWERS_OF_TWO = Array.from({ length: 16 }, (_, i) => 2 ** (i + 1));

function positive(name: string, value: number | undefined, fallback: number, integer = false) {
  const v = value ?? fallback;
  if (!(v > 0 && (integer ? Number.isInteger(v) : Number.isFinite(v)))) {
    throw new InvalidOptionError(`${name} must be a positive ${integer ? "integer" : "number"}`);
  }
  return v;
}

/**
 * Loss, reordering and duplicates per stream (PROTOCOL.md "Sequence").
 *
 * `seen()` answers and counts duplicates; `record()` marks a seq that was
 * accepted. Memory per stream is its window (StreamWindow: one byte per
 * window seq, one gap run per gap step still open), whatever a sender
 * skips. The window of the stream forgotten for a new one is reused: a
 * flood of fresh streams makes no garbage of it.
 * Every operation is O(1) amortized except a forward jump, which is
 * O(min(jump, window)).
 */
export class SequenceTracker {
  readonly #now: Clock;
  readonly #window: number;
  readonly #gapTimeoutMs: number;
  readonly #idleMs: number;
  readonly #maxStreams: number;
  readonly #gapStepMs: number;
  /** Insertion order is least recently heard first: a stream is re-inserted when heard. */
  readonly #streams = new Map<string, StreamWindow>();
  readonly #counts: SequenceCounts = { lost: 0, reordered: 0, late: 0 };
  #duplicates = 0;

  constructor(options: SequenceTrackerOptions) {
    this.#now = options.now;
    const window = options.window ?? SEQUENCE_WINDOW;
    if (!POWERS_OF_TWO.includes(window)) {
      throw new InvalidOptionError("window must be a power of two from 2 to 65536");
    }
    this.#window = window;
    this.#gapTimeoutMs = positive("gapTimeoutMs", options.gapTimeoutMs, GAP_TIMEOUT_MS);
    this.#idleMs = positive("idleMs", options.idleMs, STREAM_IDLE_MS);
    this.#maxStreams = positive("maxStreams", options.maxStreams, MAX_STREAMS, true);
    this.#gapStepMs = positive("gapStepMs", options.gapStepMs, GAP_STEP_MS);
  }

  /** Messages counted lost: gaps pushed out of the window, timed out, or of forgotten streams. */
  get lost(): number {
    return this.#counts.lost;
  }
  /** Times `seen()` answered true. */
  get duplicates(): number {
    return this.#duplicates;
  }
  /** Seqs that arrived after a later one, while their gap was still open. */
  get reordered(): number {
    return this.#counts.reordered;
  }
  /** Seqs that arrived inside the window after their gap had been counted lost. */
  get late(): number {
    return this.#counts.late;
  }
  /** Streams tracked now. */
  get streams(): number {
    return this.#streams.size;
  }

  /**
   * True when `seq` must be dropped as a duplicate: already seen inside the
   * window, or older than the window and signed (a replay). Counts each true
   * answer in `duplicates`; records nothing and does not refresh the stream.
   */
  seen(stream: string, seq: number, signed: boolean): boolean {
    const duplicate = this.#streams.get(stream)?.isDuplicate(seq, signed) ?? false;
    if (duplicate) this.#duplicates++;
    return duplicate;
  }

  /**
   * Marks `seq` as accepted: a forward seq advances the window (skipped seqs
   * open gaps stamped now), a seq inside the window fills its gap, a seq older
   * than the window changes nothing. Refreshes the stream as recently heard.
   */
  record(stream: string, seq: number): void {
    const now = this.#now();
    const s = this.#streams.get(stream);
    if (s === undefined) {
      this.#admit(stream, seq, now);
      return;
    }
    this.#streams.delete(stream);
    this.#streams.set(stream, s);
    s.record(seq, now);
  }

  /** Counts gaps open for gapTimeoutMs as lost; forgets streams idle for idleMs. */
  sweep(): void {
    const now = this.#now();
    for (const [key, s] of this.#streams) {
      if (now - s.lastHeardAt < this.#idleMs) break;
      this.#forget(key, s);
    }
    for (const s of this.#streams.values()) s.expire(now, this.#gapTimeoutMs);
  }

  /** Counts every open gap as lost (at shutdown). */
  finish(): void {
    for (const s of this.#streams.values()) s.finish();
  }

  /** Tracks a new stream; past maxStreams, in the window of the stream it forgets for it. */
  #admit(stream: string, seq: number, now: number): void {
    let s: StreamWindow | undefined;
    if (this.#streams.size >= this.#maxStreams) {
      const oldest = this.#streams.entries().next();
      if (oldest.done !== true) {
        s = oldest.value[1];
        this.#forget(oldest.value[0], s);
      }
    }
    s ??= new StreamWindow(this.#window, this.#gapStepMs, this.#counts);
    s.start(seq, now);
    this.#streams.set(stream, s);
  }

  #forget(key: string, s: StreamWindow): void {
    this.#counts.lost += s.open;
    this.#streams.delete(key);
  }
}
