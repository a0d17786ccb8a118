import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OutputPipeline, type PipelineOptions } from "../../../src/server/outputs/pipeline.js";
import { spoolDirName } from "../../../src/server/outputs/spool.js";
import { FakeTime, settle } from "../../support/fake-time.js";
import { down, FakeSink, message, refused } from "./fakes.js";

/** Real files: time for the disk, even on a loaded machine. */
const DISK = { timeout: 20_000 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "outputs-"));
  dirs.push(dir);
  return dir;
}

function setup(options: Partial<PipelineOptions> = {}, sink = new FakeSink()) {
  const time = new FakeTime();
  const events: string[] = [];
  const pipeline = new OutputPipeline({
    sink,
    batch: { maxEntries: 1, maxBytes: 1 << 20, intervalMs: 0 },
    maxQueueBytes: 1 << 20,
    timers: time,
    now: time.now,
    random: () => 0.5,
    onOutage: (failure) => events.push(`down ${failure.reason}`),
    onRecovered: () => events.push("up"),
    ...options,
  });
  pipeline.start();
  return { time, sink, pipeline, events };
}

describe("delivery", () => {
  it("delivers batches in order and counts them", async () => {
    const { sink, pipeline } = setup();
    for (let i = 0; i < 3; i++) pipeline.write(message(`m${i}`, 1, i));
    await settle();
    expect(sink.entries()).toEqual(['{"i":0}', '{"i":1}', '{"i":2}']);
    expect(pipeline.summary()).toMatchObject({ entries: 3, batches: 3, retries: 0, queued: 0 });
  });

  it("retries with capped exponential backoff, warns once per outage, and keeps order", async () => {
    const { time, sink, pipeline, events } = setup();
    sink.script.push(down(), down(), down());
    pipeline.write(message("a"));
    pipeline.write(message("b"));
    await settle();
    expect(sink.attempts).toHaveLength(1);
    // 200 ms, then 400 ms, then 800 ms (jitter 1.0 with random 0.5).
    await time.advance(199);
    expect(sink.attempts).toHaveLength(1);
    await time.advance(1);
    expect(sink.attempts).toHaveLength(2);
    await time.advance(400);
    expect(sink.attempts).toHaveLength(3);
    await time.advance(800);
    expect(sink.delivered.map((b) => b.messages[0]?.id)).toEqual(["a", "b"]);
    expect(events).toEqual(["down connect", "up"]);
    expect(pipeline.summary()).toMatchObject({ entries: 2, retries: 3, dropped: {} });
  });

  it("waits as long as Retry-After asks when that is longer than the backoff", async () => {
    const { time, sink, pipeline } = setup();
    sink.script.push(down("http-429", 5000));
    pipeline.write(message("a"));
    await settle();
    await time.advance(4999);
    expect(sink.attempts).toHaveLength(1);
    await time.advance(1);
    expect(sink.delivered).toHaveLength(1);
  });

  it("drops a batch the destination refuses for good, counted by reason, and goes on", async () => {
    const { sink, pipeline } = setup();
    sink.script.push(refused("http-400"));
    pipeline.write(message("a", 3));
    pipeline.write(message("b", 2));
    await settle();
    expect(sink.attempts).toHaveLength(2);
    expect(pipeline.summary()).toMatchObject({
      entries: 2,
      dropped: { "http-400": 3 },
      retries: 0,
    });
  });

  it("bounds the memory queue: past it batches are dropped as queue-full", async () => {
    const { sink, pipeline } = setup({ maxQueueBytes: 300 });
    sink.hold = true;
    for (let i = 0; i < 10; i++) pipeline.write(message(`m${i}`, 1, i));
    await settle();
    const summary = pipeline.summary();
    expect(summary.dropped["queue-full"]).toBeGreaterThan(0);
    expect(summary.queued + (summary.dropped["queue-full"] ?? 0)).toBe(10);
    sink.release();
    await settle();
    expect(pipeline.summary().entries).toBe(summary.queued);
  });

  it("drains at close, and drops what is left at the drain timeout without a spool", async () => {
    const { time, sink, pipeline } = setup();
    sink.script.push(down(), down(), down(), down(), down(), down());
    pipeline.write(message("a", 2));
    const closing = pipeline.close(1000);
    await time.advance(1000);
    expect(await closing).toBe("timeout");
    expect(pipeline.summary()).toMatchObject({ dropped: { "drain-timeout": 2 }, queued: 0 });
    expect(sink.closed).toBe(true);
  });
});

describe("spool", () => {
  it("spools while the output is down, then replays in order when it recovers", async () => {
    const dir = tempDir();
    const { time, sink, pipeline } = setup({ spool: { dir, maxBytes: 1 << 20 } });
    sink.script.push(down(), down());
    const files = () =>
      readdirSync(join(dir, spoolDirName("fake"))).filter((n) => n.endsWith(".batch"));
    for (let i = 0; i < 5; i++) pipeline.write(message(`m${i}`, 1, i));
    await vi.waitFor(() => expect(files().length).toBe(5), DISK);
    await time.advance(200);
    await time.advance(400);
    await vi.waitFor(() => expect(sink.delivered).toHaveLength(5), DISK);
    expect(sink.delivered.map((b) => b.messages[0]?.id)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    // The sink holds a batch before the pipeline counts it as written.
    await vi.waitFor(
      () =>
        expect(pipeline.summary()).toMatchObject({
          entries: 5,
          spooled: 5,
          queued: 0,
          spool_bytes: 0,
        }),
      DISK,
    );
    await vi.waitFor(() => expect(files()).toEqual([]), DISK);
  });

  it("replays at start what a previous run left, ids and bytes as they were", async () => {
    const dir = tempDir();
    const first = setup({ spool: { dir, maxBytes: 1 << 20 } });
    first.sink.hold = true;
    first.pipeline.write({ id: "abcd-1", entries: ['{"m":"é\\n"}', '{"n":1.0}'] });
    first.pipeline.write(message("abcd-2"));
    await settle();
    // Shutdown while the output hangs: the drain gives up and spools.
    const closing = first.pipeline.close(100);
    await first.time.advance(100);
    expect(await closing).toBe("spooled");
    const second = setup({ spool: { dir, maxBytes: 1 << 20 } });
    expect(second.pipeline.summary().queued).toBe(3);
    await vi.waitFor(() => expect(second.sink.delivered).toHaveLength(2), DISK);
    expect(second.sink.delivered.map((b) => b.messages[0])).toEqual([
      { id: "abcd-1", entries: ['{"m":"é\\n"}', '{"n":1.0}'] },
      { id: "abcd-2", entries: ['{"i":0}'] },
    ]);
  });

  it("drops past the spool bound as spool-full", async () => {
    const dir = tempDir();
    const { sink, pipeline } = setup({ spool: { dir, maxBytes: 200 } });
    sink.script.push(down());
    pipeline.write(message("m0", 1, 0));
    await settle();
    for (let i = 1; i < 10; i++) pipeline.write(message(`m${i}`, 1, i));
    await vi.waitFor(() => expect(pipeline.summary().spooled).toBeGreaterThan(0), DISK);
    const summary = pipeline.summary();
    expect(summary.dropped["spool-full"]).toBeGreaterThan(0);
    expect(summary.spool_bytes).toBeLessThanOrEqual(200);
    expect(summary.queued + (summary.dropped["spool-full"] ?? 0)).toBe(10);
  });

  it("spools everything at once at shutdown while the output is down", async () => {
    const dir = tempDir();
    const { sink, pipeline } = setup({ spool: { dir, maxBytes: 1 << 20 } });
    sink.script.push(down());
    pipeline.write(message("a"));
    await settle();
    pipeline.write(message("b"));
    expect(await pipeline.close(60_000)).toBe("spooled");
    expect(pipeline.summary()).toMatchObject({ queued: 2, dropped: {} });
    expect(pipeline.summary().spool_bytes).toBeGreaterThan(0);
  });
});
