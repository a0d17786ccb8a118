/**
 * Time as the rest of the code sees it: a clock to read and timers to wait
 * with, always injected, so the code never reads the global clock or timers
 * itself and tests move time by hand (test/support/fake-time.ts).
 */

/** Monotonic milliseconds (systemClock): for durations, deadlines and timeouts. */
export type Clock = () => number;

/** Milliseconds since the Unix epoch (Date.now): for timestamps only, never for durations. */
export type WallClock = () => number;

/**
 * What a timer function returns. `unref`, where the platform has it, lets the
 * process exit while the timer is still pending.
 */
export interface TimerHandle {
  unref?(): unknown;
}

/** The timer functions, in the shape of the global ones. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(callback: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

/** A clock with its timers, for code that both reads the time and waits. */
export interface Time extends Timers {
  readonly now: Clock;
}

/** The moment this module loaded, as process.hrtime gives it. */
const ORIGIN = process.hrtime();

/**
 * Milliseconds since this module loaded, from process.hrtime (monotonic):
 * the `performance` global would load node:perf_hooks, a dozen modules, at
 * start-up.
 */
export const systemClock: Clock = () => {
  const [seconds, nanoseconds] = process.hrtime(ORIGIN);
  return seconds * 1000 + nanoseconds / 1e6;
};

/** Date.now. */
export const systemWallClock: WallClock = () => Date.now();

/** The global timers; their handles are Node's Timeout objects. */
export const systemTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout | undefined),
};

/** systemClock with systemTimers. */
export const systemTime: Time = { now: systemClock, ...systemTimers };
