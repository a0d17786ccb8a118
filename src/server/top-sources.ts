import { InvalidOptionError } from "../foundation/errors.js";
/**
 * The heaviest sources in bounded memory: the space-saving algorithm
 * (Metwally, Agrawal and El Abbadi, 2005) over an indexed min-heap. At most
 * `capacity` keys are counted; a new key past that takes the place of the
 * least-counted one and starts from its count. So a listed count is exact
 * while fewer than `capacity` keys were ever seen, and otherwise overstates
 * by at most the smallest count in the table; any key with more than
 * 1/capacity of the total is always in the table. Each add is O(log capacity).
 */

/** Keys counted at most by default. */
export const DEFAULT_TOP_CAPACITY = 1000;

export interface KeyCount {
  readonly key: string;
  readonly count: number;
}

export class TopCounter {
  readonly #capacity: number;
  readonly #keys: string[] = [];
  readonly #counts: number[] = [];
  readonly #index = new Map<string, number>();

  constructor(capacity: number = DEFAULT_TOP_CAPACITY) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 1)) {
      throw new InvalidOptionError("capacity must be an integer >= 1");
    }
    this.#capacity = capacity;
  }

  /** Adds `count` (> 0) to `key`. */
  add(key: string, count = 1): void {
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.#counts[at] = (this.#counts[at] ?? 0) + count;
      this.#siftDown(at);
      return;
    }
    if (this.#keys.length < this.#capacity) {
      this.#keys.push(key);
      this.#counts.push(count);
      this.#index.set(key, this.#keys.length - 1);
      this.#siftUp(this.#keys.length - 1);
      return;
    }
    // Space-saving: the newcomer replaces the minimum and inherits its count.
    this.#index.delete(this.#keys[0] ?? "");
    this.#keys[0] = key;
    this.#counts[0] = (this.#counts[0] ?? 0) + count;
    this.#index.set(key, 0);
    this.#siftDown(0);
  }

  /** The `n` largest counts, largest first; ties by key, so the order is stable. */
  top(n: number): KeyCount[] {
    const all = this.#keys.map((key, i) => ({ key, count: this.#counts[i] ?? 0 }));
    all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return all.slice(0, Math.max(0, n));
  }

  /** Keys counted now (at most the capacity). */
  get size(): number {
    return this.#keys.length;
  }

  #less(i: number, j: number): boolean {
    return (this.#counts[i] ?? 0) < (this.#counts[j] ?? 0);
  }

  #swap(i: number, j: number): void {
    const keys = this.#keys;
    const counts = this.#counts;
    const key = keys[i] ?? "";
    const count = counts[i] ?? 0;
    keys[i] = keys[j] ?? "";
    counts[i] = counts[j] ?? 0;
    keys[j] = key;
    counts[j] = count;
    this.#index.set(keys[i], i);
    this.#index.set(key, j);
  }

  #siftUp(start: number): void {
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(start: number): void {
    const size = this.#keys.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < size && this.#less(left, smallest)) smallest = left;
      if (right < size && this.#less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
