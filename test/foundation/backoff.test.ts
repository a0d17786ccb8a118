import { describe, expect, it } from "vitest";
import { backoffMs, SEND_BACKOFF } from "../../src/foundation/backoff.js";
import { OUTPUT_BACKOFF } from "../../src/server/outputs/delivery.js";

describe("backoffMs", () => {
  it.each([
    [0, 200],
    [1, 400],
    [4, 3200],
    [7, 25_600],
    [8, 30_000],
    [100, 30_000],
  ])("an output's retry %i waits %i ms without jitter", (attempt, expected) => {
    expect(backoffMs(attempt, () => 0.5, OUTPUT_BACKOFF)).toBeCloseTo(expected, 9);
  });

  it("jitters from 0.8 to 1.2 times the base, capped before jitter", () => {
    expect(backoffMs(50, () => 0, OUTPUT_BACKOFF)).toBeCloseTo(24_000, 9);
    expect(backoffMs(50, () => 0.999_999, OUTPUT_BACKOFF)).toBeCloseTo(36_000, 0);
  });

  it("is the client's send policy by default", () => {
    expect(backoffMs(3, () => 0.5)).toBe(backoffMs(3, () => 0.5, SEND_BACKOFF));
    expect(backoffMs(3, () => 0.5)).toBeCloseTo(800, 9);
  });
});
