/**
 * The chunks of a LineReader with multiline joining: the same pull contract
 * as LineReader.chunks() (take a chunk's entries with next() until it gives
 * undefined, then ask for the next chunk), but each "line" handed out is a
 * joined entry. The pending entry is handed out when the next entry starts,
 * when its source ends (a new source starts, or the input ends), and when no
 * input came for the joiner's timeout while the consumer waited for the next
 * chunk: a consumer paused by backpressure holds no timer, so a slow
 * consumer never splits an entry. When the consumer stops early, the pending
 * entry goes to `leftover`, so nothing read is lost.
 */
import type { Timers } from "../../../foundation/time.js";
import type { ChunkLines } from "./lines.js";
import { MultilineJoiner, type MultilineRule } from "./multiline.js";

export interface JoinedChunksOptions {
  readonly rule: MultilineRule;
  readonly maxBytes: number;
  readonly maxLines: number;
  readonly timeoutMs: number;
  readonly timers: Timers;
  /** An entry was ended early by a bound. */
  readonly onSplit?: () => void;
  /** Takes the pending entry when the consumer stops before the input ends. */
  readonly leftover: (entry: string, bytes: number) => void;
}

/** The entries of one source chunk, or one entry flushed on its own. */
class JoinedLines implements ChunkLines {
  /** The source chunk whose lines are being joined; undefined once they are used up. */
  source: ChunkLines | undefined;
  /** An entry to hand out before the source's lines. */
  first: string | undefined;
  firstBytes = 0;
  bytes = 0;

  constructor(private readonly joiner: MultilineJoiner) {}

  /** Both the flushed entry and the source's lines are used up. */
  get used(): boolean {
    return this.first === undefined && this.source === undefined;
  }

  next(): string | undefined {
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      this.bytes = this.firstBytes;
      return first;
    }
    const source = this.source;
    if (source === undefined) return undefined;
    for (let line = source.next(); line !== undefined; line = source.next()) {
      const entry = this.joiner.push(line, source.bytes);
      if (entry !== undefined) {
        this.bytes = this.joiner.bytes;
        return entry;
      }
    }
    this.source = undefined;
    return undefined;
  }

  /** Sets the joiner's pending entry to be handed out first; false when none. */
  takeFlushed(): boolean {
    const entry = this.joiner.flush();
    if (entry === undefined) return false;
    this.first = entry;
    this.firstBytes = this.joiner.bytes;
    return true;
  }
}

const DUE = Symbol("due");

/** `chunks` with continuation lines joined; see the module comment. */
export async function* joinedChunks(
  chunks: AsyncIterable<ChunkLines>,
  options: JoinedChunksOptions,
): AsyncGenerator<ChunkLines, void, undefined> {
  let due: (() => void) | undefined;
  const joiner = new MultilineJoiner({ ...options, onDue: () => due?.() });
  const lines = new JoinedLines(joiner);
  const iterator = chunks[Symbol.asyncIterator]();
  let ahead: Promise<IteratorResult<ChunkLines>> | undefined;
  let current: ChunkLines | undefined;
  let ended = false;
  try {
    for (;;) {
      ahead ??= iterator.next();
      joiner.idle();
      const result = await Promise.race([
        ahead,
        new Promise<typeof DUE>((resolve) => {
          due = () => resolve(DUE);
        }),
      ]);
      due = undefined;
      if (result !== DUE) ahead = undefined;
      if (result === DUE || result.done || result.value !== current) lines.takeFlushed();
      if (result !== DUE && !result.done) {
        current = result.value;
        lines.source = current;
      }
      while (!lines.used) yield lines;
      if (result !== DUE && result.done) break;
    }
    ended = true;
  } finally {
    joiner.close();
    if (!ended) {
      if (lines.first !== undefined) options.leftover(lines.first, lines.firstBytes);
      const rest = joiner.flush();
      if (rest !== undefined) options.leftover(rest, joiner.bytes);
      await iterator.return?.();
    }
  }
}
