/**
 * The buffers batches are packed into on their way to the splitting thread,
 * handed back by it once the batch is compressed and used again: a steady
 * stream of batches then allocates none, and the memory they take stays
 * bounded by what the pool keeps. Sizes are rounded up to a power of two
 * (16 KiB at least), so a buffer serves the next batches of about its size.
 */

const MIN_BYTES = 16 * 1024;
/** Larger buffers are not kept: batches that large are rare. */
const MAX_KEPT_BYTES = 1024 * 1024;
/**
 * Buffers kept of each size: as many as batches can be on the worker at
 * once (MAX_OFF_THREAD_BATCHES), since the batches of one read of the
 * input go over together and come back together.
 */
const KEPT_PER_SIZE = 16;

export class BufferPool {
  readonly #free = new Map<number, ArrayBuffer[]>();

  /** A buffer of at least `bytes` bytes: a kept one, or a new one. */
  readonly take = (bytes: number): ArrayBuffer => {
    const size = sizeFor(bytes);
    return this.#free.get(size)?.pop() ?? new ArrayBuffer(size);
  };

  /** Keeps a buffer that take() gave, unless enough of its size are kept. */
  give(buffer: ArrayBuffer): void {
    const size = buffer.byteLength;
    if (size > MAX_KEPT_BYTES || size !== sizeFor(size)) return;
    let free = this.#free.get(size);
    if (free === undefined) {
      free = [];
      this.#free.set(size, free);
    }
    if (free.length < KEPT_PER_SIZE) free.push(buffer);
  }
}

/** The size class of `bytes`: a power of two, at least MIN_BYTES. */
function sizeFor(bytes: number): number {
  return bytes <= MIN_BYTES ? MIN_BYTES : 2 ** Math.ceil(Math.log2(bytes));
}
