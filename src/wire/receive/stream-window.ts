/**
 * The window of one stream (PROTOCOL.md "Sequence"): which of its last
 * `size` seqs were seen, which gaps are open and since when, and what
 * becomes of a seq that arrives. Counts go to the tracker's shared counts.
 */
import { SEQ_MODULO } from "../constants.js";

/** State of one seq inside a stream's window. */
const BEFORE_START = 0;
const SEEN = 1;
const OPEN_GAP = 2;
const LOST_GAP = 3;

const HALF_SEQ_SPACE = SEQ_MODULO / 2;

/** What the windows of every stream add up to. */
export interface SequenceCounts {
  lost: number;
  reordered: number;
  late: number;
}

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

/** `a - b` in serial-number arithmetic (RFC 1982): in (-2^31, 2^31]; 2^31 itself reads as behind. */
export function serialDiff(a: number, b: number): number {
  const d = (((a - b) % SEQ_MODULO) + SEQ_MODULO) % SEQ_MODULO;
  return d >= HALF_SEQ_SPACE ? d - SEQ_MODULO : d;
}

/**
 * One byte per seq of the window, indexed by `seq & mask`, and the gap runs
 * in seq order (and so in opening order), the oldest first: one per gap
 * step, so at most about gapTimeoutMs / gapStepMs + 2 of them.
 */
export class StreamWindow {
  highest = 0;
  lastHeardAt = 0;
  /** Seqs of the window still in OPEN_GAP. */
  open = 0;
  readonly #states: Uint8Array;
  readonly #size: number;
  readonly #mask: number;
  readonly #gapStepMs: number;
  readonly #counts: SequenceCounts;
  #runs: GapRun[] = [];

  /** `size` is a power of two. */
  constructor(size: number, gapStepMs: number, counts: SequenceCounts) {
    this.#states = new Uint8Array(size);
    this.#size = size;
    this.#mask = size - 1;
    this.#gapStepMs = gapStepMs;
    this.#counts = counts;
  }

  /** Starts the window over at `seq`, its first seq, heard at `now`. */
  start(seq: number, now: number): void {
    this.#states.fill(BEFORE_START);
    this.#runs.length = 0;
    this.open = 0;
    this.highest = seq;
    this.lastHeardAt = now;
    this.#states[seq & this.#mask] = SEEN;
  }

  /** True for a seq already seen inside the window, or older than it and signed (a replay). */
  isDuplicate(seq: number, signed: boolean): boolean {
    const d = serialDiff(seq, this.highest);
    if (d > 0) return false;
    return d > -this.#size ? this.#states[seq & this.#mask] === SEEN : signed;
  }

  /** A forward seq advances the window, one inside it fills its gap, an older one changes nothing. */
  record(seq: number, now: number): void {
    this.lastHeardAt = now;
    const d = serialDiff(seq, this.highest);
    if (d > 0) this.#advance(seq, d, now);
    else if (d > -this.#size) this.#fill(seq);
  }

  /** Counts the gaps open for `timeoutMs` as lost. */
  expire(now: number, timeoutMs: number): void {
    let run: GapRun | undefined = this.#runs[0];
    while (run !== undefined && now - run.openedAt >= timeoutMs) {
      for (let k = 0; k < run.count; k++) {
        const seq: number = (run.first + k) % SEQ_MODULO;
        const p = seq & this.#mask;
        if (this.#states[p] === OPEN_GAP && this.#inWindow(seq)) {
          this.#states[p] = LOST_GAP;
          this.open--;
          this.#counts.lost++;
        }
      }
      this.#runs.shift();
      run = this.#runs[0];
    }
  }

  /** Counts every open gap as lost (at shutdown). */
  finish(): void {
    if (this.open === 0) return;
    this.#counts.lost += this.open;
    this.open = 0;
    for (let p = 0; p < this.#size; p++) {
      if (this.#states[p] === OPEN_GAP) this.#states[p] = LOST_GAP;
    }
    this.#runs = [];
  }

  #fill(seq: number): void {
    const p = seq & this.#mask;
    const state = this.#states[p];
    if (state === SEEN) return;
    if (state === LOST_GAP) {
      this.#counts.late++;
    } else {
      // An open gap, or a seq from before the stream's first one: both arrived out of order.
      if (state !== BEFORE_START) this.open--;
      this.#counts.reordered++;
    }
    this.#states[p] = SEEN;
  }

  #advance(seq: number, d: number, now: number): void {
    const w = this.#size;
    const openedAt = Math.ceil(now / this.#gapStepMs) * this.#gapStepMs;
    if (d >= w) {
      // Every seq of the old window leaves it; of the d - 1 skipped, only w - 1 enter the new one.
      this.#counts.lost += this.open + (d - w);
      this.#states.fill(OPEN_GAP);
      this.open = w - 1;
      this.#runs = [{ first: (seq - (w - 1) + SEQ_MODULO) % SEQ_MODULO, count: w - 1, openedAt }];
    } else {
      for (let k = 1; k < d; k++) this.#reuse(this.highest + k, OPEN_GAP);
      this.#reuse(seq, SEEN);
      this.open += d - 1;
      if (d > 1) this.#openRun((this.highest + 1) % SEQ_MODULO, d - 1, openedAt);
    }
    this.#states[seq & this.#mask] = SEEN;
    this.highest = seq;
    this.#dropRunsOutOfWindow();
  }

  /**
   * Adds the gap `first`..`first + count - 1` (ending just before the new
   * highest seq): to the newest run when it opened in the same step, cut to
   * the window, else as a new run.
   */
  #openRun(first: number, count: number, openedAt: number): void {
    const last = this.#runs.at(-1);
    if (last === undefined || last.openedAt !== openedAt) {
      this.#runs.push({ first, count, openedAt });
      return;
    }
    const end = (first + count) % SEQ_MODULO;
    last.count = Math.min(serialDiff(end, last.first), this.#size - 1);
    last.first = (end - last.count + SEQ_MODULO) % SEQ_MODULO;
  }

  /** Gives a window slot to a new seq; the seq leaving the slot counts lost if its gap was open. */
  #reuse(seq: number, state: number): void {
    const p = seq & this.#mask;
    if (this.#states[p] === OPEN_GAP) {
      this.#counts.lost++;
      this.open--;
    }
    this.#states[p] = state;
  }

  #inWindow(seq: number): boolean {
    return serialDiff(this.highest, seq) < this.#size;
  }

  #dropRunsOutOfWindow(): void {
    let run: GapRun | undefined = this.#runs[0];
    while (run !== undefined && !this.#inWindow(run.first + run.count - 1)) {
      this.#runs.shift();
      run = this.#runs[0];
    }
  }
}
