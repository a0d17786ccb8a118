import {
  GAP_TIMEOUT_MS,
  MAX_STREAMS,
  SEQ_MODULO,
  SEQUENCE_WINDOW,
  STREAM_IDLE_MS,
} from "../constants.js";
import type { Clock } from "../types.js";

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

/** State of one seq inside a stream's window. */
const BEFORE_START = 0;
const SEEN = 1;
const OPEN_GAP = 2;
const LOST_GAP = 3;

const HALF_SEQ_SPACE = SEQ_MODULO / 2;
const POWERS_OF_TWO = Array.from({ length: 16 }, (_, i) => 2 ** (i + 1));

/**
 * Seqs skipped by the forward jumps of one gap step: they share the time
 * their gaps opened. A run may also span seqs seen between those jumps;
 * only the seqs still in OPEN_GAP count when it times out.
 */
interface GapRun {
  first: number;
  count: number;
  readonly openedAt: number;
}

interface StreamState {
  highest: number;
  lastHeardAt: number;
  /** Seqs of the window still in OPEN_GAP. */
  open: number;
  /** One byte per seq of the window, indexed by `seq & mask`. */
  readonly states: Uint8Array;
  /**
   * Gap runs in seq order (and so in opening order), the oldest first: one
   * per gap step, so at most about gapTimeoutMs / gapStepMs + 2 of them.
   */
  runs: GapRun[];
}

/** `a - b` in serial-number arithmetic (RFC 1982): in (-2^31, 2^31]; 2^31 itself reads as behind. */
export function serialDiff(a: number, b: number): number {
  const d = (((a - b) % SEQ_MODULO) + SEQ_MODULO) % SEQ_MODULO;
  return d >= HALF_SEQ_SPACE ? d - SEQ_MODULO : d;
}

function positive(name: string, value: number | undefined, fallback: number, integer = false) {
  const v = value ?? fallback;
  if (!(v > 0 && (integer ? Number.isInteger(v) : Number.isFinite(v)))) {
    throw new TypeError(`${name} must be a positive ${integer ? "integer" : "number"}`);
  }
  return v;
}

/**
 * Loss, reordering and duplicates per stream (PROTOCOL.md "Sequence").
 *
 * `seen()` answers and counts duplicates; `record()` marks a seq that was
 * accepted. Memory per stream is one byte per window seq plus one gap run per
 * gap step still open: about 2 KB with its key, and at most 12 runs of about
 * 60 bytes at the defaults, whatever a sender skips (a run a gap took 47 KB
 * for a stream skipping every other seq). The state of the stream forgotten
 * for a new one is reused: a flood of fresh streams makes no garbage of it.
 * Every operation is O(1) amortized except a forward jump, which is
 * O(min(jump, window)).
 */
export class SequenceTracker {
  readonly #now: Clock;
  readonly #window: number;
  readonly #mask: number;
  readonly #gapTimeoutMs: number;
  readonly #idleMs: number;
  readonly #maxStreams: number;
  readonly #gapStepMs: number;
  /** Insertion order is least recently heard first: a stream is re-inserted when heard. */
  readonly #streams = new Map<string, StreamState>();
  #lost = 0;
  #duplicates = 0;
  #reordered = 0;
  #late = 0;

  constructor(options: SequenceTrackerOptions) {
    this.#now = options.now;
    const window = options.window ?? SEQUENCE_WINDOW;
    if (!POWERS_OF_TWO.includes(window)) {
      throw new TypeError("window must be a power of two from 2 to 65536");
    }
    this.#window = window;
    this.#mask = window - 1;
    this.#gapTimeoutMs = positive("gapTimeoutMs", options.gapTimeoutMs, GAP_TIMEOUT_MS);
    this.#idleMs = positive("idleMs", options.idleMs, STREAM_IDLE_MS);
    this.#maxStreams = positive("maxStreams", options.maxStreams, MAX_STREAMS, true);
    this.#gapStepMs = positive("gapStepMs", options.gapStepMs, GAP_STEP_MS);
  }

  /** Messages counted lost: gaps pushed out of the window, timed out, or of forgotten streams. */
  get lost(): number {
    return this.#lost;
  }
  /** Times `seen()` answered true. */
  get duplicates(): number {
    return this.#duplicates;
  }
  /** Seqs that arrived after a later one, while their gap was still open. */
  get reordered(): number {
    return this.#reordered;
  }
  /** Seqs that arrived inside the window after their gap had been counted lost. */
  get late(): number {
    return this.#late;
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
    const s = this.#streams.get(stream);
    if (s === undefined) return false;
    const d = serialDiff(seq, s.highest);
    if (d > 0) return false;
    const duplicate = d > -this.#window ? s.states[seq & this.#mask] === SEEN : signed;
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
    s.lastHeardAt = now;
    const d = serialDiff(seq, s.highest);
    if (d > 0) this.#advance(s, seq, d, now);
    else if (d > -this.#window) this.#fill(s, seq);
  }

  /** Counts gaps open for gapTimeoutMs as lost; forgets streams idle for idleMs. */
  sweep(): void {
    const now = this.#now();
    for (const [key, s] of this.#streams) {
      if (now - s.lastHeardAt < this.#idleMs) break;
      this.#forget(key, s);
    }
    for (const s of this.#streams.values()) this.#expireGaps(s, now);
  }

  /** Counts every open gap as lost (at shutdown). */
  finish(): void {
    for (const s of this.#streams.values()) {
      if (s.open === 0) continue;
      this.#lost += s.open;
      s.open = 0;
      for (let p = 0; p < this.#window; p++) {
        if (s.states[p] === OPEN_GAP) s.states[p] = LOST_GAP;
      }
      s.runs = [];
    }
  }

  /** Tracks a new stream; past maxStreams, in the state of the stream it forgets for it. */
  #admit(stream: string, seq: number, now: number): void {
    let s: StreamState | undefined;
    if (this.#streams.size >= this.#maxStreams) {
      const oldest = this.#streams.entries().next();
      if (oldest.done !== true) {
        s = oldest.value[1];
        this.#forget(oldest.value[0], s);
        s.states.fill(BEFORE_START);
        s.runs.length = 0;
        s.open = 0;
      }
    }
    s ??= { highest: 0, lastHeardAt: 0, open: 0, states: new Uint8Array(this.#window), runs: [] };
    s.highest = seq;
    s.lastHeardAt = now;
    s.states[seq & this.#mask] = SEEN;
    this.#streams.set(stream, s);
  }

  #forget(key: string, s: StreamState): void {
    this.#lost += s.open;
    this.#streams.delete(key);
  }

  #fill(s: StreamState, seq: number): void {
    const p = seq & this.#mask;
    const state = s.states[p];
    if (state === SEEN) return;
    if (state === LOST_GAP) {
      this.#late++;
    } else {
      // An open gap, or a seq from before the stream's first one: both arrived out of order.
      if (state !== BEFORE_START) s.open--;
      this.#reordered++;
    }
    s.states[p] = SEEN;
  }

  #advance(s: StreamState, seq: number, d: number, now: number): void {
    const w = this.#window;
    const openedAt = Math.ceil(now / this.#gapStepMs) * this.#gapStepMs;
    if (d >= w) {
      // Every seq of the old window leaves it; of the d - 1 skipped, only w - 1 enter the new one.
      this.#lost += s.open + (d - w);
      s.states.fill(OPEN_GAP);
      s.open = w - 1;
      s.runs = [{ first: (seq - (w - 1) + SEQ_MODULO) % SEQ_MODULO, count: w - 1, openedAt }];
    } else {
      for (let k = 1; k < d; k++) this.#reuse(s, s.highest + k, OPEN_GAP);
      this.#reuse(s, seq, SEEN);
      s.open += d - 1;
      if (d > 1) this.#openRun(s, (s.highest + 1) % SEQ_MODULO, d - 1, openedAt);
    }
    s.states[seq & this.#mask] = SEEN;
    s.highest = seq;
    this.#dropRunsOutOfWindow(s);
  }

  /**
   * Adds the gap `first`..`first + count - 1` (ending just before the new
   * highest seq): to the newest run when it opened in the same step, cut to
   * the window, else as a new run.
   */
  #openRun(s: StreamState, first: number, count: number, openedAt: number): void {
    const last = s.runs.at(-1);
    if (last === undefined || last.openedAt !== openedAt) {
      s.runs.push({ first, count, openedAt });
      return;
    }
    const end = (first + count) % SEQ_MODULO;
    last.count = Math.min(serialDiff(end, last.first), this.#window - 1);
    last.first = (end - last.count + SEQ_MODULO) % SEQ_MODULO;
  }

  /** Gives a window slot to a new seq; the seq leaving the slot counts lost if its gap was open. */
  #reuse(s: StreamState, seq: number, state: number): void {
    const p = seq & this.#mask;
    if (s.states[p] === OPEN_GAP) {
      this.#lost++;
      s.open--;
    }
    s.states[p] = state;
  }

  #inWindow(s: StreamState, seq: number): boolean {
    return serialDiff(s.highest, seq) < this.#window;
  }

  #dropRunsOutOfWindow(s: StreamState): void {
    let run: GapRun | undefined = s.runs[0];
    while (run !== undefined && !this.#inWindow(s, run.first + run.count - 1)) {
      s.runs.shift();
      run = s.runs[0];
    }
  }

  #expireGaps(s: StreamState, now: number): void {
    let run: GapRun | undefined = s.runs[0];
    while (run !== undefined && now - run.openedAt >= this.#gapTimeoutMs) {
      for (let k = 0; k < run.count; k++) {
        const seq: number = (run.first + k) % SEQ_MODULO;
        const p = seq & this.#mask;
        if (s.states[p] === OPEN_GAP && this.#inWindow(s, seq)) {
          s.states[p] = LOST_GAP;
          s.open--;
          this.#lost++;
        }
      }
      s.runs.shift();
      run = s.runs[0];
    }
  }
}
