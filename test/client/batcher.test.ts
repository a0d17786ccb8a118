import { describe, expect, it } from "vitest";
import {
  type Batch,
  Batcher,
  type BatchSettings,
  mergeBatchSettings,
  validateBatchSettings,
} from "../../src/client/batcher.js";
import { levelRank } from "../../src/client/levels.js";
import { FakeTime } from "../support/fake-time.js";

const BASE: BatchSettings = {
  batchSize: 10,
  flushIntervalMs: 5000,
  batchBytes: 0,
  flushLevel: undefined,
};

function setup(settings: Partial<BatchSettings> = {}) {
  const clock = new FakeTime();
  const batches: Batch[] = [];
  const batcher = new Batcher({ ...BASE, ...settings }, clock, (batch) => batches.push(batch));
  let next = 0;
  const add = (level = "INFO", text = "x") => {
    const json = JSON.stringify({ n: next++, level, message: text });
    batcher.add(json, levelRank(level));
    return json;
  };
  const numbers = (batch: Batch | undefined) =>
    (batch?.entries ?? []).map((json) => (JSON.parse(json) as { n: number }).n);
  return { clock, batches, batcher, add, numbers };
}

describe("Batcher triggers", () => {
  it("emits a batch when the count reaches batchSize", () => {
    const { batches, add, numbers, batcher } = setup({ batchSize: 3 });
    add();
    add();
    expect(batches).toHaveLength(0);
    add();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.trigger).toBe("size");
    expect(numbers(batches[0])).toEqual([0, 1, 2]);
    expect(batcher.count).toBe(0);
  });

  it("emits after flushIntervalMs counted from the first entry of the batch", async () => {
    const { clock, batches, add } = setup({ flushIntervalMs: 1000 });
    add();
    await clock.advance(600);
    add();
    await clock.advance(399);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches.map((b) => [b.trigger, b.entries.length])).toEqual([["interval", 2]]);
    expect(clock.pending).toBe(0);
  });

  it("starts no timer with flushIntervalMs 0", async () => {
    const { clock, batches, add } = setup({ flushIntervalMs: 0 });
    add();
    expect(clock.pending).toBe(0);
    await clock.advance(1_000_000);
    expect(batches).toHaveLength(0);
  });

  it("cancels the interval timer when a batch goes for another reason", async () => {
    const { clock, batches, add } = setup({ batchSize: 2, flushIntervalMs: 1000 });
    add();
    add();
    expect(clock.pending).toBe(0);
    add();
    await clock.advance(1000);
    expect(batches.map((b) => b.trigger)).toEqual(["size", "interval"]);
  });

  it("flushes an entry at or above flushLevel at once, with its batch", () => {
    const { batches, add, numbers } = setup({ flushLevel: "ERROR" });
    add("INFO");
    add("WARNING");
    expect(batches).toHaveLength(0);
    add("CRITICAL");
    add("DEBUG");
    add("error");
    expect(batches.map((b) => b.trigger)).toEqual(["level", "level"]);
    expect(batches.map(numbers)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it("counts the JSON array bytes: brackets, commas and UTF-8", () => {
    const { batcher } = setup();
    expect(batcher.jsonBytes).toBe(0);
    batcher.add('"é"', -1);
    expect(batcher.jsonBytes).toBe(Buffer.byteLength('["é"]'));
    batcher.add('"ab"', -1);
    expect(batcher.jsonBytes).toBe(Buffer.byteLength('["é","ab"]'));
  });

  it("hands each entry's bytes over with the batch, measured or as given", () => {
    const { batches, batcher } = setup({ batchSize: 3 });
    batcher.add('"é"', -1);
    batcher.add('"ab"', -1, 4);
    batcher.add('"x"', -1);
    expect(batches.map((b) => b.sizes)).toEqual([[4, 4, 3]]);
    expect(batches[0]?.jsonBytes).toBe(4 + 4 + 3 + 3 + 1);
  });

  it("emits on batchBytes: when reached, and before an entry that would pass it", () => {
    const { batches, batcher } = setup({ batchBytes: 9 });
    batcher.add('"a"', -1); // ["a"] = 5 bytes
    batcher.add('"b"', -1); // ["a","b"] = 9 bytes: reached
    expect(batches.map((b) => [b.trigger, b.jsonBytes, b.entries])).toEqual([
      ["bytes", 9, ['"a"', '"b"']],
    ]);
    batcher.add('"cc"', -1); // 6 bytes
    batcher.add('"dd"', -1); // would be 11 > 9: ["cc"] goes first
    expect(batches.at(-1)).toMatchObject({ trigger: "bytes", entries: ['"cc"'], jsonBytes: 6 });
    expect(batcher.count).toBe(1);
    for (const batch of batches) {
      expect(Buffer.byteLength(`[${batch.entries.join(",")}]`)).toBe(batch.jsonBytes);
    }
  });

  it("sends an entry larger than batchBytes alone", () => {
    const { batches, batcher } = setup({ batchBytes: 10 });
    batcher.add('"a"', -1);
    batcher.add(`"${"x".repeat(50)}"`, -1);
    expect(batches.map((b) => b.entries.length)).toEqual([1, 1]);
    expect(batcher.count).toBe(0);
  });

  it("flush() emits with the given trigger and nothing when empty", () => {
    const { batches, batcher, add } = setup();
    batcher.flush("shutdown");
    expect(batches).toHaveLength(0);
    add();
    batcher.flush("shutdown");
    expect(batches.map((b) => b.trigger)).toEqual(["shutdown"]);
  });

  it("dispose() cancels the timer", () => {
    const { clock, batcher, add } = setup();
    add();
    expect(clock.pending).toBe(1);
    batcher.dispose();
    expect(clock.pending).toBe(0);
  });
});

describe("Batcher.reconfigure", () => {
  it("a smaller batchSize flushes full batches at once, nothing lost or sent twice", () => {
    const { batches, batcher, add, numbers } = setup({ batchSize: 10 });
    for (let i = 0; i < 7; i++) add();
    batcher.reconfigure({ batchSize: 3 });
    expect(batches.map((b) => b.trigger)).toEqual(["size", "size"]);
    expect(batches.map(numbers)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(batcher.count).toBe(1);
    add();
    add();
    batcher.flush("shutdown");
    const all = batches.flatMap(numbers);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("a batchSize equal to the buffered count flushes them", () => {
    const { batches, batcher, add } = setup({ batchSize: 10 });
    for (let i = 0; i < 4; i++) add();
    batcher.reconfigure({ batchSize: 4 });
    expect(batches.map((b) => [b.trigger, b.entries.length])).toEqual([["size", 4]]);
  });

  it("a larger batchSize keeps the entries buffered", () => {
    const { batches, batcher, add } = setup({ batchSize: 5 });
    for (let i = 0; i < 4; i++) add();
    batcher.reconfigure({ batchSize: 100 });
    add();
    expect(batches).toHaveLength(0);
    expect(batcher.count).toBe(5);
  });

  it("keeps the time the batch started for a new interval", async () => {
    const { clock, batches, batcher, add } = setup({ flushIntervalMs: 5000 });
    add();
    await clock.advance(3000);
    batcher.reconfigure({ flushIntervalMs: 4000 });
    await clock.advance(999);
    expect(batches).toHaveLength(0);
    await clock.advance(1);
    expect(batches.map((b) => b.trigger)).toEqual(["interval"]);
    expect(clock.now()).toBe(4000);
  });

  it("an interval already passed flushes at once", async () => {
    const { clock, batches, batcher, add } = setup({ flushIntervalMs: 5000 });
    add();
    await clock.advance(3000);
    batcher.reconfigure({ flushIntervalMs: 1000 });
    expect(batches.map((b) => b.trigger)).toEqual(["interval"]);
    expect(clock.pending).toBe(0);
  });

  it("a lower flushLevel flushes buffered entries that now reach it", () => {
    const { batches, batcher, add, numbers } = setup({ flushLevel: "CRITICAL" });
    add("INFO");
    add("WARNING");
    add("INFO");
    batcher.reconfigure({ flushLevel: "WARNING" });
    expect(batches.map(numbers)).toEqual([[0, 1]]);
    expect(batches[0]?.trigger).toBe("level");
    batcher.reconfigure({ flushLevel: undefined });
    add("CRITICAL");
    expect(batches).toHaveLength(1);
  });

  it("a smaller batchBytes cuts the buffer into batches that fit", () => {
    const { batches, batcher } = setup();
    for (const letter of "abcde") batcher.add(`"${letter}"`, -1);
    batcher.reconfigure({ batchBytes: 9 });
    expect(batches.map((b) => b.entries.join(""))).toEqual(['"a""b"', '"c""d"']);
    expect(batcher.count).toBe(1);
  });

  it("leaves settings absent from the change as they were", () => {
    const { batcher } = setup({ batchSize: 7, flushLevel: "ERROR" });
    batcher.reconfigure({ batchBytes: 100 });
    expect(batcher.settings).toEqual({
      batchSize: 7,
      flushIntervalMs: 5000,
      batchBytes: 100,
      flushLevel: "ERROR",
    });
  });

  it("rejects a bad setting and keeps the old ones", () => {
    const { batcher } = setup({ batchSize: 7 });
    expect(() => batcher.reconfigure({ batchSize: 0 })).toThrow(/batchSize/);
    expect(batcher.settings.batchSize).toBe(7);
  });
});

describe("validateBatchSettings", () => {
  it.each([
    [{ batchSize: 0 }, /batchSize/],
    [{ batchSize: 1.5 }, /batchSize/],
    [{ flushIntervalMs: -1 }, /flushIntervalMs/],
    [{ flushIntervalMs: Number.NaN }, /flushIntervalMs/],
    [{ batchBytes: -1 }, /batchBytes/],
    [{ flushLevel: "LOUD" }, /flushLevel/],
  ])("%j is rejected", (change, message) => {
    expect(() => validateBatchSettings({ ...BASE, ...change } as BatchSettings)).toThrow(message);
  });

  it("returns a frozen copy", () => {
    const settings = validateBatchSettings(BASE);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(mergeBatchSettings(settings, { flushLevel: "INFO" }).flushLevel).toBe("INFO");
  });
});
