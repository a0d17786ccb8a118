import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import type { ShipperSummary } from "../../src/client/summary.js";
import { ackRttObserver, registerReliableMetrics } from "../../src/metrics/reliable-metrics.js";

describe("reliable-delivery metrics", () => {
  it("reads acked, retransmits, unacked, ignored acks by reason and unacked bytes from the summary", async () => {
    const registry = new Registry();
    const summary = {
      acked: 7,
      retransmits: 3,
      unacked: 2,
      unacked_bytes: 4096,
      ignored_acks: { "bad-tag": 5 },
    } as Partial<ShipperSummary> as ShipperSummary;
    registerReliableMetrics(registry, () => summary);
    const observe = ackRttObserver(registry);
    observe(3);
    const text = await registry.metrics();
    expect(text).toContain("shipper_client_acked_messages_total 7");
    expect(text).toContain("shipper_client_retransmits_total 3");
    expect(text).toContain("shipper_client_unacked_messages_total 2");
    expect(text).toContain("shipper_client_unacked_bytes 4096");
    expect(text).toContain('shipper_client_ignored_acks_total{reason="bad-tag"} 5');
    expect(text).toContain('shipper_client_ignored_acks_total{reason="unsigned"} 0');
    expect(text).toContain('shipper_client_ack_rtt_seconds_bucket{le="0.005"} 1');
  });

  it("reads zeros in best-effort mode", async () => {
    const registry = new Registry();
    registerReliableMetrics(registry, () => ({}) as ShipperSummary);
    const text = await registry.metrics();
    expect(text).toContain("shipper_client_acked_messages_total 0");
    expect(text).toContain("shipper_client_unacked_bytes 0");
  });
});
