import { describe, expect, it } from "vitest";
import {
  delayMs,
  isRetryable,
  RETRY_CAP_MS,
  RETRYABLE_CODES,
  RetryTimers,
} from "../../src/client/retry.js";
import { ERROR_CODES } from "../../src/foundation/errors.js";
import { FakeTime } from "../support/fake-time.js";

describe("delayMs", () => {
  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1600],
    [5, 2000],
    [10, 2000],
    [1000, 2000],
  ])("attempt %i waits %i ms without jitter", (attempt, expected) => {
    expect(delayMs(attempt, () => 0.5)).toBeCloseTo(expected, 9);
  });

  it("jitters from 0.8 to 1.2 times the base", () => {
    expect(delayMs(0, () => 0)).toBeCloseTo(80, 9);
    expect(delayMs(0, () => 0.999_999)).toBeCloseTo(120, 3);
    expect(delayMs(20, () => 0)).toBeCloseTo(RETRY_CAP_MS * 0.8, 9);
    expect(delayMs(20, () => 0.999_999)).toBeCloseTo(RETRY_CAP_MS * 1.2, 2);
  });
});

describe("isRetryable", () => {
  it.each(["ENOBUFS", "EAGAIN", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"])(
    "%s is retried",
    (code) => {
      expect(isRetryable(code)).toBe(true);
    },
  );

  it.each([
    "EMSGSIZE",
    "EACCES",
    "ENOTFOUND",
    "ERR_SOCKET_DGRAM_NOT_RUNNING",
    ERROR_CODES.CONNECTION_CLOSED,
    undefined,
    11,
  ])("%s is not retried", (code) => {
    expect(isRetryable(code)).toBe(false);
  });

  it("never lists EMSGSIZE", () => {
    expect(RETRYABLE_CODES.has("EMSGSIZE")).toBe(false);
  });
});

describe("RetryTimers", () => {
  it("resolves true once the delay elapsed on the injected clock", async () => {
    const clock = new FakeTime();
    const timers = new RetryTimers(clock);
    let result: boolean | undefined;
    void timers.wait(100).then((elapsed) => {
      result = elapsed;
    });
    await clock.advance(99);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toBe(true);
    expect(timers.pending).toBe(0);
  });

  it("cancelAll resolves every pending wait false and clears its timer", async () => {
    const clock = new FakeTime();
    const timers = new RetryTimers(clock);
    const waits = [timers.wait(100), timers.wait(5000)];
    expect(clock.pending).toBe(2);
    timers.cancelAll();
    expect(await Promise.all(waits)).toEqual([false, false]);
    expect(clock.pending).toBe(0);
    expect(timers.pending).toBe(0);
  });
});
