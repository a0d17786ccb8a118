/**
 * A worker's copy of the seqs an output refused (no room): the acker on the
 * main thread decides it and tells the worker, so that the decoder takes
 * the next copy of such a message as new instead of dropping it as a
 * duplicate. Bounded: past MAX_REFUSED the oldest is forgotten (its next
 * copy is then a duplicate, and the sender keeps sending it until the
 * stream is forgotten, as when the acker forgets a stream).
 */

export const MAX_REFUSED = 65_536;

export class RefusedSeqs {
  readonly #seqs = new Set<string>();
  readonly #max: number;

  constructor(max = MAX_REFUSED) {
    this.#max = max;
  }

  get size(): number {
    return this.#seqs.size;
  }

  add(stream: string, seq: number): void {
    const key = `${stream}:${seq}`;
    this.#seqs.delete(key);
    this.#seqs.add(key);
    if (this.#seqs.size > this.#max) {
      const oldest = this.#seqs.values().next().value;
      if (oldest !== undefined) this.#seqs.delete(oldest);
    }
  }

  /** True once for a refused seq: its next copy is decoded as new. */
  take(stream: string, seq: number): boolean {
    if (this.#seqs.size === 0) return false;
    return this.#seqs.delete(`${stream}:${seq}`);
  }
}
