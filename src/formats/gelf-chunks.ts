import type { Clock } from "../foundation/time.js";
import { type FragmentResult, Reassembler } from "../wire/receive/reassembler.js";
import type { Result } from "../wire/types.js";

/** Magic (2), message id (8), sequence number (1), sequence count (1). */
const GELF_CHUNK_HEADER_BYTES = 12;
/** GELF allows at most 128 chunks per message. */
export const GELF_MAX_CHUNKS = 128;
/** All chunks of a message must arrive within 5 s of the first. */
const GELF_CHUNK_TIMEOUT_MS = 5_000;
/**
 * Chunks held at once across all GELF messages, charged like our fragments
 * (payload and bookkeeping), apart from them (default): room for a message
 * of the 4 MiB maximum, or for seven of 128 chunks of 8 KB, the most GELF
 * libraries send. Half the fragment cap: GELF senders rarely chunk.
 */
export const GELF_MAX_HELD_BYTES = 8 * 1024 * 1024;
/** Completed message ids remembered for the timeout, so a late copy of a chunk is a duplicate. */
const GELF_COMPLETED_IDS = 4096;

/** One GELF chunk's header and payload (a view into the datagram). */
export interface GelfChunk {
  /** The 8-byte message id as 16 hex digits. */
  readonly id: string;
  readonly index: number;
  readonly count: number;
  readonly payload: Uint8Array;
}

/**
 * Reads a GELF chunk (`1E 0F`, id, seq, count, payload). Shorter than its
 * 12-byte header, a count of 0 or above 128, or a seq not below the count is
 * `bad-fragment`. The magic is not checked here: the caller detected it.
 */
export function parseGelfChunk(datagram: Uint8Array): Result<GelfChunk, "bad-fragment"> {
  if (datagram.length < GELF_CHUNK_HEADER_BYTES) return { ok: false, reason: "bad-fragment" };
  const index = datagram[10] as number;
  const count = datagram[11] as number;
  if (count < 1 || count > GELF_MAX_CHUNKS || index >= count) {
    return { ok: false, reason: "bad-fragment" };
  }
  const id = Buffer.from(datagram.buffer, datagram.byteOffset + 2, 8).toString("hex");
  return { ok: true, value: { id, index, count, payload: datagram.subarray(12) } };
}

export interface GelfChunksOptions {
  /** Monotonic milliseconds. */
  now: Clock;
  /** Incomplete messages are lost this long after their first chunk (default 5 s). */
  timeoutMs?: number;
  /**
   * Bytes charged across all messages, as a Reassembler charges them; past it
   * the oldest partial message is lost (default 8 MiB).
   */
  maxHeldBytes?: number;
  /** Largest reassembled message, still compressed; past it `too-large` (default 4 MiB). */
  maxMessageBytes?: number;
}

const BAD_FRAGMENT: FragmentResult = { status: "rejected", reason: "bad-fragment" };
const DUPLICATE: FragmentResult = { status: "duplicate" };

/**
 * Puts chunked GELF messages back together with a Reassembler of their own,
 * keyed by message id, under the same rules as our fragments: any order, a
 * chunk already held is a duplicate, a chunk whose count disagrees is
 * `bad-fragment`, memory bounded by maxHeldBytes, messages past
 * maxMessageBytes `too-large`, incomplete ones lost after the timeout. A
 * message of one chunk is complete at once. A chunk of a message completed
 * less than the timeout ago is a duplicate (the last 4,096 ids are kept).
 */
export class GelfChunks {
  readonly #now: Clock;
  readonly #timeoutMs: number;
  readonly #reassembler: Reassembler;
  /** Completed ids -> completion time, oldest first. */
  readonly #completed = new Map<string, number>();

  constructor(options: GelfChunksOptions) {
    this.#now = options.now;
    this.#timeoutMs = options.timeoutMs ?? GELF_CHUNK_TIMEOUT_MS;
    this.#reassembler = new Reassembler({
      now: options.now,
      timeoutMs: this.#timeoutMs,
      maxHeldBytes: options.maxHeldBytes ?? GELF_MAX_HELD_BYTES,
      ...(options.maxMessageBytes !== undefined
        ? { maxMessageBytes: options.maxMessageBytes }
        : {}),
    });
  }

  /** Messages dropped incomplete: timed out, or pushed out by maxHeldBytes. */
  get lost(): number {
    return this.#reassembler.lost;
  }
  get partials(): number {
    return this.#reassembler.partials;
  }
  get heldBytes(): number {
    return this.#reassembler.heldBytes;
  }

  add(datagram: Uint8Array): FragmentResult {
    const parsed = parseGelfChunk(datagram);
    if (!parsed.ok) return BAD_FRAGMENT;
    const chunk = parsed.value;
    if (chunk.count === 1) return { status: "complete", payload: chunk.payload };
    if (this.#completed.has(chunk.id)) return DUPLICATE;
    const result = this.#reassembler.add(chunk.id, 0, chunk.index, chunk.count, chunk.payload);
    if (result.status === "complete") this.#remember(chunk.id);
    return result;
  }

  /** Counts messages past the timeout as lost; forgets old completed ids. */
  sweep(): void {
    this.#reassembler.sweep();
    const now = this.#now();
    for (const [id, at] of this.#completed) {
      if (now - at < this.#timeoutMs) break;
      this.#completed.delete(id);
    }
  }

  #remember(id: string): void {
    if (this.#completed.size >= GELF_COMPLETED_IDS) {
      const oldest = this.#completed.keys().next().value;
      if (oldest !== undefined) this.#completed.delete(oldest);
    }
    this.#completed.set(id, this.#now());
  }
}
