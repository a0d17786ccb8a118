/**
 * One batch being gathered: whole messages, in order, with the count and
 * UTF-8 bytes of their entries, sealed into an OutputBatch.
 */
import type { OutputBatch, OutputMessage } from "./types.js";

/** Memory charged for each entry held, on top of its bytes: a string's header and its slot. */
export const ENTRY_OVERHEAD_BYTES = 48;

/** UTF-8 bytes of a message's entries. */
export function messageBytes(message: OutputMessage): number {
  let bytes = 0;
  for (const entry of message.entries) bytes += Buffer.byteLength(entry);
  return bytes;
}

/** The memory a batch is charged while it is held. */
export function batchCharge(batch: OutputBatch): number {
  return batch.bytes + batch.entries * ENTRY_OVERHEAD_BYTES;
}

export class BatchBuilder {
  #messages: OutputMessage[] = [];
  #entries = 0;
  #bytes = 0;

  get entries(): number {
    return this.#entries;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get empty(): boolean {
    return this.#messages.length === 0;
  }

  add(message: OutputMessage, bytes: number): void {
    this.#messages.push(message);
    this.#entries += message.entries.length;
    this.#bytes += bytes;
  }

  /** The batch gathered so far; the builder starts a new one. Undefined when empty. */
  seal(): OutputBatch | undefined {
    if (this.#messages.length === 0) return undefined;
    const batch: OutputBatch = Object.freeze({
      messages: this.#messages,
      entries: this.#entries,
      bytes: this.#bytes,
    });
    this.#messages = [];
    this.#entries = 0;
    this.#bytes = 0;
    return batch;
  }
}
