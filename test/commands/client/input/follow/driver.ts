/**
 * Drives a Follower on real files with a FakeTime: pulls its chunks, logs
 * every line it hands out (as run.ts does), and moves time by one interval
 * whenever the follower waits.
 */
import { setTimeout as delay } from "node:timers/promises";
import {
  Follower,
  type FollowerOptions,
} from "../../../../../src/commands/client/input/follow/follower.js";
import type { ChunkLines } from "../../../../../src/commands/client/input/lines.js";
import { FakeTime } from "../../../../support/fake-time.js";

export const INTERVAL_MS = 250;

export interface Got {
  readonly text: string;
  readonly path: string | undefined;
  readonly end: number | undefined;
}

export class Driver {
  readonly got: Got[] = [];
  readonly notices: string[] = [];
  readonly time = new FakeTime();
  readonly follower: Follower;
  private readonly iterator: AsyncIterator<ChunkLines>;
  private pending: Promise<IteratorResult<ChunkLines>> | undefined;

  constructor(options: Partial<FollowerOptions> & { patterns: readonly string[] }) {
    this.follower = new Follower({
      maxLineBytes: 1024,
      intervalMs: INTERVAL_MS,
      maxOpenFiles: 16,
      readFrom: "head",
      records: [],
      time: this.time,
      onNotice: (message) => this.notices.push(message),
      ...options,
    });
    this.iterator = this.follower.chunks()[Symbol.asyncIterator]();
  }

  get texts(): string[] {
    return this.got.map((line) => line.text);
  }

  /** Pulls lines until `done()` holds; throws after `steps` intervals without it. */
  async until(done: () => boolean, steps = 200): Promise<void> {
    for (let step = 0; step < steps; ) {
      if (done()) return;
      const result = await this.step();
      if (result === "ended") return;
      if (result === "waited") step++;
    }
    throw new Error(`not reached; got ${JSON.stringify(this.texts)}`);
  }

  /** Takes the next chunk, or moves time by one interval when none comes. */
  private async step(): Promise<"lines" | "waited" | "ended"> {
    this.pending ??= this.iterator.next();
    const result = await Promise.race([this.pending, delay(3).then(() => undefined)]);
    if (result === undefined) {
      await this.time.advance(INTERVAL_MS);
      return "waited";
    }
    this.pending = undefined;
    if (result.done) return "ended";
    this.take(result.value);
    return "lines";
  }

  /** Pulls until `count` lines arrived in all. */
  lines(count: number): Promise<void> {
    return this.until(() => this.got.length >= count);
  }

  /** Lets `intervals` looks happen. */
  async idle(intervals: number): Promise<void> {
    for (let left = intervals; left > 0; ) {
      const result = await this.step();
      if (result === "ended") return;
      if (result === "waited") left--;
    }
  }

  async stop(): Promise<void> {
    this.follower.close();
    if (this.pending) await this.pending;
    await this.follower.dispose();
  }

  private take(lines: ChunkLines): void {
    for (let line = lines.next(); line !== undefined; line = lines.next()) {
      this.got.push({ text: line, path: lines.source?.path, end: lines.endOffset });
      lines.source?.logged(lines.endOffset ?? 0);
    }
  }
}
