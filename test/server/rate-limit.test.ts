import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/server/rate-limit.js";

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function takeMany(limiter: RateLimiter, source: string, n: number): number {
  let passed = 0;
  for (let i = 0; i < n; i++) if (limiter.take(source)) passed++;
  return passed;
}

describe("RateLimiter", () => {
  it("lets a burst of N through at once, then refuses", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, now: time.now });
    expect(takeMany(limiter, "a", 10)).toBe(10);
    expect(limiter.take("a")).toBe(false);
  });

  it("refills at N per second, never past the burst", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, now: time.now });
    takeMany(limiter, "a", 10);
    time.advance(100);
    expect(takeMany(limiter, "a", 5)).toBe(1);
    time.advance(350);
    expect(takeMany(limiter, "a", 5)).toBe(3);
    time.advance(60_000);
    expect(takeMany(limiter, "a", 100)).toBe(10);
  });

  it("sustains exactly the rate over a long run of one datagram per millisecond", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 50, now: time.now });
    let passed = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      if (limiter.take("a")) passed++;
      time.advance(1);
    }
    // The burst of 50, then 50/s for the 10 s.
    expect(passed).toBe(50 + 500 - 1);
  });

  it("keeps one bucket per source", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 2, now: time.now });
    expect(takeMany(limiter, "a", 5)).toBe(2);
    expect(takeMany(limiter, "b", 5)).toBe(2);
    expect(limiter.sources).toBe(2);
  });

  it("takes a separate burst size", () => {
    const limiter = new RateLimiter({ ratePerSecond: 100, burst: 3, now: clock().now });
    expect(takeMany(limiter, "a", 10)).toBe(3);
  });

  it("bounds its table, forgetting the least recently seen source first", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, maxSources: 3, now: time.now });
    for (const source of ["a", "b", "c"]) expect(limiter.take(source)).toBe(true);
    expect(limiter.take("a")).toBe(false); // a is now the most recently seen
    expect(limiter.take("d")).toBe(true); // evicts b
    expect(limiter.sources).toBe(3);
    expect(limiter.take("a")).toBe(false); // a kept its empty bucket
    expect(limiter.take("c")).toBe(false); // c kept its empty bucket
    expect(limiter.take("b")).toBe(true); // b was forgotten: a fresh bucket
    expect(limiter.sources).toBe(3);
  });

  it("stays bounded under a flood of distinct sources", () => {
    const limiter = new RateLimiter({ ratePerSecond: 5, maxSources: 100, now: clock().now });
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.sources).toBe(100);
  });

  it("does not refill when the clock steps back", () => {
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 1, now: time.now });
    expect(limiter.take("a")).toBe(true);
    time.advance(-5000);
    expect(limiter.take("a")).toBe(false);
  });

  it.each([
    [{ ratePerSecond: 0 }, /ratePerSecond/],
    [{ ratePerSecond: Number.NaN }, /ratePerSecond/],
    [{ ratePerSecond: 1, burst: 0.5 }, /burst/],
    [{ ratePerSecond: 1, maxSources: 0 }, /maxSources/],
  ])("refuses %j", (options, message) => {
    expect(() => new RateLimiter({ ...options, now: () => 0 })).toThrow(message);
  });
});
