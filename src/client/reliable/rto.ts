/**
 * The retransmission timeout of reliable delivery, computed as TCP does
 * (RFC 6298): a smoothed round trip (SRTT) and its variation (RTTVAR) from
 * samples, RTO = SRTT + 4 * RTTVAR held between a floor and a cap, doubled
 * on each timeout until a new sample comes in. Samples come only from
 * messages sent once (Karn's rule: the acknowledgement of a message sent
 * again does not say which copy it answers). Pure: no clock, no timers.
 */

/** RTO before the first sample (RFC 6298 2.1). */
export const INITIAL_RTO_MS = 1000;
/**
 * Lowest RTO. RFC 6298 asks for 1 s; like Linux TCP (200 ms) we go lower,
 * yet well above the 50 ms the server may take to coalesce acknowledgements.
 */
export const MIN_RTO_MS = 200;
/** Highest RTO, backoff included. */
export const MAX_RTO_MS = 10_000;

const ALPHA = 1 / 8;
const BETA = 1 / 4;
const K = 4;
/** Clock granularity G of RFC 6298: the monotonic clock is finer than this. */
const GRANULARITY_MS = 1;

export interface RtoSettings {
  readonly initialMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RTO_SETTINGS: RtoSettings = Object.freeze({
  initialMs: INITIAL_RTO_MS,
  minMs: MIN_RTO_MS,
  maxMs: MAX_RTO_MS,
});

export class RtoEstimator {
  readonly #settings: RtoSettings;
  #srtt: number | undefined;
  #rttvar = 0;
  #rto: number;

  constructor(settings: RtoSettings = DEFAULT_RTO_SETTINGS) {
    this.#settings = settings;
    this.#rto = this.#bound(settings.initialMs);
  }

  /** The current timeout, milliseconds. */
  get rtoMs(): number {
    return this.#rto;
  }

  /** The smoothed round trip; undefined before the first sample. */
  get srttMs(): number | undefined {
    return this.#srtt;
  }

  get rttvarMs(): number {
    return this.#rttvar;
  }

  /** A round-trip sample of a message sent once (RFC 6298 2.2, 2.3); undoes the backoff. */
  sample(rttMs: number): void {
    const r = Math.max(0, rttMs);
    if (this.#srtt === undefined) {
      this.#srtt = r;
      this.#rttvar = r / 2;
    } else {
      this.#rttvar = (1 - BETA) * this.#rttvar + BETA * Math.abs(this.#srtt - r);
      this.#srtt = (1 - ALPHA) * this.#srtt + ALPHA * r;
    }
    this.#rto = this.#bound(this.#srtt + Math.max(GRANULARITY_MS, K * this.#rttvar));
  }

  /** The timer expired: double the timeout, up to the cap (RFC 6298 5.5). */
  backOff(): void {
    this.#rto = this.#bound(this.#rto * 2);
  }

  #bound(ms: number): number {
    return Math.min(this.#settings.maxMs, Math.max(this.#settings.minMs, ms));
  }
}
