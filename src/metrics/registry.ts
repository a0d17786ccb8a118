/**
 * The registry a command's metrics live in. It holds prom-client's standard
 * process and Node.js metrics (process_resident_memory_bytes,
 * process_cpu_seconds_total, nodejs_eventloop_lag_seconds, nodejs_heap_size_used_bytes...)
 * under their usual names, without a command prefix, so that existing Node.js
 * dashboards and alerts find them; the scrape job tells the commands apart.
 */
import { collectDefaultMetrics, Registry } from "prom-client";

export interface RegistryOptions {
  /** Include the standard process and Node.js metrics. Default true. */
  readonly processMetrics?: boolean;
}

export function createMetricsRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
