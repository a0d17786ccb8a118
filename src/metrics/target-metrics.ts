/**
 * The client's metrics per target when it shards across several servers
 * (`--target` given more than once): the summary's `targets` object, read
 * at scrape time, as counters and gauges with a `target` label
 * (`host:port`). With one target there is no sample: the totals say it all.
 */
import { Gauge, type Registry } from "prom-client";
import type { TargetSummary } from "../client/shard/sharded-summary.js";
import type { ShipperSummary } from "../client/summary.js";
import { labelledCounterFrom } from "./collectors.js";

type Field = Exclude<keyof TargetSummary, "state">;

const COUNTERS: readonly (readonly [string, string, Field])[] = [
  ["target_entries_total", "Entries given to the target, moved ones included.", "entries"],
  [
    "target_sent_entries_total",
    "Entries the target's socket sent (--reliable: acknowledged).",
    "sent",
  ],
  ["target_dropped_entries_total", "Entries dropped on the way to the target.", "dropped"],
  [
    "target_moved_entries_total",
    "Entries moved from the target to others when it went out.",
    "moved",
  ],
  ["target_datagrams_total", "Datagrams the socket accepted for the target.", "datagrams"],
  ["target_sent_bytes_total", "Bytes of the datagrams accepted for the target.", "bytes"],
  ["target_retransmits_total", "Messages sent to the target again (--reliable).", "retransmits"],
  ["target_refused_datagrams_total", "Datagrams the target refused (ICMP).", "refusals"],
  ["target_outages_total", "Times the target was taken out.", "outages"],
];

/** Registers the per-target metrics, read through `read` at each scrape. */
export function registerTargetMetrics(registry: Registry, read: () => ShipperSummary): void {
  const lines = () => Object.entries(read().targets ?? {});
  for (const [name, help, field] of COUNTERS) {
    labelledCounterFrom(registry, `shipper_client_${name}`, help, "target", () =>
      lines().map(([target, line]) => [target, line[field]] as const),
    );
  }
  new Gauge({
    name: "shipper_client_target_up",
    help: "1 while the target is live, 0 while it is out (its keys go to the others).",
    labelNames: ["target"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [target, line] of lines()) this.set({ target }, line.state === "live" ? 1 : 0);
    },
  });
}
