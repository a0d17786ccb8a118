/**
 * Retry policy for sends: which errors are worth another try, how long to wait
 * before it (capped exponential backoff with jitter), and timers that shutdown
 * can cancel. Pure apart from the injected timers.
 */

import { backoffMs, SEND_BACKOFF } from "../foundation/backoff.js";
import type { TimerHandle, Timers } from "../foundation/time.js";

/** Longest delay between two tries, before jitter. */
export const RETRY_CAP_MS = SEND_BACKOFF.capMs;

/**
 * Errno codes a later try can fix: a full send buffer, an ICMP port or host
 * unreachable surfaced on a connected socket, a DNS answer that failed for now.
 * EMSGSIZE is not here: a datagram too large for the path is a splitting bug,
 * and sending it again cannot help.
 */
export const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "ENOBUFS",
  "EAGAIN",
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/**
 * Wait before retry number `attempt` (0 for the first retry):
 * min(100 * 2^attempt, 2000) ms times a jitter factor from 0.8 to 1.2 drawn
 * from `random` (a number in [0, 1)).
 */
export function delayMs(attempt: number, random: () => number): number {
  return backoffMs(attempt, random, SEND_BACKOFF);
}

/** True when a send that failed with this errno code may succeed if tried again. */
export function isRetryable(code: unknown): boolean {
  return typeof code === "string" && RETRYABLE_CODES.has(code);
}

/** True once `done` settles, false if `timeoutMs` passes first; the timer is cleared either way. */
export async function settledWithin(
  timers: Timers,
  done: Promise<unknown>,
  timeoutMs: number,
): Promise<boolean> {
  let handle: TimerHandle | undefined;
  const timedOut = new Promise<false>((resolve) => {
    handle = timers.setTimeout(() => resolve(false), timeoutMs);
  });
  const settled = await Promise.race([done.then(() => true as const), timedOut]);
  timers.clearTimeout(handle);
  return settled;
}

/** Waits that can all be cancelled at once (shutdown stops pending retries). */
export class RetryTimers {
  readonly #timers: Timers;
  readonly #pending = new Map<TimerHandle, (elapsed: boolean) => void>();

  constructor(timers: Timers) {
    this.#timers = timers;
  }

  /** Resolves true after `ms`, or false as soon as cancelAll() is called. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const handle = this.#timers.setTimeout(() => {
        this.#pending.delete(handle);
        resolve(true);
      }, ms);
      this.#pending.set(handle, resolve);
    });
  }

  /** Waits not yet elapsed or cancelled. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Clears every pending wait; each resolves false. */
  cancelAll(): void {
    for (const [handle, resolve] of this.#pending) {
      this.#timers.clearTimeout(handle);
      resolve(false);
    }
    this.#pending.clear();
  }
}
