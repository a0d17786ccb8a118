/**
 * Time as the rest of the code sees it: a clock to read and timers to wait
 * with, always injected, so the code never reads the global clock or timers
 * itself and tests move time by hand (test/support/fake-time.ts).
 */

/** Monotonic milliseconds (performance.now): for durations, deadlines and timeouts. */
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

/** performance.now. */
export const systemClock: Clock = () => performance.now();

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
