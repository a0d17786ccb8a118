/**
 * Ranges of seqs as acknowledgements carry them (PROTOCOL.md section 6):
 * first..last inclusive modulo 2^32, so a range may wrap, covering fewer
 * than 2^31 seqs.
 */
import { SEQ_MODULO } from "./constants.js";

/** Seqs first..last inclusive, modulo 2^32. */
export interface SeqRange {
  readonly first: number;
  readonly last: number;
}

/** Most seqs one range may cover: 2^31 - 1. */
export const MAX_RANGE_SEQS = 2 ** 31 - 1;

const LAST_SEQ = SEQ_MODULO - 1;

/** Seqs a range covers: 1 to 2^32. */
export function rangeSize(range: SeqRange): number {
  return ((range.last - range.first + SEQ_MODULO) % SEQ_MODULO) + 1;
}

/** True when `seq` lies in the range, wrap-around included. */
export function rangeContains(range: SeqRange, seq: number): boolean {
  return (seq - range.first + SEQ_MODULO) % SEQ_MODULO < rangeSize(range);
}

/**
 * The fewest ranges that cover exactly the given seqs (uint32s; repeats
 * allowed): runs of consecutive seqs, with a run ending at 2^32 - 1 joined
 * to one starting at 0 into a wrapping range, and no range over
 * MAX_RANGE_SEQS. Sorted by first seq, the wrapping range last.
 */
export function toRanges(seqs: Iterable<number>): SeqRange[] {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const runs: { first: number; last: number }[] = [];
  for (const seq of sorted) {
    const run = runs.at(-1);
    if (run !== undefined && seq === run.last + 1 && seq - run.first < MAX_RANGE_SEQS) {
      run.last = seq;
    } else runs.push({ first: seq, last: seq });
  }
  const head = runs[0];
  const tail = runs.at(-1);
  if (
    runs.length > 1 &&
    head?.first === 0 &&
    tail?.last === LAST_SEQ &&
    rangeSize({ first: tail.first, last: head.last }) <= MAX_RANGE_SEQS
  ) {
    runs.shift();
    tail.last = head.last;
  }
  return runs;
}
