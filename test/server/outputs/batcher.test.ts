import { describe, expect, it } from "vitest";
import { Batcher, type BatchSettings } from "../../../src/server/outputs/batcher.js";
import type { OutputBatch } from "../../../src/server/outputs/types.js";
import { FakeTime } from "../../support/fake-time.js";
import { message } from "./fakes.js";

function setup(settings: Partial<BatchSettings> = {}) {
  const time = new FakeTime();
  const batches: OutputBatch[] = [];
  /** End-of-turn callbacks, run by hand. */
  const turnEnds: (() => void)[] = [];
  const batcher = new Batcher(
    { maxEntries: 10, maxBytes: 1000, intervalMs: 500, ...settings },
    time,
    (batch) => batches.push(batch),
    (callback) => turnEnds.push(callback),
  );
  const endTurn = () => {
    for (const callback of turnEnds.splice(0)) callback();
  };
  return { time, batches, batcher, endTurn };
}

describe("Batcher", () => {
  it("seals a batch at its entry count, never cutting a message", () => {
    const { batches, batcher } = setup({ maxEntries: 5 });
    batcher.add(message("a", 3));
    batcher.add(message("b", 3));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.messages.map((m) => m.id)).toEqual(["a"]);
    batcher.add(message("c", 2));
    expect(batches).toHaveLength(2);
    expect(batches[1]).toMatchObject({ entries: 5 });
  });

  it("seals at its byte bound, counted in UTF-8 bytes", () => {
    const { batches, batcher } = setup({ maxBytes: 20 });
    batcher.add({ id: "a", entries: ['{"m":"ééééé"}'] });
    expect(batches).toHaveLength(0);
    batcher.add({ id: "b", entries: ['{"m":"é"}'] });
    expect(batches).toHaveLength(1);
    expect(batches[0]?.bytes).toBe(18);
  });

  it("seals after the interval from its first message, with time moved by hand", async () => {
    const { time, batches, batcher } = setup({ intervalMs: 500 });
    batcher.add(message("a"));
    await time.advance(300);
    batcher.add(message("b"));
    await time.advance(199);
    expect(batches).toHaveLength(0);
    await time.advance(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.entries).toBe(2);
    expect(time.pending).toBe(0);
  });

  it("sends a batch at once when it holds an entry at or above the flush level", () => {
    const { batches, batcher } = setup({ flushRank: 3 });
    batcher.add({ id: "a", entries: ['{"level":"WARNING"}'] });
    expect(batches).toHaveLength(0);
    batcher.add({ id: "b", entries: ['{"msg":"x","level":"error"}'] });
    expect(batches).toHaveLength(1);
    expect(batches[0]?.entries).toBe(2);
  });

  it("with interval 0 sends the messages of one event-loop turn together at its end", () => {
    const { batches, batcher, endTurn } = setup({ intervalMs: 0 });
    batcher.add(message("a"));
    batcher.add(message("b"));
    expect(batches).toHaveLength(0);
    endTurn();
    expect(batches.map((b) => b.messages.map((m) => m.id))).toEqual([["a", "b"]]);
    batcher.add(message("c"));
    endTurn();
    expect(batches.map((b) => b.messages.length)).toEqual([2, 1]);
    endTurn();
    expect(batches).toHaveLength(2);
  });

  it("with interval 0 still seals at once at the bounds and the flush level", () => {
    const { batches, batcher, endTurn } = setup({ intervalMs: 0, maxEntries: 2, flushRank: 3 });
    batcher.add(message("a", 2));
    expect(batches).toHaveLength(1);
    batcher.add({ id: "b", entries: ['{"level":"ERROR"}'] });
    expect(batches).toHaveLength(2);
    endTurn();
    expect(batches).toHaveLength(2);
  });

  it("takes new settings, sealing a batch already past them", () => {
    const { batches, batcher } = setup();
    batcher.add(message("a", 4));
    batcher.settings = { maxEntries: 3, maxBytes: 1000, intervalMs: 500 };
    expect(batches).toHaveLength(1);
  });
});
