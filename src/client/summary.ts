/**
 * What a shipper did, as counters and percentiles: the object printed as the
 * client's last stderr line and read by its status line. Percentiles come from
 * a bounded reservoir sample, so memory stays flat however long the run.
 */
import { InvalidOptionError } from "../foundation/errors.js";
import type { FlushTrigger } from "./batcher.js";
import type { RefusalCode } from "./refusals.js";
import type { ReliableStats, ReliableSummary } from "./reliable/reliable-stats.js";
import type { TargetSummary } from "./shard/sharded-summary.js";

/** Why entries did not make it onto the wire; the same strings in every report. */
export type DropReason =
  /** tryLog() found the send queue full (generate mode). */
  | "queue-full"
  /** A datagram of the message still failed after the retries, or failed for good at once. */
  | "send-failed"
  /** The batch could not be split into messages (the splitting thread failed, or a bug). */
  | "encode-failed"
  /** The encoder could not fit the entry in any message (fragments or truncation). */
  | "oversize"
  /** close() gave up waiting for the message after drainTimeoutMs. */
  | "shutdown-timeout"
  /** The socket refused a datagram as too large for the path. */
  | "emsgsize"
  /** log() was called after close(). */
  | "closed"
  /** JSON.stringify threw on the entry (a cycle, a BigInt). */
  | "unserializable"
  /** Reliable mode: no acknowledgement within --ack-timeout, or by the end of close()'s drain. */
  | "unacknowledged"
  /** close() found the target refusing datagrams and stopped waiting (dropRefusedAtClose). */
  | "target-refused";

/** Each reason once; a record so that a reason added to DropReason must be added here too. */
const DROP_REASON_SET: Readonly<Record<DropReason, true>> = {
  "queue-full": true,
  "send-failed": true,
  "encode-failed": true,
  oversize: true,
  "shutdown-timeout": true,
  emsgsize: true,
  closed: true,
  unserializable: true,
  unacknowledged: true,
  "target-refused": true,
};

/** Every drop reason, for reports that list zeros too (metrics). */
export const DROP_REASONS: readonly DropReason[] = Object.freeze(
  Object.keys(DROP_REASON_SET) as DropReason[],
);

export interface Percentiles {
  p50: number;
  p95: number;
}

/** The reliable-mode fields are there only when `reliable` is on. */
export interface ShipperSummary extends Partial<ReliableSummary> {
  /** Entries given to log() or tryLog(). */
  entries: number;
  /**
   * Entries whose datagrams the socket all accepted (UDP does not say whether
   * they arrived); in reliable mode, entries whose message was acknowledged.
   */
  sent: number;
  /** Entries that did not, the sum of dropped_by_reason. */
  dropped: number;
  dropped_by_reason: Record<string, number>;
  /**
   * Datagrams the target reported it bounced (ICMP), the sum of
   * refused_by_code. They count among `datagrams`, and their entries among
   * `sent`: a report does not say which datagram it refers to.
   */
  refused: number;
  /** Refusals by errno code: ECONNREFUSED, EHOSTUNREACH, ENETUNREACH (codes seen only). */
  refused_by_code: Partial<Record<RefusalCode, number>>;
  /** Entries whose message was cut to fit a datagram (unsequenced mode). */
  truncated: number;
  /** Batches flushed, the sum of flush_triggers. */
  batches: number;
  /** Datagrams the socket accepted, and their bytes. */
  datagrams: number;
  bytes: number;
  /** Tries after a failed send. */
  retries: number;
  /** Send attempts that failed (the datagram did not go out), retried or not. */
  send_errors: number;
  flush_triggers: Record<FlushTrigger, number>;
  /** Entries per flushed batch. */
  batch_size: Percentiles;
  /** Milliseconds from a message's first send attempt until all its datagrams went out. */
  send_ms: Percentiles;
  /** Messages sent as fragments (one entry too large for a datagram). */
  fragmented: number;
  /** Several targets (sharding): each one's counts and state, by `host:port`. */
  targets?: Record<string, TargetSummary>;
}

/** Value at rank ceil(p * n) of an ascending list (nearest rank); 0 for an empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** A uniform sample of at most `capacity` values out of all values added (Algorithm R). */
export class Reservoir {
  readonly #capacity: number;
  readonly #random: () => number;
  readonly #values: number[] = [];
  #seen = 0;

  constructor(capacity: number, random: () => number = Math.random) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new InvalidOptionError("capacity must be an integer >= 1");
    }
    this.#capacity = capacity;
    this.#random = random;
  }

  add(value: number): void {
    this.#seen += 1;
    if (this.#values.length < this.#capacity) {
      this.#values.push(value);
      return;
    }
    const slot = Math.floor(this.#random() * this.#seen);
    if (slot < this.#capacity) this.#values[slot] = value;
  }

  /** Values kept (at most capacity). */
  get size(): number {
    return this.#values.length;
  }

  percentiles(): Percentiles {
    const sorted = [...this.#values].sort((a, b) => a - b);
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
  }
}

function rounded({ p50, p95 }: Percentiles): Percentiles {
  return { p50: Math.round(p50 * 1000) / 1000, p95: Math.round(p95 * 1000) / 1000 };
}

/** Values kept per percentile sample. */
export const RESERVOIR_CAPACITY = 2048;

/** Counters a shipper updates as it goes; snapshot() copies them into a ShipperSummary. */
export class SummaryCollector {
  entries = 0;
  sent = 0;
  truncated = 0;
  datagrams = 0;
  bytes = 0;
  retries = 0;
  sendErrors = 0;
  fragmented = 0;
  /** Set when reliable delivery is on; its fields join the snapshot. */
  reliable: ReliableStats | undefined;
  readonly #dropped = new Map<string, number>();
  readonly #refused = new Map<RefusalCode, number>();
  readonly #triggers: Record<FlushTrigger, number> = {
    size: 0,
    interval: 0,
    bytes: 0,
    level: 0,
    shutdown: 0,
    manual: 0,
  };
  readonly #batchSizes: Reservoir;
  readonly #sendMs: Reservoir;

  constructor(random: () => number = Math.random, capacity = RESERVOIR_CAPACITY) {
    this.#batchSizes = new Reservoir(capacity, random);
    this.#sendMs = new Reservoir(capacity, random);
  }

  drop(reason: DropReason, entries: number): void {
    if (entries <= 0) return;
    this.#dropped.set(reason, (this.#dropped.get(reason) ?? 0) + entries);
  }

  /** The target reported a bounced datagram. */
  refuse(code: RefusalCode): void {
    this.#refused.set(code, (this.#refused.get(code) ?? 0) + 1);
  }

  batch(entries: number, trigger: FlushTrigger): void {
    this.#triggers[trigger] += 1;
    this.#batchSizes.add(entries);
  }

  delivered(entries: number, sendMs: number): void {
    this.sent += entries;
    this.#sendMs.add(sendMs);
  }

  /** Every datagram of a message went out (reliable mode: not yet counted as sent). */
  sendTook(sendMs: number): void {
    this.#sendMs.add(sendMs);
  }

  get dropped(): number {
    let total = 0;
    for (const count of this.#dropped.values()) total += count;
    return total;
  }

  get refused(): number {
    let total = 0;
    for (const count of this.#refused.values()) total += count;
    return total;
  }

  snapshot(): ShipperSummary {
    const triggers = this.#triggers;
    return {
      entries: this.entries,
      sent: this.sent,
      dropped: this.dropped,
      dropped_by_reason: Object.fromEntries(this.#dropped),
      refused: this.refused,
      refused_by_code: Object.fromEntries(this.#refused),
      truncated: this.truncated,
      batches: Object.values(triggers).reduce((sum, count) => sum + count, 0),
      datagrams: this.datagrams,
      bytes: this.bytes,
      retries: this.retries,
      send_errors: this.sendErrors,
      flush_triggers: { ...triggers },
      batch_size: this.#batchSizes.percentiles(),
      send_ms: rounded(this.#sendMs.percentiles()),
      fragmented: this.fragmented,
      ...this.reliable?.snapshot(),
    };
  }
}
