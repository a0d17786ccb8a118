import { describe, expect, it } from "vitest";
import { registerOutputMetrics } from "../../src/metrics/output-metrics.js";
import { createMetricsRegistry } from "../../src/metrics/registry.js";
import type { OutputSummary } from "../../src/server/outputs/output-stats.js";

const summary = (over: Partial<OutputSummary>): OutputSummary => ({
  entries: 0,
  batches: 0,
  retries: 0,
  spooled: 0,
  dropped: {},
  errors: {},
  queued: 0,
  spool_bytes: 0,
  corrupt_files: 0,
  ...over,
});

describe("output metrics", () => {
  it("carry an output label, read from the stats at each scrape", async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    let outputs: Record<string, OutputSummary> = {
      stdout: summary({ entries: 10, batches: 2 }),
      "http://127.0.0.1:1/": summary({
        entries: 5,
        batches: 1,
        retries: 3,
        spooled: 7,
        spool_bytes: 900,
        errors: { "http-503": 3, "http-400": 1 },
        dropped: { "http-400": 2 },
      }),
    };
    const observe = registerOutputMetrics(registry, () => ({ outputs }));
    observe("http://127.0.0.1:1/", 0.2);
    observe("http://127.0.0.1:1/", 0.004);
    const text = await registry.metrics();
    expect(text).toContain('shipper_server_output_entries_total{output="stdout"} 10');
    expect(text).toContain('shipper_server_output_entries_total{output="http://127.0.0.1:1/"} 5');
    expect(text).toContain('shipper_server_output_batches_total{output="stdout"} 2');
    expect(text).toContain('shipper_server_output_retries_total{output="http://127.0.0.1:1/"} 3');
    expect(text).toContain(
      'shipper_server_output_errors_total{output="http://127.0.0.1:1/",reason="http-503"} 3',
    );
    expect(text).toContain(
      'shipper_server_output_dropped_total{output="http://127.0.0.1:1/",reason="http-400"} 2',
    );
    expect(text).toContain('shipper_server_output_spool_bytes{output="http://127.0.0.1:1/"} 900');
    expect(text).toContain(
      'shipper_server_output_duration_seconds_count{output="http://127.0.0.1:1/"} 2',
    );
    expect(text).toContain('shipper_server_output_duration_seconds_count{output="stdout"} 0');
    // An output's own drop reasons from the first scrape, zeros included; the count where there is one.
    for (const reason of ["queue-full", "spool-full", "spool-corrupt", "drain-timeout"]) {
      expect(text).toContain(
        `shipper_server_output_dropped_total{output="stdout",reason="${reason}"} 0`,
      );
    }
    outputs = { stdout: summary({ entries: 11, dropped: { "queue-full": 4 } }) };
    const later = await registry.metrics();
    expect(later).toContain(
      'shipper_server_output_dropped_total{output="stdout",reason="queue-full"} 4',
    );
    expect(later).toContain(
      'shipper_server_output_dropped_total{output="stdout",reason="spool-full"} 0',
    );
    outputs = { stdout: summary({ entries: 11 }) };
    expect(await registry.metrics()).toContain(
      'shipper_server_output_entries_total{output="stdout"} 11',
    );
  });
});
