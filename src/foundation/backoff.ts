/**
 * Capped exponential backoff with jitter: how long to wait before the next
 * try. One policy for every retry of the project (the client's sends, the
 * server's outputs), each with its own base and cap. Pure: randomness is
 * passed in.
 */

export interface BackoffPolicy {
  /** Wait before the first retry, before jitter. */
  readonly baseMs: number;
  /** Longest wait between two tries, before jitter. */
  readonly capMs: number;
}

/** The client's sends: 100 ms, doubling, at most 2 s. */
export const SEND_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 100, capMs: 2000 });

/**
 * Wait before retry number `attempt` (0 for the first retry):
 * min(base * 2^attempt, cap) ms times a jitter factor from 0.8 to 1.2 drawn
 * from `random` (a number in [0, 1)).
 */
export function backoffMs(
  attempt: number,
  random: () => number,
  policy: BackoffPolicy = SEND_BACKOFF,
): number {
  const base = Math.min(policy.baseMs * 2 ** Math.max(0, attempt), policy.capMs);
  return base * (0.8 + 0.4 * random());
}
