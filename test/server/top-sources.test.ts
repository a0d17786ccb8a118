import { describe, expect, it } from "vitest";
import { SourcePolicy } from "../../src/server/sources.js";
import { TopCounter } from "../../src/server/top-sources.js";

describe("TopCounter", () => {
  it("counts exactly while the keys fit, largest first, ties by key", () => {
    const top = new TopCounter(10);
    for (const [key, n] of [
      ["b", 3],
      ["a", 5],
      ["c", 3],
      ["d", 1],
    ] as const) {
      for (let i = 0; i < n; i++) top.add(key);
    }
    top.add("d", 4);
    expect(top.top(3)).toEqual([
      { key: "a", count: 5 },
      { key: "d", count: 5 },
      { key: "b", count: 3 },
    ]);
    expect(top.top(0)).toEqual([]);
    expect(top.size).toBe(4);
  });

  it("never holds more than its capacity, however many keys it sees", () => {
    const top = new TopCounter(16);
    for (let i = 0; i < 100_000; i++) top.add(`k${i}`);
    expect(top.size).toBe(16);
    expect(top.top(100)).toHaveLength(16);
  });

  it("keeps a heavy key and its exact count through a flood of one-off keys", () => {
    const top = new TopCounter(8);
    let total = 0;
    for (let i = 0; i < 20_000; i++) {
      top.add(`noise-${i}`);
      total += 1;
      if (i % 3 === 0) {
        top.add("heavy");
        total += 1;
      }
    }
    const [first] = top.top(1);
    expect(first?.key).toBe("heavy");
    // Inserted first, never evicted: its count has no error.
    expect(first?.count).toBe(6667);
    // Space-saving: the counts always sum to the total added.
    expect(top.top(8).reduce((sum, k) => sum + k.count, 0)).toBe(total);
  });

  it("a newcomer past the capacity takes the least-counted place and its count", () => {
    const top = new TopCounter(2);
    top.add("a", 5);
    top.add("b", 2);
    top.add("c");
    expect(top.top(2)).toEqual([
      { key: "a", count: 5 },
      { key: "c", count: 3 },
    ]);
  });

  it("refuses a capacity below 1", () => {
    expect(() => new TopCounter(0)).toThrow(TypeError);
  });
});

describe("SourcePolicy", () => {
  const now = () => 0;

  it("admits every source without an allow-list or a rate limit, and counts it by address", () => {
    const policy = new SourcePolicy({ now });
    expect(policy.admit("::ffff:127.0.0.1")).toEqual({ source: "127.0.0.1", refused: undefined });
    expect(policy.admit("127.0.0.1").refused).toBe(undefined);
    expect(policy.top()).toEqual({
      by_datagrams: [{ source: "127.0.0.1", datagrams: 2 }],
      by_rejections: [],
    });
  });

  it("refuses sources outside the allow-list as not-allowed, before the rate limit", () => {
    const policy = new SourcePolicy({ now, allow: ["10.0.0.0/8"], rateLimitPerSecond: 1 });
    expect(policy.admit("127.0.0.1").refused).toBe("not-allowed");
    expect(policy.admit("127.0.0.1").refused).toBe("not-allowed");
    expect(policy.admit("10.1.1.1").refused).toBe(undefined);
    expect(policy.admit("10.1.1.1").refused).toBe("rate-limited");
    expect(policy.top().by_rejections).toEqual([
      { source: "127.0.0.1", rejections: 2 },
      { source: "10.1.1.1", rejections: 1 },
    ]);
  });

  it("adds the decoder's rejections and lists only the top five", () => {
    const policy = new SourcePolicy({ now });
    for (let i = 1; i <= 7; i++) {
      for (let j = 0; j < i; j++) policy.admit(`192.0.2.${i}`);
      policy.rejected(`192.0.2.${i}`, 10 - i);
    }
    policy.rejected("192.0.2.1", 0);
    const top = policy.top();
    expect(top.by_datagrams.map((s) => s.source)).toEqual([
      "192.0.2.7",
      "192.0.2.6",
      "192.0.2.5",
      "192.0.2.4",
      "192.0.2.3",
    ]);
    expect(top.by_rejections[0]).toEqual({ source: "192.0.2.1", rejections: 9 });
    expect(top.by_rejections).toHaveLength(5);
  });

  it("keeps its tables bounded under a flood of distinct sources", () => {
    const policy = new SourcePolicy({ now, topCapacity: 50, rateLimitPerSecond: 1 });
    for (let i = 0; i < 5000; i++) policy.admit(`2001:db8::${i.toString(16)}`);
    expect(policy.top(1000).by_datagrams).toHaveLength(50);
  });
});
