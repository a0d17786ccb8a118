/** One timer for the earliest of several deadlines: re-armed only for an earlier one. */
import type { Time, TimerHandle } from "../../foundation/time.js";

export class DeadlineTimer {
  readonly #clock: Time;
  readonly #fire: () => void;
  #timer: TimerHandle | undefined;
  #at = Number.POSITIVE_INFINITY;

  constructor(clock: Time, fire: () => void) {
    this.#clock = clock;
    this.#fire = fire;
  }

  /** Fires at `at` (monotonic ms) unless already armed earlier; an infinite `at` is ignored. */
  arm(at: number): void {
    if (at >= this.#at) return;
    this.clear();
    this.#at = at;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#at = Number.POSITIVE_INFINITY;
        this.#fire();
      },
      Math.max(0, at - this.#clock.now()),
    );
  }

  clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }
}
