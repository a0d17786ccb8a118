/**
 * The retransmission timeout of reliable delivery, computed as TCP does
 * (RFC 6298): a smoothed round trip (SRTT) and its variation (RTTVAR) from
 * samples, RTO = SRTT + 4 * RTTVAR held between a floor and a cap, doubled
 * for a message on each of its timeouts. Samples come only from
 * messages sent once (Karn's rule: the acknowledgement of a message sent
 * again does not say which copy it answers). Pure: no clock, no timers.
 */

/** RTO before the first sample (RFC 6298 2.1). */
export const INITIAL_RTO_MS = 1000;
/**
 * Lowest RTO. RFC 6298 asks for 1 s, Linux TCP uses 200 ms; on loopback or
 * a LAN a lost message then waits far longer than the path needs. 100 ms
 * stays twice above the 50 ms the server may take to coalesce
 * acknowledgements, which the samples measure anyway.
 */
export const MIN_RTO_MS = 100;
/**
 * Highest RTO, backoff included. RFC 6298 allows a cap of 60 s or more; a
 * log shipper gives up on a message after --ack-timeout (60 s by default),
 * so 10 s still tries it several times within that.
 */
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

  /**
   * The timeout of a message already sent `retransmits` times again: doubled
   * for each (RFC 6298 5.5, per message), up to the cap. A new sample sets
   * the base again.
   */
  forRetransmit(retransmits: number): number {
    return this.#bound(this.#rto * 2 ** Math.min(retransmits, 30));
  }

  #bound(ms: number): number {
    return Math.min(this.#settings.maxMs, Math.max(this.#settings.minMs, ms));
  }
}
