/**
 * Shutdown's drain: the socket keeps being read until the kernel's receive
 * queue for it is empty, so datagrams that reached the port before the
 * signal are counted instead of closed away. Where the queue cannot be read,
 * until no datagram has arrived for a quiet spell. Either way bounded by a
 * time and by a count of datagrams read, so a sender that never stops cannot
 * hold shutdown.
 */

import type { Clock, Timers } from "../foundation/time.js";

export interface DrainOptions {
  /** Bytes in the socket's receive queue now; null when it cannot be told. */
  readonly queuedBytes: () => number | null;
  /** Datagrams read so far, a count that only grows. */
  readonly received: () => number;
  readonly now: Clock;
  /** The drain waits between checks with setTimeout. */
  readonly timers: Pick<Timers, "setTimeout">;
  /** The drain ends after this long. 0: no drain. */
  readonly timeoutMs: number;
  /** The drain ends once this many datagrams were read during it. */
  readonly maxDatagrams: number;
  /** How often the queue is checked. Default 2 ms. */
  readonly pollMs?: number;
  /** Without a queue reading: the drain ends after this long with no datagram. Default 50 ms. */
  readonly quietMs?: number;
}

/** Why the drain ended: the queue was empty, it went quiet, or a bound was reached. */
export type DrainEnd = "empty" | "quiet" | "timeout" | "count";

export interface DrainResult {
  readonly end: DrainEnd;
  /** Datagrams read during the drain. */
  readonly datagrams: number;
  readonly elapsedMs: number;
}

export const DEFAULT_DRAIN_TIMEOUT_MS = 1000;
/** A bound well above what 1 s of reading takes in, so time is the bound that holds. */
export const DRAIN_MAX_DATAGRAMS = 1_000_000;
export const DRAIN_POLL_MS = 2;
export const DRAIN_QUIET_MS = 50;

/**
 * Resolves once the socket's queue is empty (checked at once, then every
 * `pollMs`), or quiet, or a bound is reached. The caller keeps the socket
 * reading meanwhile and closes it after.
 */
export function drainSocket(options: DrainOptions): Promise<DrainResult> {
  const { now, received, timers } = options;
  const pollMs = options.pollMs ?? DRAIN_POLL_MS;
  const quietMs = options.quietMs ?? DRAIN_QUIET_MS;
  const start = now();
  const base = received();
  let seen = base;
  let lastArrival = start;
  const check = (): DrainEnd | undefined => {
    const at = now();
    const count = received();
    if (count !== seen) {
      seen = count;
      lastArrival = at;
    }
    if (count - base >= options.maxDatagrams) return "count";
    const queued = options.queuedBytes();
    if (queued === 0) return "empty";
    if (queued === null && at - lastArrival >= quietMs) return "quiet";
    if (at - start >= options.timeoutMs) return "timeout";
    return undefined;
  };
  return new Promise((resolve) => {
    const poll = () => {
      const end = check();
      if (end === undefined) {
        timers.setTimeout(poll, pollMs);
        return;
      }
      resolve({ end, datagrams: received() - base, elapsedMs: now() - start });
    };
    poll();
  });
}
