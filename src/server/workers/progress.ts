/**
 * How far each worker has got, in shared memory: the batches it has
 * decoded. The main thread hands a worker at most MAX_BATCHES_AHEAD batches
 * it has not decoded yet; past that it waits (Atomics.wait) for the worker
 * to catch up. While it waits it does not read the socket, so a flood that
 * the workers cannot decode fills the kernel's receive buffer and is
 * counted in `kernel_drops`, as with one thread, instead of queueing
 * without bound in memory.
 */

/** Batches handed to a worker and not decoded yet, at most. */
export const MAX_BATCHES_AHEAD = 64;
/** The longest one hand-over waits for a worker (a stuck worker must not stop the server). */
export const MAX_WAIT_MS = 1000;

export class Progress {
  /** One int32 per worker: the batches it has decoded (wrapping). */
  readonly shared: SharedArrayBuffer;
  readonly #done: Int32Array;
  readonly #sent: Int32Array;

  constructor(workers: number) {
    this.shared = new SharedArrayBuffer(4 * workers);
    this.#done = new Int32Array(this.shared);
    this.#sent = new Int32Array(workers);
  }

  /** Batches handed to worker `index` and not decoded yet. */
  ahead(index: number): number {
    return ((this.#sent[index] ?? 0) - Atomics.load(this.#done, index)) | 0;
  }

  /** Before a batch goes to worker `index`: waits while it is MAX_BATCHES_AHEAD behind. */
  beforeSend(index: number, now: () => number = performance.now.bind(performance)): void {
    const deadline = now() + MAX_WAIT_MS;
    for (let ahead = this.ahead(index); ahead >= MAX_BATCHES_AHEAD; ahead = this.ahead(index)) {
      const left = deadline - now();
      if (left <= 0) break;
      Atomics.wait(this.#done, index, Atomics.load(this.#done, index), left);
    }
    this.#sent[index] = ((this.#sent[index] ?? 0) + 1) | 0;
  }

  /** A replaced worker: the batches its predecessor did not decode are not waited for. */
  reset(index: number): void {
    this.#sent[index] = Atomics.load(this.#done, index);
  }
}

/** In a worker: one more batch decoded. */
export function markDecoded(shared: SharedArrayBuffer, index: number): void {
  const done = new Int32Array(shared);
  Atomics.add(done, index, 1);
  Atomics.notify(done, index);
}
