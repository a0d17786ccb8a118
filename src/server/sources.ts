/**
 * Who sends, and who may: each datagram's source address is counted among
 * the top sources, then checked against the allow-list and the per-source
 * rate limit before anything of the datagram is read. Sources are addresses
 * without the port, so a flood from many ports of one host is one source.
 */
import type { Clock } from "../foundation/time.js";
import { AllowList, canonicalAddress } from "./allow-list.js";
import { RateLimiter } from "./rate-limit.js";
import { DEFAULT_TOP_CAPACITY, TopCounter } from "./top-sources.js";

/** Reasons a datagram is refused before it is decoded. */
export type GateReason = "not-allowed" | "rate-limited";

/** Sources listed in the stats line and the summary. */
const TOP_SOURCES_LISTED = 5;

/** The heaviest sources, as the summary shows them. */
export interface TopSources {
  readonly by_datagrams: readonly { readonly source: string; readonly datagrams: number }[];
  readonly by_rejections: readonly { readonly source: string; readonly rejections: number }[];
}

export interface SourcePolicyOptions {
  /** Networks (CIDR) whose sources are accepted; undefined or empty: every source. */
  readonly allow?: readonly string[] | undefined;
  /** Datagrams per second per source, with a burst as large; undefined or 0: no limit. */
  readonly rateLimitPerSecond?: number | undefined;
  /** Monotonic milliseconds, for the rate limit. */
  readonly now: Clock;
  /** Sources counted at most in each top table; default 1,000. */
  readonly topCapacity?: number;
  /** Sources tracked at most by the rate limit; default 10,000. */
  readonly maxRateSources?: number;
}

export class SourcePolicy {
  readonly #allow: AllowList | undefined;
  readonly #rate: RateLimiter | undefined;
  readonly #datagrams: TopCounter;
  readonly #rejections: TopCounter;

  /** Throws a TypeError for a bad network or rate. */
  constructor(options: SourcePolicyOptions) {
    const allow = options.allow ?? [];
    this.#allow = allow.length > 0 ? new AllowList(allow) : undefined;
    const rate = options.rateLimitPerSecond ?? 0;
    this.#rate =
      rate > 0
        ? new RateLimiter({
            ratePerSecond: rate,
            now: options.now,
            ...(options.maxRateSources === undefined ? {} : { maxSources: options.maxRateSources }),
          })
        : undefined;
    this.#datagrams = new TopCounter(options.topCapacity ?? DEFAULT_TOP_CAPACITY);
    this.#rejections = new TopCounter(options.topCapacity ?? DEFAULT_TOP_CAPACITY);
  }

  /**
   * Counts one datagram from `address` and decides whether it may be decoded.
   * Returns the source's name and, when refused, the reason (already counted
   * as a rejection of that source).
   */
  admit(address: string): { readonly source: string; readonly refused: GateReason | undefined } {
    const source = canonicalAddress(address);
    this.#datagrams.add(source);
    let refused: GateReason | undefined;
    if (this.#allow !== undefined && !this.#allow.allows(source)) refused = "not-allowed";
    else if (this.#rate !== undefined && !this.#rate.take(source)) refused = "rate-limited";
    if (refused !== undefined) this.#rejections.add(source);
    return { source, refused };
  }

  /** Counts `count` rejections (by the decoder) of a source's datagram or entries. */
  rejected(source: string, count = 1): void {
    if (count > 0) this.#rejections.add(source, count);
  }

  /** The `listed` heaviest sources by datagrams and by rejections. */
  top(listed: number = TOP_SOURCES_LISTED): TopSources {
    return {
      by_datagrams: this.#datagrams
        .top(listed)
        .map(({ key, count }) => ({ source: key, datagrams: count })),
      by_rejections: this.#rejections
        .top(listed)
        .map(({ key, count }) => ({ source: key, rejections: count })),
    };
  }
}
