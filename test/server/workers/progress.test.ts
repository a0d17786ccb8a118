import { describe, expect, it } from "vitest";
import { MAX_BATCHES_AHEAD, markDecoded, Progress } from "../../../src/server/workers/progress.js";

describe("Progress", () => {
  it("counts the batches a worker has not decoded yet, per worker", () => {
    const progress = new Progress(2);
    for (let i = 0; i < 5; i++) progress.beforeSend(1);
    expect(progress.ahead(1)).toBe(5);
    expect(progress.ahead(0)).toBe(0);
    markDecoded(progress.shared, 1);
    markDecoded(progress.shared, 1);
    expect(progress.ahead(1)).toBe(3);
  });

  it("gives up waiting for a worker that does not catch up, past its deadline", () => {
    const progress = new Progress(1);
    for (let i = 0; i < MAX_BATCHES_AHEAD; i++) progress.beforeSend(0);
    let t = 0;
    // Each reading of the clock is 2 s later: the deadline has passed before any wait.
    progress.beforeSend(0, () => (t += 2000));
    expect(progress.ahead(0)).toBe(MAX_BATCHES_AHEAD + 1);
  });

  it("forgets what a replaced worker did not decode", () => {
    const progress = new Progress(1);
    for (let i = 0; i < 7; i++) progress.beforeSend(0);
    markDecoded(progress.shared, 0);
    progress.reset(0);
    expect(progress.ahead(0)).toBe(0);
  });
});
