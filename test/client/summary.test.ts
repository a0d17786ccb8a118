import { describe, expect, it } from "vitest";
import { percentile, Reservoir, SummaryCollector } from "../../src/client/summary.js";

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 0.5)).toBe(50);
    expect(percentile(sorted, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([1, 2], 0.5)).toBe(1);
  });

  it("is 0 for no values", () => {
    expect(percentile([], 0.5)).toBe(0);
  });
});

describe("Reservoir", () => {
  it("keeps every value until it is full", () => {
    const reservoir = new Reservoir(10);
    for (const value of [5, 1, 9, 3]) reservoir.add(value);
    expect(reservoir.size).toBe(4);
    expect(reservoir.percentiles()).toEqual({ p50: 3, p95: 9 });
  });

  it("never holds more than its capacity", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const reservoir = new Reservoir(100, random);
    for (let i = 0; i < 100_000; i++) reservoir.add(i % 1000);
    expect(reservoir.size).toBe(100);
    const { p50, p95 } = reservoir.percentiles();
    // A uniform sample of 0..999: the median lands near the middle, p95 near the top.
    expect(p50).toBeGreaterThan(300);
    expect(p50).toBeLessThan(700);
    expect(p95).toBeGreaterThan(p50);
  });

  it("replaces a slot only when the draw falls inside the reservoir", () => {
    const reservoir = new Reservoir(2, () => 0.99);
    reservoir.add(1);
    reservoir.add(2);
    reservoir.add(100); // slot floor(0.99 * 3) = 2: outside, dropped
    expect(reservoir.percentiles()).toEqual({ p50: 1, p95: 2 });
    const replacing = new Reservoir(2, () => 0);
    replacing.add(1);
    replacing.add(2);
    replacing.add(100); // slot 0: replaces 1
    expect(replacing.percentiles()).toEqual({ p50: 2, p95: 100 });
  });
});

describe("SummaryCollector", () => {
  it("adds drops by reason and batches by trigger", () => {
    const summary = new SummaryCollector();
    summary.entries = 10;
    summary.drop("queue-full", 2);
    summary.drop("send-failed", 3);
    summary.drop("queue-full", 1);
    summary.drop("oversize", 0);
    summary.batch(4, "size");
    summary.batch(2, "interval");
    summary.batch(1, "shutdown");
    summary.delivered(4, 1.23456);
    const snapshot = summary.snapshot();
    expect(snapshot.dropped).toBe(6);
    expect(snapshot.dropped_by_reason).toEqual({ "queue-full": 3, "send-failed": 3 });
    expect(snapshot.batches).toBe(3);
    expect(snapshot.flush_triggers).toMatchObject({ size: 1, interval: 1, shutdown: 1, level: 0 });
    expect(snapshot.batch_size).toEqual({ p50: 2, p95: 4 });
    expect(snapshot.send_ms).toEqual({ p50: 1.235, p95: 1.235 });
    expect(snapshot.sent).toBe(4);
  });

  it("counts refused datagrams by code apart from the entries", () => {
    const summary = new SummaryCollector();
    expect(summary.snapshot()).toMatchObject({ refused: 0, refused_by_code: {} });
    summary.delivered(3, 1);
    summary.refuse("ECONNREFUSED");
    summary.refuse("EHOSTUNREACH");
    summary.refuse("ECONNREFUSED");
    const snapshot = summary.snapshot();
    expect(snapshot.refused).toBe(3);
    expect(snapshot.refused_by_code).toEqual({ ECONNREFUSED: 2, EHOSTUNREACH: 1 });
    expect(snapshot).toMatchObject({ sent: 3, dropped: 0, dropped_by_reason: {} });
  });

  it("hands out copies that later counting does not change", () => {
    const summary = new SummaryCollector();
    const before = summary.snapshot();
    summary.batch(1, "size");
    summary.drop("closed", 1);
    summary.refuse("ENETUNREACH");
    expect(before.flush_triggers.size).toBe(0);
    expect(before.dropped_by_reason).toEqual({});
    expect(before.refused_by_code).toEqual({});
  });
});
