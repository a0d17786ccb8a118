/** How the reassembler holds a message's fragments, and what it charges for them. */

/**
 * Bytes charged for each message held, on top of its fragments: its key, its
 * record, its entry in the message map and its own fragment map (an upper
 * estimate; docs/security.md says how it was measured). A message
 * remembered as too large is charged the same, though it keeps less.
 */
export const MESSAGE_BOOKKEEPING_BYTES = 512;
/**
 * Bytes charged for each fragment held, on top of its payload: its copy
 * (see HeldMessage), whether a string or a Uint8Array with its backing
 * store, and its entry in the fragment map (an upper estimate).
 */
export const FRAGMENT_BOOKKEEPING_BYTES = 512;
/** Fragments shorter than this are held as strings, longer ones as Uint8Arrays. */
export const SMALL_FRAGMENT_BYTES = 512;

export interface HeldMessage {
  readonly flags: number;
  readonly count: number;
  readonly startedAt: number;
  /**
   * Fragment payloads by index, each a copy. A small one is a latin1 string:
   * one heap object and the payload, where a Uint8Array would add a backing
   * store outside the heap whose freeing waits for the heap's collection. A
   * large one is a Uint8Array: payloads outside the heap are collected once
   * enough of them accumulate, while garbage strings on the heap wait for
   * the heap to grow. Undefined once the message was rejected as too large.
   */
  fragments: Map<number, Uint8Array | string> | undefined;
  payloadBytes: number;
  chargedBytes: number;
}

/** A copy of a fragment's payload, in the form HeldMessage says. */
export function copyOf(bytes: Uint8Array): Uint8Array | string {
  if (bytes.length >= SMALL_FRAGMENT_BYTES) return new Uint8Array(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("latin1");
}
