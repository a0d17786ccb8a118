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

  it("doubles for each retransmission of a message up to the cap; a sample sets the base", () => {
    const rto = new RtoEstimator();
    rto.sample(100);
    expect(rto.forRetransmit(0)).toBe(300);
    expect(rto.forRetransmit(1)).toBe(600);
    expect(rto.forRetransmit(2)).toBe(1200);
    expect(rto.forRetransmit(40)).toBe(MAX_RTO_MS);
    for (let i = 0; i < 50; i++) rto.sample(10);
    expect(rto.forRetransmit(1)).toBe(2 * MIN_RTO_MS);
  });

  it("takes settings: initial, floor and cap", () => {
    const rto = new RtoEstimator({ initialMs: 50, minMs: 10, maxMs: 80 });
    expect(rto.rtoMs).toBe(50);
    expect(rto.forRetransmit(1)).toBe(80);
  });
});
