/**
 * The registry a command's metrics live in. It holds prom-client's standard
 * process and Node.js metrics (process_resident_memory_bytes,
 * process_cpu_seconds_total, nodejs_eventloop_lag_seconds, nodejs_heap_size_used_bytes...)
 * under their usual names, without a command prefix, so that existing Node.js
 * dashboards and alerts find them; the scrape job tells the commands apart.
 *
 * Three of prom-client's gauges are left out: `nodejs_active_handles_total`,
 * `nodejs_active_requests_total` and `nodejs_active_resources_total`. A
 * gauge named `_total` breaks the exposition format's naming rules
 * (`promtool check metrics` fails on them), and each is the sum over the
 * `type` label of the gauge kept beside it (`sum(nodejs_active_handles)`).
 */
import { collectDefaultMetrics, Registry } from "prom-client";

export interface RegistryOptions {
  /** Include the standard process and Node.js metrics. Default true. */
  readonly processMetrics?: boolean;
}

/** Default metrics whose names break the naming rules, each a sum of another one kept. */
export const LEFT_OUT_DEFAULT_METRICS: readonly string[] = Object.freeze([
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
]);

export function createMetricsRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of LEFT_OUT_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  return registry;
}
