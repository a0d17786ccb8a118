/**
 * A clock and timers that tests move by hand: time stands still and no timer
 * fires until advance() or runNext() is called.
 */
import type { Clock, Time, TimerHandle, WallClock } from "../../src/foundation/time.js";

/** Lets pending promise callbacks and immediates run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A pending timeout or interval. */
class FakeTimer implements TimerHandle {
  /** False once unref() was called. */
  refed = true;

  constructor(
    /** Order among timers due at the same time: the earlier armed fires first. */
    public order: number,
    /** Monotonic time at which it fires next. */
    public at: number,
    readonly callback: () => void,
    /** The period of an interval; undefined for a timeout. */
    readonly every: number | undefined,
  ) {}

  unref(): this {
    this.refed = false;
    return this;
  }
}

export class FakeTime implements Time {
  #now: number;
  readonly #wallAtZero: number;
  #order = 0;
  readonly #timers = new Set<FakeTimer>();

  /** `wallAtZero`: what wallClock reads while now() reads 0. */
  constructor(options: { startMs?: number; wallAtZero?: number } = {}) {
    this.#now = options.startMs ?? 0;
    this.#wallAtZero = options.wallAtZero ?? 0;
  }

  /** Monotonic milliseconds; moves only with advance() and runNext(). */
  readonly now: Clock = () => this.#now;

  /** Milliseconds since the epoch, moving with now(). */
  readonly wallClock: WallClock = () => this.#wallAtZero + this.#now;

  /** A delay below 0 fires at the current time. */
  readonly setTimeout = (callback: () => void, ms: number): TimerHandle =>
    this.#arm(callback, Math.max(0, ms), undefined);

  readonly clearTimeout = (handle: TimerHandle | undefined): void => {
    if (handle instanceof FakeTimer) this.#timers.delete(handle);
  };

  /** A period below 1 ms is 1 ms, as with Node's timers. */
  readonly setInterval = (callback: () => void, ms: number): TimerHandle => {
    const every = Math.max(1, ms);
    return this.#arm(callback, every, every);
  };

  readonly clearInterval = (handle: TimerHandle | undefined): void => {
    if (handle instanceof FakeTimer) this.#timers.delete(handle);
  };

  /** Timeouts and intervals not yet fired or cleared (an interval stays until cleared). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Pending timeouts. */
  get timeouts(): number {
    return this.#count((timer) => timer.every === undefined);
  }

  /** Intervals not cleared. */
  get intervals(): number {
    return this.#count((timer) => timer.every !== undefined);
  }

  /** Pending timers that were not unref'd. */
  get refed(): number {
    return this.#count((timer) => timer.refed);
  }

  /** Milliseconds from now until the next timer fires; undefined when none is pending. */
  get nextInMs(): number | undefined {
    const next = this.#next();
    return next === undefined ? undefined : next.at - this.#now;
  }

  /**
   * Moves time forward by `ms`, firing the timers due on the way in order,
   * with the clock at each one's time, and letting promises and immediates
   * settle before the first and after each.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#next();
      if (due === undefined || due.at > target) break;
      this.#fire(due);
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Moves the clock to the next timer's time and fires it, synchronously; throws when none is pending. */
  runNext(): void {
    const due = this.#next();
    if (due === undefined) throw new Error("no timer pending");
    this.#fire(due);
  }

  #arm(callback: () => void, delay: number, every: number | undefined): FakeTimer {
    const timer = new FakeTimer(this.#order++, this.#now + delay, callback, every);
    this.#timers.add(timer);
    return timer;
  }

  #next(): FakeTimer | undefined {
    let next: FakeTimer | undefined;
    for (const timer of this.#timers) {
      if (
        next === undefined ||
        timer.at < next.at ||
        (timer.at === next.at && timer.order < next.order)
      ) {
        next = timer;
      }
    }
    return next;
  }

  /** An interval is re-armed before its callback runs, so the callback can clear it. */
  #fire(timer: FakeTimer): void {
    this.#now = timer.at;
    if (timer.every === undefined) {
      this.#timers.delete(timer);
    } else {
      timer.at += timer.every;
      timer.order = this.#order++;
    }
    timer.callback();
  }

  #count(test: (timer: FakeTimer) => boolean): number {
    let count = 0;
    for (const timer of this.#timers) if (test(timer)) count++;
    return count;
  }
}
