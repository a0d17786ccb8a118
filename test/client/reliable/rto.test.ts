import { describe, expect, it } from "vitest";
import {
  INITIAL_RTO_MS,
  MAX_RTO_MS,
  MIN_RTO_MS,
  RtoEstimator,
} from "../../../src/client/reliable/rto.js";

describe("RtoEstimator (RFC 6298)", () => {
  it("starts at 1 s, then SRTT = R, RTTVAR = R/2 and RTO = SRTT + 4 RTTVAR on the first sample", () => {
    const rto = new RtoEstimator();
    expect(rto.rtoMs).toBe(INITIAL_RTO_MS);
    expect(rto.srttMs).toBeUndefined();
    rto.sample(100);
    expect(rto.srttMs).toBe(100);
    expect(rto.rttvarMs).toBe(50);
    expect(rto.rtoMs).toBe(300);
  });

  it("smooths later samples with alpha 1/8 and beta 1/4", () => {
    const rto = new RtoEstimator();
    rto.sample(100);
    rto.sample(200);
    // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
    expect(rto.rttvarMs).toBe(62.5);
    expect(rto.srttMs).toBe(112.5);
    expect(rto.rtoMs).toBe(112.5 + 4 * 62.5);
  });

  it("holds the floor on loopback round trips and the cap on slow ones", () => {
    const fast = new RtoEstimator();
    for (let i = 0; i < 50; i++) fast.sample(0.2);
    expect(fast.rtoMs).toBe(MIN_RTO_MS);
    const slow = new RtoEstimator();
    slow.sample(60_000);
    expect(slow.rtoMs).toBe(MAX_RTO_MS);
  });

  it("doubles on each backoff up to the cap, and a new sample undoes it", () => {
    const rto = new RtoEstimator();
    rto.sample(100);
    rto.backOff();
    expect(rto.rtoMs).toBe(600);
    for (let i = 0; i < 10; i++) rto.backOff();
    expect(rto.rtoMs).toBe(MAX_RTO_MS);
    rto.sample(100);
    expect(rto.rtoMs).toBeLessThan(600);
  });

  it("takes settings: initial, floor and cap", () => {
    const rto = new RtoEstimator({ initialMs: 50, minMs: 10, maxMs: 80 });
    expect(rto.rtoMs).toBe(50);
    rto.backOff();
    expect(rto.rtoMs).toBe(80);
  });
});
