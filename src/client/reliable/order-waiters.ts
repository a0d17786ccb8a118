/**
 * Promises waiting for every message up to an order to settle: released
 * once the oldest message not settled is past their order.
 */
export class OrderWaiters {
  #waiters: { upTo: number; resolve: () => void }[] = [];

  /** Resolves once `oldest()` passes `upTo` (at once when it already has). */
  wait(upTo: number, oldest: number): Promise<void> {
    if (oldest > upTo) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ upTo, resolve }));
  }

  /** The oldest message not settled is now `oldest`: releases the waiters before it. */
  release(oldest: number): void {
    if (this.#waiters.length === 0) return;
    const ready = this.#waiters.filter((waiter) => waiter.upTo < oldest);
    this.#waiters = this.#waiters.filter((waiter) => waiter.upTo >= oldest);
    for (const waiter of ready) waiter.resolve();
  }
}
