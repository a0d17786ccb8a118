/**
 * The client's metrics of reliable delivery (--reliable): totals read from
 * the summary at scrape time, the unacknowledged bytes as a gauge, and the
 * round trip to each acknowledgement as a histogram fed by the observer.
 * Registered whatever the mode, so dashboards see zeros rather than gaps.
 */
import { Histogram, type Registry } from "prom-client";
import type { ShipperSummary } from "../client/summary.js";
import { ACK_IGNORE_REASONS } from "../wire/ack.js";
import { counterFrom, gaugeFrom, labelledCounterFrom } from "./collectors.js";

/** Seconds from sending a message to its acknowledgement: loopback to a slow WAN. */
const RTT_SECONDS_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

/** The histogram of round trips; returns what to call with each sample, in milliseconds. */
export function ackRttObserver(registry: Registry): (rttMs: number) => void {
  const histogram = new Histogram({
    name: "shipper_client_ack_rtt_seconds",
    help: "Seconds from sending a message (sent once) to its acknowledgement (--reliable).",
    buckets: RTT_SECONDS_BUCKETS,
    registers: [registry],
  });
  return (rttMs) => histogram.observe(rttMs / 1000);
}

/** Registers the reliable-delivery counters and gauge, read through `read` at each scrape. */
export function registerReliableMetrics(registry: Registry, read: () => ShipperSummary): void {
  const counters: [string, string, (s: ShipperSummary) => number][] = [
    ["acked_messages_total", "Messages acknowledged (--reliable).", (s) => s.acked ?? 0],
    [
      "retransmits_total",
      "Messages sent again because no acknowledgement came in time (--reliable).",
      (s) => s.retransmits ?? 0,
    ],
    [
      "unacked_messages_total",
      "Messages given up unacknowledged (--reliable); their entries are dropped as unacknowledged.",
      (s) => s.unacked ?? 0,
    ],
  ];
  for (const [name, help, value] of counters) {
    counterFrom(registry, `shipper_client_${name}`, help, () => value(read()));
  }
  labelledCounterFrom(
    registry,
    "shipper_client_ignored_acks_total",
    "Datagrams from the target not taken as acknowledgements, by reason (--reliable).",
    "reason",
    () => ACK_IGNORE_REASONS.map((reason) => [reason, read().ignored_acks?.[reason] ?? 0]),
  );
  gaugeFrom(
    registry,
    "shipper_client_unacked_bytes",
    "Bytes of datagrams kept until acknowledged, now (--reliable; bounded by --max-unacked-bytes).",
    () => read().unacked_bytes ?? 0,
  );
}
