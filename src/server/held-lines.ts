/**
 * Lines waiting to be written, bounded by the memory they take.
 *
 * The lines of one `hold` call are copied into one flat string, so a line
 * held never keeps alive the (possibly much larger) text it was cut from,
 * and what is held is charged what it costs: one byte per character of an
 * ASCII block, two otherwise, plus BLOCK_OVERHEAD_BYTES per call. (Lines are
 * admitted as if ASCII, so a block that is not can pass the bound by the size
 * of one call's lines.) Blocks gather into chunks of about `chunkBytes`.
 */

/** Bytes charged for each block of lines held, on top of its text: the string's header and slot. */
export const BLOCK_OVERHEAD_BYTES = 64;

/** Lines gathered for one write. */
export interface Chunk {
  readonly parts: string[];
  /** UTF-8 bytes of the text. */
  bytes: number;
  /** Memory charged for it. */
  charged: number;
  lines: number;
  /** Told once the chunk is written (true) or let go of (false). */
  done?: ((written: boolean) => void)[] | undefined;
}

/** Tells a chunk's waiters how it ended. */
export function settleChunk(chunk: Chunk, written: boolean): void {
  const done = chunk.done;
  if (done === undefined) return;
  chunk.done = undefined;
  for (const callback of done) callback(written);
}

function emptyChunk(): Chunk {
  return { parts: [], bytes: 0, charged: 0, lines: 0 };
}

/**
 * Memory a block of `chars` characters takes as a flat JavaScript string:
 * one byte a character when all of it is ASCII, two otherwise (V8 keeps only
 * Latin-1 text one byte a character, and one wider character makes the
 * whole string two), plus its header.
 */
function charge(chars: number, ascii: boolean): number {
  return BLOCK_OVERHEAD_BYTES + (ascii ? chars : 2 * chars);
}

export class HeldLines {
  readonly #maxCharge: number;
  readonly #chunkBytes: number;
  /** Sealed chunks, oldest first. */
  readonly #queue: Chunk[] = [];
  #current: Chunk = emptyChunk();
  #bytes = 0;
  #charge = 0;

  constructor(maxCharge: number, chunkBytes: number) {
    this.#maxCharge = maxCharge;
    this.#chunkBytes = chunkBytes;
  }

  /** UTF-8 bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Memory charged for what is held: what `maxCharge` bounds. */
  get charge(): number {
    return this.#charge;
  }

  /** True while lines are gathering in a chunk not sealed yet. */
  get gathering(): boolean {
    return this.#current.lines > 0;
  }

  /** True when nothing is held. */
  get empty(): boolean {
    return this.#queue.length === 0 && this.#current.lines === 0;
  }

  /**
   * Holds `lines` (each formatted), in order, as one block; answers how many
   * did not fit the bound and were left out. One line is always taken when
   * nothing else is held, however large.
   */
  hold(lines: readonly string[], format: ((line: string) => string) | undefined): number {
    if (format === undefined && this.#holdAll(lines)) return 0;
    const kept: string[] = [];
    let chars = 0;
    let left = 0;
    for (const line of lines) {
      const text = format === undefined ? line : format(line);
      // Checked as ASCII; a block that is not is charged double once joined.
      const after = charge(chars + text.length + 1, true);
      const held = this.#current.lines + this.#queue.length + kept.length;
      if (this.#charge + after > this.#maxCharge && held > 0) {
        left++;
        continue;
      }
      kept.push(text);
      chars += text.length + 1;
    }
    if (kept.length === 0) return left;
    // Joined with an empty last element: always a new flat string, even for one line.
    kept.push("");
    const block = kept.join("\n");
    const bytes = Buffer.byteLength(block);
    this.#append(block, kept.length - 1, bytes, charge(chars, bytes === chars));
    return left;
  }

  /** The usual case, all the lines fit: one join, no look at each line. False when they do not. */
  #holdAll(lines: readonly string[]): boolean {
    const block = [...lines, ""].join("\n");
    const bytes = Buffer.byteLength(block);
    const charged = charge(block.length, bytes === block.length);
    if (this.#charge + charged > this.#maxCharge) return false;
    this.#append(block, lines.length, bytes, charged);
    return true;
  }

  #append(block: string, lines: number, bytes: number, charged: number): void {
    const current = this.#current;
    current.parts.push(block);
    current.bytes += bytes;
    current.charged += charged;
    current.lines += lines;
    this.#bytes += bytes;
    this.#charge += charged;
    if (current.bytes >= this.#chunkBytes) this.seal();
  }

  /** `callback` runs when the chunk holding the last line held so far is written or let go of. */
  whenWritten(callback: (written: boolean) => void): void {
    const chunk = this.#current.lines > 0 ? this.#current : this.#queue.at(-1);
    if (chunk === undefined) callback(false);
    else if (chunk.done === undefined) chunk.done = [callback];
    else chunk.done.push(callback);
  }

  /** True when a sealed chunk is waiting to be taken. */
  get ready(): boolean {
    return this.#queue.length > 0;
  }

  /** Ends the chunk gathering now, so it can be taken. */
  seal(): void {
    if (this.#current.lines === 0) return;
    this.#queue.push(this.#current);
    this.#current = emptyChunk();
  }

  /** The oldest sealed chunk, no longer held. */
  take(): Chunk | undefined {
    const chunk = this.#queue.shift();
    if (chunk !== undefined) {
      this.#bytes -= chunk.bytes;
      this.#charge -= chunk.charged;
    }
    return chunk;
  }

  /** Lets go of everything held; answers how many lines that was. */
  clear(): number {
    this.seal();
    let lines = 0;
    for (const chunk of this.#queue) lines += chunk.lines;
    const chunks = this.#queue.splice(0);
    this.#bytes = 0;
    this.#charge = 0;
    for (const chunk of chunks) settleChunk(chunk, false);
    return lines;
  }
}
