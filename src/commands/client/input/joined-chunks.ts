/**
 * The chunks of a line input with multiline joining: the same pull contract
 * as LineReader.chunks() (take a chunk's entries with next() until it gives
 * undefined, then ask for the next chunk), but each "line" handed out is a
 * joined entry, with the source and end offset of its last line (what a
 * followed file commits).
 *
 * Each source has its own joiner, so the lines of files followed at once
 * never mix. A pending entry is handed out when the next entry of its
 * source starts, when its source ends (the input ends; with sequential
 * sources, the next source starts), and when no input came for the
 * joiner's timeout while the consumer waited for the next chunk: a consumer
 * paused by backpressure holds no timer, so a slow consumer never splits an
 * entry. When the consumer stops early, every pending entry goes to
 * `leftover`, so nothing read is lost.
 */
import type { Timers } from "../../../foundation/time.js";
import type { ChunkLines, LineSource } from "./lines.js";
import { MultilineJoiner, type MultilineRule } from "./multiline.js";

export interface JoinedChunksOptions {
  readonly rule: MultilineRule;
  readonly maxBytes: number;
  readonly maxLines: number;
  readonly timeoutMs: number;
  readonly timers: Timers;
  /**
   * Sources come one after another (a LineReader): a chunk of a new source
   * ends the previous one. Otherwise (followed files) they interleave.
   */
  readonly sequential: boolean;
  /** An entry was ended early by a bound. */
  readonly onSplit?: () => void;
  /** Takes a pending entry when the consumer stops before the input ends. */
  readonly leftover: (entry: Joined) => void;
}

/** One joined entry, and where its last line ends. */
export interface Joined {
  readonly text: string;
  readonly bytes: number;
  readonly source: LineSource | undefined;
  readonly endOffset: number | undefined;
}

/** One source's joiner, and the end offset of the last line it holds. */
interface Slot {
  /** Its key among the slots: the source, or the chunk object without one. */
  readonly key: unknown;
  readonly joiner: MultilineJoiner;
  readonly source: LineSource | undefined;
  pendingEnd: number | undefined;
}

/** The entries of one input chunk, after any entries flushed on their own. */
class JoinedLines implements ChunkLines {
  /** The input chunk whose lines are being joined; undefined once they are used up. */
  input: ChunkLines | undefined;
  slot: Slot | undefined;
  /** Entries to hand out before the input's lines. */
  readonly flushed: Joined[] = [];
  bytes = 0;
  source: LineSource | undefined;
  endOffset: number | undefined;

  get used(): boolean {
    return this.flushed.length === 0 && this.input === undefined;
  }

  next(): string | undefined {
    const first = this.flushed.shift();
    if (first !== undefined) return this.#handOut(first);
    const { input, slot } = this;
    if (input === undefined || slot === undefined) return undefined;
    for (let line = input.next(); line !== undefined; line = input.next()) {
      const endBefore = slot.pendingEnd;
      slot.pendingEnd = input.endOffset;
      const text = slot.joiner.push(line, input.bytes);
      if (text !== undefined) {
        const bytes = slot.joiner.bytes;
        return this.#handOut({ text, bytes, source: slot.source, endOffset: endBefore });
      }
    }
    this.input = undefined;
    return undefined;
  }

  #handOut(entry: Joined): string {
    this.bytes = entry.bytes;
    this.source = entry.source;
    this.endOffset = entry.endOffset;
    return entry.text;
  }
}

/** The pending entry of `slot`, taken out of its joiner; undefined when none. */
function take(slot: Slot): Joined | undefined {
  const text = slot.joiner.flush();
  if (text === undefined) return undefined;
  return { text, bytes: slot.joiner.bytes, source: slot.source, endOffset: slot.pendingEnd };
}

/** The joiners of every source seen, keyed by source (or by chunk object without one). */
class Slots {
  readonly #slots = new Map<unknown, Slot>();
  /** Slots whose timeout passed while the consumer waited. */
  readonly due = new Set<Slot>();
  wake: (() => void) | undefined;

  constructor(private readonly options: JoinedChunksOptions) {}

  of(chunk: ChunkLines): Slot {
    const key = chunk.source ?? chunk;
    let slot = this.#slots.get(key);
    if (slot === undefined) {
      const joiner: MultilineJoiner = new MultilineJoiner({
        ...this.options,
        onDue: () => {
          this.due.add(created);
          this.wake?.();
        },
      });
      const created: Slot = { key, joiner, source: chunk.source, pendingEnd: undefined };
      slot = created;
      this.#slots.set(key, slot);
    }
    return slot;
  }

  /** Arms the timeout of every pending entry (the consumer waits for input); forgets the others. */
  idle(): void {
    for (const [key, slot] of this.#slots) {
      if (slot.joiner.pending) slot.joiner.idle();
      else this.#slots.delete(key);
    }
  }

  /** Takes the pending entries of the slots that are due, or of every slot but `keep`. */
  drain(which: "due" | "all", keep?: Slot): Joined[] {
    const slots = which === "due" ? [...this.due] : [...this.#slots.values()];
    this.due.clear();
    const taken: Joined[] = [];
    for (const slot of slots) {
      if (slot === keep) continue;
      const entry = take(slot);
      if (entry !== undefined) taken.push(entry);
      if (this.#slots.get(slot.key) === slot) this.#slots.delete(slot.key);
    }
    return taken;
  }

  close(): void {
    for (const slot of this.#slots.values()) slot.joiner.close();
  }
}

const DUE = Symbol("due");

/** `chunks` with continuation lines joined; see the module comment. */
export async function* joinedChunks(
  chunks: AsyncIterable<ChunkLines>,
  options: JoinedChunksOptions,
): AsyncGenerator<ChunkLines, void, undefined> {
  const slots = new Slots(options);
  const lines = new JoinedLines();
  const iterator = chunks[Symbol.asyncIterator]();
  let ahead: Promise<IteratorResult<ChunkLines>> | undefined;
  let ended = false;
  try {
    for (;;) {
      ahead ??= iterator.next();
      slots.idle();
      const result = await Promise.race([
        ahead,
        new Promise<typeof DUE>((resolve) => {
          slots.wake = () => resolve(DUE);
          if (slots.due.size > 0) resolve(DUE);
        }),
      ]);
      slots.wake = undefined;
      if (result === DUE) lines.flushed.push(...slots.drain("due"));
      else {
        ahead = undefined;
        if (result.done) lines.flushed.push(...slots.drain("all"));
        else {
          const slot = slots.of(result.value);
          if (options.sequential) lines.flushed.push(...slots.drain("all", slot));
          lines.input = result.value;
          lines.slot = slot;
        }
      }
      while (!lines.used) yield lines;
      if (result !== DUE && result.done) break;
    }
    ended = true;
  } finally {
    slots.close();
    if (!ended) {
      for (const entry of [...lines.flushed, ...slots.drain("all")]) options.leftover(entry);
      await iterator.return?.();
    }
  }
}
