/**
 * The periodic stats callback: every interval, the current snapshot with the
 * previous one and the time between them, so rates can be computed.
 */
import type { Clock, TimerHandle, Timers } from "../foundation/time.js";
import type { ServerStats } from "./stats.js";

export type StatsListener = (
  current: ServerStats,
  previous: ServerStats | undefined,
  elapsedMs: number,
) => void;

export interface StatsReporterOptions {
  /** Undefined: no reporter. */
  readonly onStats: StatsListener | undefined;
  /** 0 or undefined: no reporter. */
  readonly intervalMs: number | undefined;
  readonly timers: Pick<Timers, "setInterval">;
  readonly now: Clock;
  readonly stats: () => ServerStats;
  /** A throw of onStats; the reporter goes on. */
  readonly onError: (error: Error) => void;
}

/** Starts the reporter; returns its interval handle (unref'd), or undefined when it is off. */
export function startStatsReporter(options: StatsReporterOptions): TimerHandle | undefined {
  const { onStats, now, stats, onError } = options;
  const intervalMs = options.intervalMs ?? 0;
  if (onStats === undefined || !(intervalMs > 0)) return undefined;
  let previous: ServerStats | undefined;
  let previousAt = now();
  const timer = options.timers.setInterval(() => {
    const current = stats();
    const at = now();
    try {
      onStats(current, previous, at - previousAt);
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
    }
    previous = current;
    previousAt = at;
  }, intervalMs);
  timer.unref?.();
  return timer;
}
