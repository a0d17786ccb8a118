/**
 * The counters of reliable delivery, part of the shipper's summary when
 * `reliable` is on (src/client/summary.ts).
 */
import type { AckIgnoreReason } from "../../wire/index.js";
import { type Percentiles, RESERVOIR_CAPACITY, Reservoir } from "../summary.js";

/** The summary fields reliable delivery adds. */
export interface ReliableSummary {
  /** Messages acknowledged (their entries count in `sent`). */
  acked: number;
  /** Messages sent again because no acknowledgement came in time. */
  retransmits: number;
  /** Messages given up unacknowledged; their entries count in dropped_by_reason.unacknowledged. */
  unacked: number;
  /** Round trip from sending a message (sent once) to its acknowledgement, milliseconds. */
  rtt_ms: Percentiles;
  /** Bytes of datagrams kept until acknowledged, now (a gauge). */
  unacked_bytes: number;
  /** Datagrams received that were not taken as acknowledgements, by reason. */
  ignored_acks: Partial<Record<AckIgnoreReason, number>>;
}

export class ReliableStats {
  acked = 0;
  retransmits = 0;
  unacked = 0;
  unackedBytes = 0;
  readonly #ignored = new Map<AckIgnoreReason, number>();
  readonly #rtt: Reservoir;

  constructor(random: () => number = Math.random) {
    this.#rtt = new Reservoir(RESERVOIR_CAPACITY, random);
  }

  ignore(reason: AckIgnoreReason): void {
    this.#ignored.set(reason, (this.#ignored.get(reason) ?? 0) + 1);
  }

  rtt(ms: number): void {
    this.#rtt.add(ms);
  }

  snapshot(): ReliableSummary {
    const { p50, p95 } = this.#rtt.percentiles();
    return {
      acked: this.acked,
      retransmits: this.retransmits,
      unacked: this.unacked,
      rtt_ms: { p50: Math.round(p50 * 1000) / 1000, p95: Math.round(p95 * 1000) / 1000 },
      unacked_bytes: this.unackedBytes,
      ignored_acks: Object.fromEntries(this.#ignored),
    };
  }
}
