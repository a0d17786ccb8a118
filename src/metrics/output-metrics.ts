/**
 * The outputs' Prometheus metrics, each with an `output` label (the output's
 * name, as in the summary). Counters and the spool gauge are read at scrape
 * time from the server's stats; the delivery duration histogram is observed
 * by the server at each attempt, through the function registering returns.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import type { OutputSummary } from "../server/outputs/output-stats.js";
import type { ServerStats } from "../server/stats.js";

/** Called by the server after every delivery attempt of an output. */
export type DeliveryObserver = (output: string, seconds: number) => void;

type Outputs = () => Readonly<Record<string, OutputSummary>>;

const PER_OUTPUT: readonly {
  name: string;
  help: string;
  value: (o: OutputSummary) => number;
}[] = [
  {
    name: "shipper_server_output_entries_total",
    help: "Entries the output's destination accepted.",
    value: (o) => o.entries,
  },
  {
    name: "shipper_server_output_batches_total",
    help: "Batches the output's destination accepted.",
    value: (o) => o.batches,
  },
  {
    name: "shipper_server_output_retries_total",
    help: "Delivery attempts that failed and were tried again.",
    value: (o) => o.retries,
  },
  {
    name: "shipper_server_output_spooled_entries_total",
    help: "Entries written to the output's spool.",
    value: (o) => o.spooled,
  },
];

/**
 * The reasons an output drops entries for by itself (its memory queue, its
 * spool, the drain at shutdown): each has a series from the first scrape.
 * The reasons a destination gives (`http-400`, `nats-max-payload`, an
 * error's code) are open-ended: their series start when they first occur.
 */
const OWN_DROP_REASONS: readonly string[] = [
  "queue-full",
  "spool-full",
  "spool-corrupt",
  "drain-timeout",
];

function byReason(
  registry: Registry,
  name: string,
  help: string,
  outputs: Outputs,
  pick: (o: OutputSummary) => Readonly<Record<string, number>>,
  known: readonly string[] = [],
): void {
  new Counter({
    name,
    help,
    labelNames: ["output", "reason"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [output, summary] of Object.entries(outputs())) {
        const counts = pick(summary);
        for (const reason of known)
          if (!Object.hasOwn(counts, reason)) this.inc({ output, reason }, 0);
        for (const [reason, count] of Object.entries(counts)) this.inc({ output, reason }, count);
      }
    },
  });
}

/** Registers the outputs' metrics; answers the observer of delivery durations. */
export function registerOutputMetrics(
  registry: Registry,
  stats: () => Pick<ServerStats, "outputs">,
): DeliveryObserver {
  const outputs: Outputs = () => stats().outputs;
  for (const { name, help, value } of PER_OUTPUT) {
    new Counter({
      name,
      help,
      labelNames: ["output"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [output, summary] of Object.entries(outputs()))
          this.inc({ output }, value(summary));
      },
    });
  }
  byReason(
    registry,
    "shipper_server_output_errors_total",
    "Delivery attempts that failed, by the destination's reason (http-503, connect, enoent...).",
    outputs,
    (o) => o.errors,
  );
  byReason(
    registry,
    "shipper_server_output_dropped_total",
    "Entries an output will never deliver, by reason (queue-full, spool-full, http-400...).",
    outputs,
    (o) => o.dropped,
    OWN_DROP_REASONS,
  );
  new Gauge({
    name: "shipper_server_output_spool_bytes",
    help: "Bytes of the output's spool files now.",
    labelNames: ["output"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [output, summary] of Object.entries(outputs())) {
        this.set({ output }, summary.spool_bytes);
      }
    },
  });
  const duration = new Histogram({
    name: "shipper_server_output_duration_seconds",
    help: "Time of one delivery attempt of a batch, successful or not.",
    labelNames: ["output"],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  for (const output of Object.keys(outputs())) duration.zero({ output });
  return (output, seconds) => duration.observe({ output }, seconds);
}
