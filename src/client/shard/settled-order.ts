/**
 * Settled entries across targets: each target's shipper counts, from its
 * first entry, the entries that have all settled; this keeps the order in
 * which the caller's entries went to the targets (as runs: target, first
 * entry number there, count) and gives how many of the caller's entries,
 * from the first, have all settled. It never counts an entry before every
 * earlier one settled, whatever target it went to.
 */

const ADVANCE_EVERY = 1024;
const COMPACT_AFTER = 1024;

export class SettledOrder {
  readonly #settledOf: (target: number) => number;
  #targets: number[] = [];
  #starts: number[] = [];
  #counts: number[] = [];
  #head = 0;
  #settled = 0;
  #pushes = 0;

  /** `settledOf(target)`: that target's settled count, entries numbered from 0 there. */
  constructor(settledOf: (target: number) => number) {
    this.#settledOf = settledOf;
  }

  /** The caller's next entry went to `target`, where it is entry number `local`. */
  push(target: number, local: number): void {
    const last = this.#targets.length - 1;
    if (
      last >= this.#head &&
      this.#targets[last] === target &&
      (this.#starts[last] as number) + (this.#counts[last] as number) === local
    ) {
      this.#counts[last] = (this.#counts[last] as number) + 1;
    } else {
      this.#targets.push(target);
      this.#starts.push(local);
      this.#counts.push(1);
    }
    // Advancing now and then keeps the runs to the entries not yet settled.
    if (++this.#pushes % ADVANCE_EVERY === 0) this.#advance();
  }

  /** The caller's entries, from the first, that have all settled. */
  get count(): number {
    this.#advance();
    return this.#settled;
  }

  #advance(): void {
    while (this.#head < this.#targets.length) {
      const i = this.#head;
      const start = this.#starts[i] as number;
      const count = this.#counts[i] as number;
      const done = this.#settledOf(this.#targets[i] as number) - start;
      if (done <= 0) break;
      if (done < count) {
        this.#settled += done;
        this.#starts[i] = start + done;
        this.#counts[i] = count - done;
        break;
      }
      this.#settled += count;
      this.#head += 1;
    }
    if (this.#head > COMPACT_AFTER && this.#head * 2 > this.#targets.length) {
      this.#targets = this.#targets.slice(this.#head);
      this.#starts = this.#starts.slice(this.#head);
      this.#counts = this.#counts.slice(this.#head);
      this.#head = 0;
    }
  }
}
