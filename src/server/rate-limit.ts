/**
 * Per-source rate limit: a token bucket per source address, refilled at
 * `ratePerSecond` and holding at most `burst` tokens; a datagram takes one
 * token or is refused. The table of sources is bounded: past `maxSources`
 * the least recently seen source is forgotten (O(1): a Map kept in
 * last-seen order), and comes back, if it ever does, with a full bucket.
 */
import { InvalidOptionError } from "../foundation/errors.js";
import type { Clock } from "../foundation/time.js";

/** Sources tracked at most by default. */
export const DEFAULT_MAX_RATE_SOURCES = 10_000;

export interface RateLimiterOptions {
  /** Tokens added per second, per source; must be > 0. */
  readonly ratePerSecond: number;
  /** Most tokens a bucket holds: the burst a quiet source may send at once. Default ratePerSecond. */
  readonly burst?: number;
  /** Monotonic milliseconds. */
  readonly now: Clock;
  /** Sources tracked at most; default 10,000. */
  readonly maxSources?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly #ratePerSecond: number;
  readonly #burst: number;
  readonly #now: Clock;
  readonly #maxSources: number;
  /** In last-seen order: the first key is the least recently seen source. */
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: RateLimiterOptions) {
    const { ratePerSecond, now } = options;
    const burst = options.burst ?? ratePerSecond;
    const maxSources = options.maxSources ?? DEFAULT_MAX_RATE_SOURCES;
    if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
      throw new InvalidOptionError("ratePerSecond must be a finite number > 0");
    }
    if (!(Number.isFinite(burst) && burst >= 1)) throw new InvalidOptionError("burst must be >= 1");
    if (!(Number.isSafeInteger(maxSources) && maxSources >= 1)) {
      throw new InvalidOptionError("maxSources must be an integer >= 1");
    }
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
    this.#now = now;
    this.#maxSources = maxSources;
  }

  /** Takes a token for one datagram from `source`; false when its bucket is empty. */
  take(source: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(source);
    if (bucket === undefined) {
      this.#remember(source, { tokens: this.#burst - 1, at: now });
      return true;
    }
    this.#buckets.delete(source);
    this.#buckets.set(source, bucket);
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.#burst, bucket.tokens + (elapsed * this.#ratePerSecond) / 1000);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Sources tracked now. */
  get sources(): number {
    return this.#buckets.size;
  }

  #remember(source: string, bucket: Bucket): void {
    if (this.#buckets.size >= this.#maxSources) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
    this.#buckets.set(source, bucket);
  }
}
