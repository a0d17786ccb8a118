import { describe, expect, it } from "vitest";
import type { ShipperSummary } from "../../src/client/summary.js";
import { registerClientMetrics } from "../../src/metrics/client-metrics.js";
import { createMetricsRegistry } from "../../src/metrics/registry.js";

const line = (state: "live" | "out", sent: number) => ({
  state,
  entries: sent + 1,
  sent,
  dropped: 0,
  moved: state === "out" ? 1 : 0,
  datagrams: 3,
  bytes: 300,
  retransmits: 2,
  refusals: state === "out" ? 4 : 0,
  outages: state === "out" ? 1 : 0,
});

describe("per-target metrics", () => {
  it("have one sample per target, labelled target=host:port", async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    const summary = {
      entries: 0,
      sent: 0,
      dropped: 0,
      dropped_by_reason: {},
      refused: 0,
      refused_by_code: {},
      flush_triggers: {},
      targets: { "127.0.0.1:1": line("live", 10), "[::1]:2": line("out", 5) },
    } as unknown as ShipperSummary;
    registerClientMetrics(registry, { summary: () => summary });
    const text = await registry.metrics();
    expect(text).toContain('shipper_client_target_sent_entries_total{target="127.0.0.1:1"} 10');
    expect(text).toContain('shipper_client_target_sent_entries_total{target="[::1]:2"} 5');
    expect(text).toContain('shipper_client_target_refused_datagrams_total{target="[::1]:2"} 4');
    expect(text).toContain('shipper_client_target_up{target="127.0.0.1:1"} 1');
    expect(text).toContain('shipper_client_target_up{target="[::1]:2"} 0');
    expect(text).toContain('shipper_client_target_moved_entries_total{target="[::1]:2"} 1');
  });
});
