/**
 * The server's Prometheus metrics. Every value is read at scrape time from a
 * stats snapshot of the running server (the same counters as its summary and
 * stats line), so receiving a datagram costs nothing more with metrics on.
 */
import type { Registry } from "prom-client";
import { SERVER_REJECT_REASONS, type ServerStats } from "../server/stats.js";
import { counterFrom, gaugeFrom, labelledCounterFrom, perScrape, withZeros } from "./collectors.js";
import { type DeliveryObserver, registerOutputMetrics } from "./output-metrics.js";

/** Where the server's stats come from: `LogServer.stats`. */
export type ServerStatsSource = () => ServerStats;

/**
 * Kernel drops, when the server can tell: datagrams the kernel dropped before
 * the server read them. Undefined where the system does not report them.
 */
export function kernelDrops(stats: ServerStats): number | undefined {
  return stats.kernel_drops ?? undefined;
}

/** Bytes queued on the server's socket, not read yet; undefined where the queue cannot be read. */
export function unreadBytes(stats: ServerStats): number | undefined {
  return stats.unread_bytes ?? undefined;
}

interface ValueSpec {
  /** Without the `shipper_server_` prefix. */
  readonly name: string;
  readonly help: string;
  readonly value: (stats: ServerStats) => number;
}

/** Counters without labels. */
const COUNTERS: readonly ValueSpec[] = [
  {
    name: "entries_total",
    help: "Log entries accepted and handed to the output.",
    value: (s) => s.entries,
  },
  { name: "received_bytes_total", help: "UDP payload bytes received.", value: (s) => s.bytes },
  {
    name: "lost_messages_total",
    help: "Messages that never arrived: sequence gaps, and fragmented messages never completed.",
    value: (s) => s.lost,
  },
  {
    name: "duplicate_messages_total",
    help: "Datagrams dropped as already seen (a sequence number seen, a replay, a fragment held).",
    value: (s) => s.duplicates,
  },
  {
    name: "reordered_messages_total",
    help: "Messages that arrived after a later one, inside the sequence window (not lost).",
    value: (s) => s.reordered,
  },
  {
    name: "late_messages_total",
    help: "Messages accepted after their gap had been counted lost.",
    value: (s) => s.late,
  },
  {
    name: "output_dropped_entries_total",
    help: "Accepted entries that did not reach the output: past the pending bound, output failed, or shutdown.",
    value: (s) => s.output_dropped,
  },
  {
    name: "acks_sent_total",
    help: "Seqs acknowledged to senders that asked (a seq acknowledged again counts again).",
    value: (s) => s.acks_sent,
  },
  {
    name: "ack_datagrams_total",
    help: "Acknowledgement datagrams sent.",
    value: (s) => s.ack_datagrams,
  },
  {
    name: "ack_bytes_total",
    help: "Bytes of acknowledgement datagrams sent.",
    value: (s) => s.ack_bytes,
  },
  {
    name: "acks_skipped_total",
    help: "Seqs not acknowledged: over the source's amplification budget, or the send failed.",
    value: (s) => s.acks_skipped,
  },
];

const GAUGES: readonly ValueSpec[] = [
  { name: "streams", help: "Sequenced senders tracked now.", value: (s) => s.streams },
  {
    name: "partial_messages",
    help: "Fragmented messages waiting for fragments now.",
    value: (s) => s.partials,
  },
  {
    name: "reassembly_bytes",
    help: "Bytes held now for fragmented messages being reassembled.",
    value: (s) => s.reassembly_bytes,
  },
  {
    name: "output_pending_bytes",
    help: "Output held now because the output stream is slow (write backpressure).",
    value: (s) => s.output_pending_bytes,
  },
];

/**
 * Registers the server's metrics in `registry`, read from `stats()` at every
 * scrape. `shipper_server_kernel_drops_total` and `shipper_server_unread_bytes`
 * are registered only when the system reports them (Linux /proc): never a
 * made-up 0. The outputs' metrics (output-metrics.ts) come with them; the
 * answer observes the duration of each delivery attempt.
 */
export function registerServerMetrics(
  registry: Registry,
  stats: ServerStatsSource,
): DeliveryObserver {
  const read = perScrape(stats);
  labelledCounterFrom(
    registry,
    "shipper_server_datagrams_total",
    "UDP datagrams received, by the kind their first bytes announce.",
    "kind",
    () => Object.entries(read().kinds),
  );
  labelledCounterFrom(
    registry,
    "shipper_server_rejected_total",
    "Datagrams rejected by reason (for invalid-entry: array elements).",
    "reason",
    () => withZeros(SERVER_REJECT_REASONS, read().rejected),
  );
  for (const { name, help, value } of COUNTERS) {
    counterFrom(registry, `shipper_server_${name}`, help, () => value(read()));
  }
  for (const { name, help, value } of GAUGES) {
    gaugeFrom(registry, `shipper_server_${name}`, help, () => value(read()));
  }
  const first = stats();
  if (kernelDrops(first) !== undefined) {
    const source = first.kernel_drops_source;
    labelledCounterFrom(
      registry,
      "shipper_server_kernel_drops_total",
      "Datagrams the kernel dropped before the server read them (receive buffer full); " +
        "source=socket: this server's socket, source=system: every UDP socket of the host.",
      "source",
      () => [[source, kernelDrops(read()) ?? 0]],
    );
  }
  if (unreadBytes(first) !== undefined) {
    gaugeFrom(
      registry,
      "shipper_server_unread_bytes",
      "Bytes queued in the server's socket, not read yet: the kernel's charge for the " +
        "queued datagrams, its per-datagram overhead included (bytes, not datagrams).",
      () => unreadBytes(read()) ?? 0,
    );
  }
  return registerOutputMetrics(registry, read);
}
