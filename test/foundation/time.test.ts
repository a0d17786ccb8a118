import { describe, expect, it } from "vitest";
import {
  systemClock,
  systemTime,
  systemTimers,
  systemWallClock,
} from "../../src/foundation/time.js";
import { FakeTime } from "../support/fake-time.js";

describe("the system clock and timers", () => {
  it("reads monotonic milliseconds from process.hrtime, and Date.now", () => {
    const start = process.hrtime.bigint();
    const first = systemClock();
    const wallBefore = Date.now();
    const wall = systemWallClock();
    const wallAfter = Date.now();
    const second = systemClock();
    const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThanOrEqual(first);
    expect(second - first).toBeLessThanOrEqual(elapsedMs);
    expect(wall).toBeGreaterThanOrEqual(wallBefore);
    expect(wall).toBeLessThanOrEqual(wallAfter);
  });

  it("fires a timeout once, and not once it is cleared", async () => {
    const fired: string[] = [];
    const cleared = systemTimers.setTimeout(() => fired.push("cleared"), 1);
    systemTimers.clearTimeout(cleared);
    await new Promise<void>((resolve) => {
      systemTimers.setTimeout(() => {
        fired.push("kept");
        resolve();
      }, 1);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toEqual(["kept"]);
  });

  it("fires an interval until it is cleared", async () => {
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const handle = systemTimers.setInterval(() => {
        ticks += 1;
        if (ticks === 3) {
          systemTimers.clearInterval(handle);
          resolve();
        }
      }, 1);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ticks).toBe(3);
  });

  it("gives handles that can be unref'd, and clears undefined as a no-op", () => {
    const handle = systemTimers.setTimeout(() => {}, 60_000);
    expect(typeof handle.unref).toBe("function");
    handle.unref?.();
    systemTimers.clearTimeout(handle);
    expect(() => systemTimers.clearTimeout(undefined)).not.toThrow();
    expect(() => systemTimers.clearInterval(undefined)).not.toThrow();
  });

  it("puts the system clock and timers together in systemTime", () => {
    expect(systemTime.now).toBe(systemClock);
    expect(systemTime.setTimeout).toBe(systemTimers.setTimeout);
    expect(systemTime.clearTimeout).toBe(systemTimers.clearTimeout);
    expect(systemTime.setInterval).toBe(systemTimers.setInterval);
    expect(systemTime.clearInterval).toBe(systemTimers.clearInterval);
  });
});

describe("FakeTime", () => {
  it("stands still until moved, the wall clock moving with the monotonic one", async () => {
    const time = new FakeTime({ startMs: 10, wallAtZero: 1_700_000_000_000 });
    expect(time.now()).toBe(10);
    expect(time.wallClock()).toBe(1_700_000_000_010);
    await time.advance(25);
    expect(time.now()).toBe(35);
    expect(time.wallClock()).toBe(1_700_000_000_035);
  });

  it("fires due timeouts in time order, ties in the order armed, each at its own time", async () => {
    const time = new FakeTime();
    const fired: [string, number][] = [];
    const at = (name: string) => () => fired.push([name, time.now()]);
    time.setTimeout(at("c"), 30);
    time.setTimeout(at("a"), 10);
    time.setTimeout(at("b1"), 20);
    time.setTimeout(at("b2"), 20);
    time.setTimeout(at("late"), 41);
    await time.advance(40);
    expect(fired).toEqual([
      ["a", 10],
      ["b1", 20],
      ["b2", 20],
      ["c", 30],
    ]);
    expect(time.now()).toBe(40);
    expect(time.pending).toBe(1);
    await time.advance(1);
    expect(fired.at(-1)).toEqual(["late", 41]);
    expect(time.pending).toBe(0);
  });

  it("fires a timeout with a negative or zero delay at the current time", async () => {
    const time = new FakeTime();
    const fired: number[] = [];
    time.setTimeout(() => fired.push(time.now()), -5);
    time.setTimeout(() => fired.push(time.now()), 0);
    expect(fired).toEqual([]);
    await time.advance(0);
    expect(fired).toEqual([0, 0]);
  });

  it("never fires a cleared timer, and ignores handles it did not make", async () => {
    const time = new FakeTime();
    let fired = 0;
    const timeout = time.setTimeout(() => fired++, 5);
    const interval = time.setInterval(() => fired++, 5);
    time.clearTimeout(timeout);
    time.clearInterval(interval);
    time.clearTimeout(undefined);
    time.clearTimeout(new FakeTime().setTimeout(() => {}, 1));
    await time.advance(100);
    expect(fired).toBe(0);
    expect(time.pending).toBe(0);
  });

  it("fires an interval every period until cleared, also from its own callback", async () => {
    const time = new FakeTime();
    const ticks: number[] = [];
    const handle = time.setInterval(() => {
      ticks.push(time.now());
      if (ticks.length === 3) time.clearInterval(handle);
    }, 100);
    expect(time.intervals).toBe(1);
    await time.advance(250);
    expect(ticks).toEqual([100, 200]);
    await time.advance(1000);
    expect(ticks).toEqual([100, 200, 300]);
    expect(time.intervals).toBe(0);
  });

  it("runs an interval of under 1 ms every 1 ms", async () => {
    const time = new FakeTime();
    let ticks = 0;
    time.setInterval(() => ticks++, 0);
    await time.advance(5);
    expect(ticks).toBe(5);
  });

  it("counts timeouts and intervals apart, and the ones still ref'd", () => {
    const time = new FakeTime();
    time.setTimeout(() => {}, 1);
    time.setInterval(() => {}, 1).unref?.();
    time.setInterval(() => {}, 1);
    expect(time.pending).toBe(3);
    expect(time.timeouts).toBe(1);
    expect(time.intervals).toBe(2);
    expect(time.refed).toBe(2);
  });

  it("lets promises settle between timers, so a wait armed by one fires in the same advance", async () => {
    const time = new FakeTime();
    const fired: number[] = [];
    time.setTimeout(() => {
      void Promise.resolve().then(() => time.setTimeout(() => fired.push(time.now()), 10));
    }, 10);
    await time.advance(30);
    expect(fired).toEqual([20]);
  });

  it("runNext fires the next timer at once, moving the clock to it; throws when none", () => {
    const time = new FakeTime();
    const fired: number[] = [];
    expect(time.nextInMs).toBe(undefined);
    time.setTimeout(() => fired.push(time.now()), 7);
    time.setTimeout(() => fired.push(time.now()), 3);
    expect(time.nextInMs).toBe(3);
    time.runNext();
    expect(fired).toEqual([3]);
    expect(time.nextInMs).toBe(4);
    time.runNext();
    expect(fired).toEqual([3, 7]);
    expect(() => time.runNext()).toThrow("no timer pending");
  });

  it("serves as the clock and timers of code that takes them detached", async () => {
    const time = new FakeTime();
    const { now, setTimeout } = time;
    let at: number | undefined;
    setTimeout(() => {
      at = now();
    }, 50);
    await time.advance(50);
    expect(at).toBe(50);
  });
});
