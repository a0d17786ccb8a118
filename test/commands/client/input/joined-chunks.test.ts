import { describe, expect, it } from "vitest";
import {
  type JoinedChunksOptions,
  joinedChunks,
} from "../../../../src/commands/client/input/joined-chunks.js";
import type { ChunkLines, LineSource } from "../../../../src/commands/client/input/lines.js";
import { startRule } from "../../../../src/commands/client/input/multiline-rules.js";
import { FakeTime, settle } from "../../../support/fake-time.js";

/** One source's lines, chunk by chunk, as LineReader hands them out (one object per source). */
class SourceLines implements ChunkLines {
  bytes = 0;
  private lines: string[] = [];

  load(lines: readonly string[]): this {
    this.lines = [...lines];
    return this;
  }

  next(): string | undefined {
    const line = this.lines.shift();
    if (line !== undefined) this.bytes = Buffer.byteLength(line);
    return line;
  }
}

/** Chunks fed by the test: each `feed` is one chunk of a source, loaded when it is read; `end` ends the input. */
class Feed implements AsyncIterable<ChunkLines> {
  private queue: ({ source: SourceLines; lines: readonly string[] } | undefined)[] = [];
  private wake: (() => void) | undefined;
  returned = false;

  feed(source: SourceLines, lines: readonly string[]): void {
    this.queue.push({ source, lines });
    this.wake?.();
  }

  end(): void {
    this.queue.push(undefined);
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ChunkLines> {
    try {
      for (;;) {
        while (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
        const next = this.queue.shift();
        if (next === undefined) return;
        yield next.source.load(next.lines);
      }
    } finally {
      this.returned = true;
    }
  }
}

const RULE = startRule(/^S/);

function start(feed: Feed, time: FakeTime, extra: Partial<JoinedChunksOptions> = {}) {
  const leftover: string[] = [];
  const chunks = joinedChunks(feed, {
    rule: RULE,
    maxBytes: 1024,
    maxLines: 100,
    timeoutMs: 1000,
    timers: time,
    sequential: true,
    leftover: (entry) => {
      expect(entry.bytes).toBe(Buffer.byteLength(entry.text));
      leftover.push(entry.text);
    },
    ...extra,
  });
  return { chunks, leftover };
}

/** Takes every entry of the next chunk; undefined once the chunks end. */
async function take(chunks: AsyncGenerator<ChunkLines>): Promise<string[] | undefined> {
  const result = await chunks.next();
  if (result.done) return undefined;
  const entries: string[] = [];
  for (let entry = result.value.next(); entry !== undefined; entry = result.value.next()) {
    expect(result.value.bytes).toBe(Buffer.byteLength(entry));
    entries.push(entry);
  }
  return entries;
}

describe("joinedChunks", () => {
  it("joins across chunks of a source and hands out the last entry at the end", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new SourceLines();
    const { chunks } = start(feed, time);
    feed.feed(a, ["S1", "x", "S2", "y"]);
    feed.feed(a, ["z", "S3"]);
    feed.end();
    const all: string[] = [];
    for (let entries = await take(chunks); entries; entries = await take(chunks))
      all.push(...entries);
    expect(all).toEqual(["S1\nx", "S2\ny\nz", "S3"]);
    expect(time.pending).toBe(0);
  });

  it("each source has its own entry: the pending one is handed out when the next source starts", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const { chunks } = start(feed, time);
    feed.feed(new SourceLines(), ["S1", "a-end"]);
    feed.feed(new SourceLines(), ["b-start", "S2"]);
    feed.end();
    const all: string[] = [];
    for (let entries = await take(chunks); entries; entries = await take(chunks))
      all.push(...entries);
    expect(all).toEqual(["S1\na-end", "b-start", "S2"]);
  });

  it("hands out the pending entry when no input came for the timeout", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new SourceLines();
    const { chunks } = start(feed, time);
    feed.feed(a, ["S1", "x"]);
    expect(await take(chunks)).toEqual([]);
    const waiting = take(chunks);
    await time.advance(999);
    let got: string[] | undefined;
    void waiting.then((entries) => (got = entries));
    await settle();
    expect(got).toBeUndefined();
    await time.advance(1);
    expect(await waiting).toEqual(["S1\nx"]);
    feed.feed(a, ["late", "S2"]);
    feed.end();
    expect(await take(chunks)).toEqual(["late"]);
    expect(await take(chunks)).toEqual(["S2"]);
    expect(await take(chunks)).toBeUndefined();
  });

  it("a consumer paused mid-chunk holds no timer: a slow consumer never splits an entry", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new SourceLines();
    const { chunks } = start(feed, time);
    feed.feed(a, ["S1", "x", "S2", "y"]);
    feed.feed(a, ["z"]);
    feed.end();
    const first = await chunks.next();
    expect(first.done).toBe(false);
    if (first.done) return;
    expect(first.value.next()).toBe("S1\nx");
    await time.advance(10_000); // paused by backpressure, S2 pending
    expect(time.pending).toBe(0);
    expect(first.value.next()).toBeUndefined();
    expect(await take(chunks)).toEqual([]);
    expect(await take(chunks)).toEqual(["S2\ny\nz"]);
  });

  it("a consumer that stops early gets the pending entry through leftover", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new SourceLines();
    const { chunks, leftover } = start(feed, time);
    feed.feed(a, ["S1", "x", "S2", "y", "S3"]);
    const first = await chunks.next();
    if (first.done) throw new Error("no chunk");
    expect(first.value.next()).toBe("S1\nx");
    await chunks.return(undefined);
    expect(leftover).toEqual(["S2"]);
    expect(feed.returned).toBe(true);
    expect(time.pending).toBe(0);
  });

  it("asked for the next chunk early, it hands out the same entries again", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new SourceLines();
    const { chunks } = start(feed, time);
    feed.feed(a, ["S1", "S2", "S3"]);
    feed.end();
    const first = await chunks.next();
    if (first.done) throw new Error("no chunk");
    expect(first.value.next()).toBe("S1");
    const again = await chunks.next();
    if (again.done) throw new Error("no chunk");
    expect(again.value).toBe(first.value);
    expect(again.value.next()).toBe("S2");
    expect(again.value.next()).toBeUndefined();
    expect(await take(chunks)).toEqual(["S3"]);
    expect(await take(chunks)).toBeUndefined();
  });

  it("followed files interleave: each keeps its own entry, handed out with its last line's offset", async () => {
    const time = new FakeTime();
    const feed = new Feed();
    const a = new FollowedLines("a");
    const b = new FollowedLines("b");
    const { chunks } = start(feed, time, { sequential: false });
    feed.feed(a, ["S-a1", "a-cont"]);
    feed.feed(b, ["S-b1"]);
    feed.feed(a, ["a-cont2", "S-a2"]);
    feed.end();
    const got: [string, string | undefined, number | undefined][] = [];
    for (let result = await chunks.next(); !result.done; result = await chunks.next()) {
      const lines = result.value;
      for (let entry = lines.next(); entry !== undefined; entry = lines.next()) {
        got.push([entry, (lines.source as Named | undefined)?.name, lines.endOffset]);
      }
    }
    // Offsets: each line and its LF, counted per file; files keep their own order.
    expect(got.filter(([, name]) => name === "a")).toEqual([
      ["S-a1\na-cont\na-cont2", "a", 20],
      ["S-a2", "a", 25],
    ]);
    expect(got.filter(([, name]) => name === "b")).toEqual([["S-b1", "b", 5]]);
  });
});

interface Named extends LineSource {
  readonly name: string;
}

/** A followed file's lines: each knows its source and the offset just past it. */
class FollowedLines extends SourceLines {
  readonly source: Named;
  endOffset = 0;

  constructor(name: string) {
    super();
    this.source = { name, path: `/logs/${name}.log`, logged: () => undefined };
  }

  override next(): string | undefined {
    const line = super.next();
    if (line !== undefined) this.endOffset += Buffer.byteLength(line) + 1;
    return line;
  }
}
