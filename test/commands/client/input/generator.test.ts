import { describe, expect, it } from "vitest";
import { LEVELS } from "../../../../src/client/levels.js";
import {
  generate,
  plannedCount,
  sampleEntry,
} from "../../../../src/commands/client/input/generator.js";

/** A deterministic uniform source (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A clock that only moves when sleep() is called or the test moves it. */
function fakeTime(start = 1000) {
  const time = { now: start, sleeps: [] as number[] };
  return {
    time,
    now: () => time.now,
    sleep: async (ms: number) => {
      time.sleeps.push(ms);
      time.now += ms;
    },
  };
}

const wallClock = () => new Date("2026-11-24T10:30:00.000Z");

describe("sampleEntry", () => {
  it("has the original shipper's fields", () => {
    const entry = sampleEntry(seeded(1), wallClock(), "svc");
    expect(Object.keys(entry)).toEqual(["timestamp", "level", "message", "service", "metadata"]);
    expect(entry.timestamp).toBe("2026-11-24T10:30:00.000Z");
    expect(LEVELS).toContain(entry.level);
    expect(typeof entry.message).toBe("string");
    expect(entry.service).toBe("svc");
    const metadata = entry.metadata as Record<string, unknown>;
    expect(Object.keys(metadata)).toEqual(["user.id", "request.id", "duration_ms"]);
    expect(metadata["request.id"]).toMatch(/^[0-9a-f]{16}$/);
    expect(metadata.duration_ms).toBeGreaterThanOrEqual(1);
  });

  it("weights levels toward INFO", () => {
    const random = seeded(42);
    const counts = new Map<unknown, number>();
    for (let i = 0; i < 10_000; i++) {
      const { level } = sampleEntry(random, wallClock(), "svc");
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const info = counts.get("INFO") ?? 0;
    for (const level of LEVELS) expect(counts.get(level) ?? 0).toBeGreaterThan(0);
    for (const level of LEVELS.filter((name) => name !== "INFO")) {
      expect(info).toBeGreaterThan(counts.get(level) ?? 0);
    }
  });

  it("stays in range when random returns its largest value", () => {
    const entry = sampleEntry(() => 0.9999999999, wallClock(), "svc");
    expect(entry.level).toBe("CRITICAL");
    expect(entry.message).not.toBe("");
  });
});

describe("generate", () => {
  it("yields rate x run time entries, each at start + i / rate", async () => {
    const clock = fakeTime();
    const due: number[] = [];
    for await (const _ of generate({
      logsPerSecond: 4,
      runTimeSeconds: 3,
      service: "svc",
      random: seeded(7),
      now: clock.now,
      sleep: clock.sleep,
      wallClock,
    })) {
      due.push(clock.time.now - 1000);
    }
    expect(due).toEqual(Array.from({ length: 12 }, (_, i) => i * 250));
  });

  it("does not drift when the consumer takes time, and catches up when behind", async () => {
    const clock = fakeTime(0);
    const due: number[] = [];
    let i = 0;
    for await (const _ of generate({
      logsPerSecond: 10,
      runTimeSeconds: 1,
      service: "svc",
      random: seeded(7),
      now: clock.now,
      sleep: clock.sleep,
      wallClock,
    })) {
      due.push(clock.time.now);
      clock.time.now += i === 2 ? 350 : 30; // entry 2 makes the consumer 350 ms late
      i++;
    }
    expect(due).toEqual([0, 100, 200, 550, 580, 610, 640, 700, 800, 900]);
    // Each sleep is what remained until the next due time, never a fixed interval.
    expect(clock.time.sleeps.slice(0, 2)).toEqual([70, 70]);
  });

  it("rounds the count of a fractional rate up", () => {
    expect(plannedCount(5, 30)).toBe(150);
    expect(plannedCount(0.5, 3)).toBe(2);
    expect(plannedCount(3, 0.1)).toBe(1);
    expect(plannedCount(5, 0)).toBeUndefined();
  });

  it("runs until aborted when the run time is 0", async () => {
    const clock = fakeTime();
    const controller = new AbortController();
    let count = 0;
    for await (const _ of generate({
      logsPerSecond: 1000,
      runTimeSeconds: 0,
      service: "svc",
      random: seeded(3),
      now: clock.now,
      sleep: clock.sleep,
      wallClock,
      signal: controller.signal,
    })) {
      count++;
      if (count === 5000) controller.abort();
    }
    expect(count).toBe(5000);
  });

  it("stops at once when the signal aborts during a sleep", async () => {
    const controller = new AbortController();
    let now = 0;
    const entries = generate({
      logsPerSecond: 1,
      runTimeSeconds: 60,
      service: "svc",
      random: seeded(3),
      now: () => now,
      wallClock,
      signal: controller.signal,
    });
    expect((await entries.next()).done).toBe(false);
    now = 1; // the next entry is due in 999 ms of the real timer
    const pending = entries.next();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
