/**
 * The datagrams gathered for one worker until they are handed over. A
 * received datagram's Buffer owns its own small ArrayBuffer; transferring
 * dozens of them costs more than copying them into one buffer, so a batch
 * is copied into one ArrayBuffer that is transferred. What the main thread
 * keeps of each datagram (its source, for counting and acknowledging) stays
 * here, in the same order as the answers will come.
 */
import type { Endpoint } from "../receiver.js";

/** Datagrams a batch holds before it is handed over without waiting. */
export const MAX_BATCH_DATAGRAMS = 256;
/** Bytes a batch holds before it is handed over without waiting. */
export const MAX_BATCH_BYTES = 256 * 1024;
/**
 * The longest a datagram waits for its batch to fill. Each hand-over costs
 * the main thread a fixed price (a postMessage and a wake-up of the worker),
 * so fuller batches leave it more time to receive.
 */
export const MAX_BATCH_WAIT_MS = 5;

/** What the main thread keeps of one datagram handed to a worker. */
export interface HandedDatagram {
  readonly from: Endpoint;
  /** The canonical source address (SourcePolicy). */
  readonly source: string;
  readonly bytes: number;
}

export class DatagramBatch {
  #datagrams: Uint8Array[] = [];
  #kept: HandedDatagram[] = [];
  #bytes = 0;

  get size(): number {
    return this.#datagrams.length;
  }

  /** True once it holds MAX_BATCH_DATAGRAMS or MAX_BATCH_BYTES. */
  get full(): boolean {
    return this.#datagrams.length >= MAX_BATCH_DATAGRAMS || this.#bytes >= MAX_BATCH_BYTES;
  }

  add(datagram: Uint8Array, kept: HandedDatagram): void {
    this.#datagrams.push(datagram);
    this.#kept.push(kept);
    this.#bytes += datagram.length;
  }

  /** The batch as one buffer and its lengths, and what was kept; the batch starts anew. */
  seal(): { data: ArrayBuffer; lengths: Uint32Array; kept: HandedDatagram[] } {
    const data = new ArrayBuffer(this.#bytes);
    const bytes = new Uint8Array(data);
    const lengths = new Uint32Array(this.#datagrams.length);
    let offset = 0;
    for (let i = 0; i < this.#datagrams.length; i++) {
      const datagram = this.#datagrams[i] as Uint8Array;
      bytes.set(datagram, offset);
      lengths[i] = datagram.length;
      offset += datagram.length;
    }
    const kept = this.#kept;
    this.#datagrams = [];
    this.#kept = [];
    this.#bytes = 0;
    return { data, lengths, kept };
  }
}

/** The datagrams of a sealed batch, as views over its buffer. */
export function splitBatch(data: ArrayBuffer, lengths: Uint32Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  for (const length of lengths) {
    out.push(new Uint8Array(data, offset, length));
    offset += length;
  }
  return out;
}
