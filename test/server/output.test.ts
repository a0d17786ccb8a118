import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import {
  BLOCK_OVERHEAD_BYTES,
  type LineStream,
  OutputWriter,
  type WriteCallback,
} from "../../src/server/output.js";

/** A stream whose writes complete only when the test says so. */
class SlowStream extends EventEmitter implements LineStream {
  readonly written: string[] = [];
  readonly held: { chunk: string; callback: WriteCallback | undefined }[] = [];
  writes = 0;
  #buffered = 0;
  #needDrain = false;

  constructor(private readonly highWaterMark: number) {
    super();
  }

  write(chunk: string, callback?: WriteCallback): boolean {
    this.writes += 1;
    this.held.push({ chunk, callback });
    this.#buffered += chunk.length;
    const ok = this.#buffered < this.highWaterMark;
    if (!ok) this.#needDrain = true;
    return ok;
  }

  /** Completes every held write, then emits 'drain' if a write said to wait. */
  release(): void {
    for (const { chunk, callback } of this.held.splice(0)) {
      this.written.push(chunk);
      this.#buffered -= chunk.length;
      callback?.();
    }
    if (this.#needDrain) {
      this.#needDrain = false;
      this.emit("drain");
    }
  }

  lines(): string[] {
    return this.written.join("").split("\n").slice(0, -1);
  }
}

function manual() {
  const queue: (() => void)[] = [];
  return {
    schedule: (callback: () => void) => queue.push(callback),
    run: () => {
      for (const callback of queue.splice(0)) callback();
    },
  };
}

const numbered = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `{"n":${from + i}}`);

describe("OutputWriter", () => {
  it("writes the lines of one turn as one chunk, each with its newline, in order", () => {
    const stream = new SlowStream(1 << 20);
    const tick = manual();
    const writer = new OutputWriter(stream, { schedule: tick.schedule });
    writer.writeLines(numbered(0, 3));
    writer.writeLines(numbered(3, 2));
    expect(stream.writes).toBe(0);
    tick.run();
    expect(stream.writes).toBe(1);
    stream.release();
    expect(stream.written).toEqual(['{"n":0}\n{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    expect(writer.written).toBe(5);
  });

  it("writes a chunk as soon as it reaches chunkBytes", () => {
    const stream = new SlowStream(1 << 20);
    const tick = manual();
    const writer = new OutputWriter(stream, { schedule: tick.schedule, chunkBytes: 24 });
    for (const line of numbered(0, 7)) writer.writeLines([line]); // 8 bytes each: chunks of 3 lines
    expect(stream.writes).toBe(2);
    tick.run();
    expect(stream.writes).toBe(3);
    stream.release();
    expect(stream.lines()).toEqual(numbered(0, 7));
  });

  it("applies the format to each line", () => {
    const stream = new SlowStream(1 << 20);
    const writer = new OutputWriter(stream, { schedule: () => {}, format: (l) => `<${l}>` });
    writer.writeLines(["a", "b"]);
    writer.flush();
    stream.release();
    expect(stream.written.join("")).toBe("<a>\n<b>\n");
  });

  it("holds at most maxPendingBytes while the stream is slow, drops and counts the rest, keeps order", () => {
    const stream = new SlowStream(16);
    const tick = manual();
    const writer = new OutputWriter(stream, {
      schedule: tick.schedule,
      chunkBytes: 64,
      maxPendingBytes: 1000,
    });
    const lines = numbered(0, 1000); // 8-9 bytes each with newline
    writer.writeLines(lines);
    tick.run();
    // One chunk went to the stream (which said wait); the queue stays under the bound.
    expect(stream.writes).toBe(1);
    expect(writer.pendingBytes).toBeLessThanOrEqual(1000 + 64);
    expect(writer.dropped).toBeGreaterThan(800);

    const dropped = writer.dropped;
    for (let i = 0; i < 100 && stream.held.length > 0; i++) stream.release();
    tick.run();
    stream.release();
    const out = stream.lines();
    expect(out.length + dropped).toBe(1000);
    expect(out).toEqual(lines.slice(0, out.length));
    expect(writer.pendingBytes).toBe(0);

    writer.writeLines(numbered(1000, 2));
    tick.run();
    stream.release();
    expect(stream.lines().slice(-2)).toEqual(numbered(1000, 2));
    expect(writer.dropped).toBe(dropped);
  });

  it("accepts one line larger than the bound when nothing else is held", () => {
    const stream = new SlowStream(1 << 20);
    const writer = new OutputWriter(stream, { schedule: () => {}, maxPendingBytes: 10 });
    writer.writeLines(["x".repeat(50), "y"]);
    writer.flush();
    stream.release();
    expect(stream.lines()).toEqual(["x".repeat(50)]);
    expect(writer.dropped).toBe(1);
  });

  it("counts every line as dropped once the stream fails, and reports the failure once", () => {
    const stream = new SlowStream(1 << 20);
    const tick = manual();
    const onError = vi.fn();
    const writer = new OutputWriter(stream, { schedule: tick.schedule, onError });
    writer.writeLines(numbered(0, 3));
    tick.run();
    stream.release();
    writer.writeLines(numbered(3, 2));
    stream.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    stream.emit("error", new Error("again"));
    writer.writeLines(numbered(5, 4));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(writer.written).toBe(3);
    expect(writer.dropped).toBe(6);
  });

  it("counts a chunk whose write fails as dropped", () => {
    const stream = new SlowStream(1 << 20);
    const writer = new OutputWriter(stream, { schedule: () => {}, onError: () => {} });
    writer.writeLines(numbered(0, 4));
    writer.flush();
    const held = stream.held.splice(0);
    held[0]?.callback?.(new Error("EPIPE"));
    expect(writer.dropped).toBe(4);
    expect(writer.written).toBe(0);
  });

  it("end() resolves true once everything is written", async () => {
    const stream = new SlowStream(1 << 20);
    const writer = new OutputWriter(stream, { schedule: () => {} });
    writer.writeLines(numbered(0, 10));
    const ended = writer.end(5000);
    stream.release();
    await expect(ended).resolves.toBe(true);
    expect(writer.written).toBe(10);
    writer.writeLines(["late"]);
    expect(writer.dropped).toBe(1);
  });

  it("end() gives up after its timeout and counts what was not written", async () => {
    vi.useFakeTimers();
    try {
      const stream = new SlowStream(16);
      const writer = new OutputWriter(stream, { schedule: () => {}, chunkBytes: 16 });
      writer.writeLines(numbered(0, 20));
      const ended = writer.end(5000);
      let settled = false;
      void ended.then(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(4999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await expect(ended).resolves.toBe(false);
      expect(writer.written + writer.dropped).toBe(20);
      expect(writer.dropped).toBe(20);
      expect(writer.pendingBytes).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("end() with nothing pending resolves true at once", async () => {
    const writer = new OutputWriter(new SlowStream(16), { schedule: () => {} });
    await expect(writer.end(1)).resolves.toBe(true);
  });
});

describe("OutputWriter on a real Writable", () => {
  it("delivers every line in order through drain cycles when the bound is not reached", async () => {
    const { Writable } = await import("node:stream");
    const received: string[] = [];
    const stream = new Writable({
      highWaterMark: 256,
      decodeStrings: false,
      write(chunk: string, _encoding, callback) {
        received.push(chunk);
        setImmediate(callback);
      },
    });
    const writer = new OutputWriter(stream, { chunkBytes: 512 });
    const lines = numbered(0, 5000);
    for (let i = 0; i < lines.length; i += 50) writer.writeLines(lines.slice(i, i + 50));
    await expect(writer.end(10_000)).resolves.toBe(true);
    expect(received.join("").split("\n").slice(0, -1)).toEqual(lines);
    expect(writer.dropped).toBe(0);
    expect(received.length).toBeLessThan(lines.length / 10);
  });
});

describe("OutputWriter accounting", () => {
  it("counts the lines a failed write did write, and goes on after a full disk", () => {
    const stream = new SlowStream(1 << 20);
    const errors: string[] = [];
    const writer = new OutputWriter(stream, {
      schedule: () => {},
      onError: (error) => errors.push(error.message),
    });
    writer.writeLines(numbered(0, 5));
    writer.flush();
    const full = Object.assign(new Error("write ENOSPC"), { code: "ENOSPC" });
    stream.held.splice(0)[0]?.callback?.(full, 2);
    expect([writer.written, writer.dropped]).toEqual([2, 3]);
    writer.writeLines(numbered(5, 2));
    writer.flush();
    stream.held.splice(0)[0]?.callback?.(full, 0);
    writer.writeLines(numbered(7, 3));
    writer.flush();
    stream.release();
    expect([writer.written, writer.dropped]).toEqual([5, 5]);
    // One report per outage, not one per write.
    expect(errors).toEqual(["write ENOSPC"]);
  });

  it("charges held lines their memory: tiny lines are bounded by count, not only by bytes", () => {
    const stream = new SlowStream(0);
    const writer = new OutputWriter(stream, { schedule: () => {}, maxPendingBytes: 64 * 1024 });
    writer.writeLines(["{}"]);
    writer.flush(); // in flight: the stream waits
    for (let i = 0; i < 10_000; i++) writer.writeLines(["{}"]);
    // 3 bytes of text per call, but each call holds a block of its own.
    expect(writer.pendingCharge).toBeLessThanOrEqual(64 * 1024);
    expect(writer.dropped).toBeGreaterThan(10_000 - (64 * 1024) / 64);
  });

  it("charges a block with any character beyond ASCII two bytes a character, all of it", () => {
    const writer = new OutputWriter(new SlowStream(0), { schedule: () => {} });
    writer.writeLines(["ab", "cd"]);
    const ascii = writer.pendingCharge;
    writer.writeLines(["ab", "c\u20ac"]);
    expect(writer.pendingCharge - ascii).toBe(BLOCK_OVERHEAD_BYTES + 2 * 6);
    expect(ascii).toBe(BLOCK_OVERHEAD_BYTES + 6);
  });

  it("hands the stream a line whose text is its own, not a slice of a larger one", () => {
    const stream = new SlowStream(1 << 20);
    const writer = new OutputWriter(stream, { schedule: () => {} });
    const big = `${"x".repeat(100_000)}{"kept":true}`;
    writer.writeLines([big.slice(100_000)]);
    writer.flush();
    stream.release();
    expect(stream.lines()).toEqual(['{"kept":true}']);
  });

  it("on abort, asks the stream to stop before counting what it did not write", async () => {
    vi.useFakeTimers();
    try {
      const stream = Object.assign(new SlowStream(0), { aborted: 0 });
      const abortable = Object.assign(stream, {
        abort() {
          stream.aborted++;
          stream.held.splice(0)[0]?.callback?.(new Error("aborted"), 1);
        },
      });
      const writer = new OutputWriter(abortable, { schedule: () => {} });
      writer.writeLines(numbered(0, 4));
      const ended = writer.end(100);
      await vi.advanceTimersByTimeAsync(100);
      await expect(ended).resolves.toBe(false);
      expect(stream.aborted).toBe(1);
      expect([writer.written, writer.dropped]).toEqual([1, 3]);
    } finally {
      vi.useRealTimers();
    }
  });
});
