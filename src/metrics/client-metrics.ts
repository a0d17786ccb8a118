/**
 * The client's Prometheus metrics. Totals are read at scrape time from the
 * shipper's summary (nothing counted twice); the three distributions (batch
 * size, datagram size, send time) are observed per event through the
 * shipper's observer, one histogram observation per batch, datagram or
 * message, never per entry.
 */
import { Histogram, type Registry } from "prom-client";
import type { ShipperObserver } from "../client/observer.js";
import { REFUSAL_CODES } from "../client/refusals.js";
import { DROP_REASONS, type ShipperSummary } from "../client/summary.js";
import { MAX_DATAGRAM_BYTES, SAFE_DATAGRAM_BYTES } from "../foundation/limits.js";
import { counterFrom, gaugeFrom, labelledCounterFrom, perScrape, withZeros } from "./collectors.js";
import { ackRttObserver, registerReliableMetrics } from "./reliable-metrics.js";
import { registerTargetMetrics } from "./target-metrics.js";

/** What the metrics read from a shipper: `Shipper` itself fits. */
export interface ShipperSource {
  summary(): ShipperSummary;
  queuedBytes?(): number;
}

/** Entries per batch: the default batch is 10, the largest allowed 1,000,000. */
const BATCH_ENTRIES_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000];
/** Datagram bytes, with the safe minimum, one Ethernet frame (1472) and the UDP maximum. */
export const DATAGRAM_BYTES_BUCKETS = [
  128,
  256,
  SAFE_DATAGRAM_BYTES,
  1024,
  1472,
  2048,
  4096,
  8192,
  16384,
  32768,
  MAX_DATAGRAM_BYTES,
];
/** Seconds to send a message: sub-millisecond on a quiet host, up to seconds with retries. */
const SEND_SECONDS_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * Registers the client's histograms in `registry` and returns the observer
 * that feeds them: pass it to createShipper as `observer`.
 */
export function clientObserver(registry: Registry): ShipperObserver {
  const histogram = (name: string, help: string, buckets: number[]) =>
    new Histogram({ name: `shipper_client_${name}`, help, buckets, registers: [registry] });
  const batches = histogram("batch_entries", "Entries per flushed batch.", BATCH_ENTRIES_BUCKETS);
  const datagrams = histogram(
    "datagram_bytes",
    "Bytes of each datagram the socket accepted.",
    DATAGRAM_BYTES_BUCKETS,
  );
  const sends = histogram(
    "send_duration_seconds",
    "Seconds from a message's first send attempt until all its datagrams went out.",
    SEND_SECONDS_BUCKETS,
  );
  return {
    onBatch: (entries) => batches.observe(entries),
    onDatagram: (bytes) => datagrams.observe(bytes),
    onSend: (durationMs) => sends.observe(durationMs / 1000),
    onAck: ackRttObserver(registry),
  };
}

interface ValueSpec {
  /** Without the `shipper_client_` prefix. */
  readonly name: string;
  readonly help: string;
  readonly value: (summary: ShipperSummary) => number;
}

const COUNTERS: readonly ValueSpec[] = [
  {
    name: "entries_total",
    help: "Entries handed to the shipper (lines read, or entries generated).",
    value: (s) => s.entries,
  },
  {
    name: "sent_entries_total",
    help: "Entries whose datagrams the socket all accepted.",
    value: (s) => s.sent,
  },
  { name: "retries_total", help: "Tries after a failed send.", value: (s) => s.retries },
  {
    name: "send_errors_total",
    help: "Send attempts that failed (the datagram did not go out), retried or not.",
    value: (s) => s.send_errors,
  },
  {
    name: "datagrams_total",
    help: "Datagrams the socket accepted.",
    value: (s) => s.datagrams,
  },
  {
    name: "sent_bytes_total",
    help: "Bytes of the datagrams the socket accepted.",
    value: (s) => s.bytes,
  },
  {
    name: "truncated_entries_total",
    help: "Entries whose message was cut to fit a datagram (unsequenced mode).",
    value: (s) => s.truncated,
  },
  {
    name: "fragmented_messages_total",
    help: "Messages sent as fragments (one entry larger than a datagram).",
    value: (s) => s.fragmented,
  },
];

/** Registers the client's counters and queue gauge, read from `shipper` at every scrape. */
export function registerClientMetrics(registry: Registry, shipper: ShipperSource): void {
  const read = perScrape(() => shipper.summary());
  for (const { name, help, value } of COUNTERS) {
    counterFrom(registry, `shipper_client_${name}`, help, () => value(read()));
  }
  labelledCounterFrom(
    registry,
    "shipper_client_dropped_entries_total",
    "Entries that did not make it onto the wire, by reason.",
    "reason",
    () => withZeros(DROP_REASONS, read().dropped_by_reason),
  );
  labelledCounterFrom(
    registry,
    "shipper_client_refused_datagrams_total",
    "Datagrams the target reported it bounced (ICMP port, host or network unreachable), by code.",
    "code",
    () => withZeros(REFUSAL_CODES, read().refused_by_code),
  );
  labelledCounterFrom(
    registry,
    "shipper_client_flushes_total",
    "Batches flushed, by what ended them.",
    "trigger",
    () => Object.entries(read().flush_triggers),
  );
  registerReliableMetrics(registry, read);
  registerTargetMetrics(registry, read);
  gaugeFrom(
    registry,
    "shipper_client_queue_bytes",
    "Serialized bytes not yet on the wire now: the batch being gathered plus datagrams waiting.",
    () => shipper.queuedBytes?.() ?? 0,
  );
}
