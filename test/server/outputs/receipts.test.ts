import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputWriter } from "../../../src/server/output.js";
import { OutputPipeline, type PipelineOptions } from "../../../src/server/outputs/pipeline.js";
import { BatchReceipts, fanOutReceipt } from "../../../src/server/outputs/receipts.js";
import { StdoutSink } from "../../../src/server/outputs/stdout-sink.js";
import type { OutputBatch, Receipt } from "../../../src/server/outputs/types.js";
import { FakeTime, settle } from "../../support/fake-time.js";
import { down, FakeSink, message, refused } from "./fakes.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A receipt that keeps what it was told. */
function recorder(): Receipt & { told: boolean[] } {
  const told: boolean[] = [];
  return { told, settle: (accepted) => told.push(accepted) };
}

function tracked(id: string, receipt: Receipt, n = 1) {
  return { ...message(id, n), receipt };
}

function setup(options: Partial<PipelineOptions> = {}, sink = new FakeSink()) {
  const time = new FakeTime();
  const pipeline = new OutputPipeline({
    sink,
    batch: { maxEntries: 1, maxBytes: 1 << 20, intervalMs: 0 },
    maxQueueBytes: 1 << 20,
    timers: time,
    now: time.now,
    random: () => 0.5,
    ...options,
  });
  pipeline.start();
  return { time, sink, pipeline };
}

describe("fanOutReceipt", () => {
  it("settles true once every output accepted, false at the first refusal, once", () => {
    const told: boolean[] = [];
    const all = fanOutReceipt(3, (ok) => told.push(ok));
    all.settle(true);
    all.settle(true);
    expect(told).toEqual([]);
    all.settle(true);
    expect(told).toEqual([true]);
    const one = fanOutReceipt(2, (ok) => told.push(ok));
    one.settle(false);
    one.settle(true);
    expect(told).toEqual([true, false]);
  });
});

describe("BatchReceipts", () => {
  it("settles each message of a batch once, however often the batch is reported", () => {
    const r = recorder();
    const batch: OutputBatch = { messages: [tracked("a", r), message("b")], entries: 2, bytes: 2 };
    const receipts = new BatchReceipts();
    receipts.settle(batch, true);
    receipts.settle(batch, false);
    expect(r.told).toEqual([true]);
  });
});

describe("a pipeline's receipts", () => {
  it("accepts a message when its batch is delivered, not while it is retried", async () => {
    const { time, sink, pipeline } = setup();
    sink.script.push(down());
    const r = recorder();
    pipeline.write(tracked("a", r));
    await settle();
    expect(r.told).toEqual([]);
    await time.advance(200);
    expect(r.told).toEqual([true]);
  });

  it("refuses a message dropped for good, for a full queue, or after close", async () => {
    const { sink, pipeline } = setup({ maxQueueBytes: 1 });
    sink.script.push(refused());
    const a = recorder();
    pipeline.write(tracked("a", a));
    await settle();
    expect(a.told).toEqual([false]);
    sink.hold = true;
    const b = recorder();
    const c = recorder();
    pipeline.write(tracked("b", b));
    pipeline.write(tracked("c", c));
    expect(c.told).toEqual([false]);
    sink.release();
    await settle();
    expect(b.told).toEqual([true]);
    await pipeline.close(10);
    const d = recorder();
    pipeline.write(tracked("d", d));
    expect(d.told).toEqual([false]);
  });

  it("accepts a message once its batch is in the spool, and not again when delivered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "receipts-"));
    dirs.push(dir);
    const { time, sink, pipeline } = setup({ spool: { dir, maxBytes: 1 << 20 } });
    sink.script.push(down());
    const r = recorder();
    pipeline.write(tracked("a", r));
    await vi.waitFor(() => expect(r.told).toEqual([true]), { timeout: 20_000 });
    expect(sink.delivered).toHaveLength(0);
    await time.advance(200);
    await vi.waitFor(() => expect(sink.delivered).toHaveLength(1), { timeout: 20_000 });
    expect(r.told).toEqual([true]);
  });
});

/** A stream whose writes complete only when told. */
class SlowStream extends Writable {
  readonly pending: (() => void)[] = [];
  constructor() {
    super({ decodeStrings: false, highWaterMark: 1 << 30 });
  }
  override _write(_chunk: string, _encoding: BufferEncoding, callback: () => void): void {
    this.pending.push(callback);
  }
}

describe("stdout", () => {
  it("accepts a message when the write holding its lines completed", async () => {
    const stream = new SlowStream();
    const writer = new OutputWriter(stream, { schedule: (callback) => callback() });
    const sink = new StdoutSink(writer, 1000, new FakeTime());
    const r = recorder();
    const { pipeline } = setup({}, sink as unknown as FakeSink);
    pipeline.write(tracked("a", r, 3));
    await settle();
    expect(r.told).toEqual([]);
    for (const done of stream.pending.splice(0)) done();
    await settle();
    expect(r.told).toEqual([true]);
    expect(writer.written).toBe(3);
  });

  it("tells the writer's caller false for lines past its bound or after a failure", () => {
    const stream = new SlowStream();
    const writer = new OutputWriter(stream, { maxPendingBytes: 200 });
    const told: boolean[] = [];
    writer.writeLines(["x".repeat(100)], (ok) => told.push(ok));
    writer.writeLines(["y".repeat(300)], (ok) => told.push(ok));
    expect(told).toEqual([false]);
    stream.destroy(new Error("EPIPE"));
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        expect(told).toEqual([false, false]);
        resolve();
      }),
    );
  });
});
