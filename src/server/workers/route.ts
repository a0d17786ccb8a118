/**
 * Which worker a datagram goes to. Everything that must be seen by one
 * decoder to be counted right goes by a key read from its first bytes: a
 * sequenced framed datagram by its stream (loss, duplicates, reordering,
 * fragments and acknowledgements are per stream), a GELF chunk by its
 * message id (the chunks of one message are reassembled together).
 * Anything else has no key and is spread evenly.
 */
import { Flag } from "../../wire/constants.js";

/** Bytes of the stream id, right after the magic and flags. */
const STREAM_OFFSET = 3;
const ID_BYTES = 8;
/** The GELF message id follows the 2-byte chunk magic. */
const GELF_ID_OFFSET = 2;

/** A 32-bit FNV-1a hash of 8 bytes from `offset`. */
function hash8(datagram: Uint8Array, offset: number): number {
  let h = 0x811c9dc5;
  for (let i = offset; i < offset + ID_BYTES; i++) {
    h ^= datagram[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The routing key of a datagram: a hash of its stream or GELF message id;
 * undefined for a datagram that has neither (bare JSON, syslog, unsequenced
 * frames, GELF that is not chunked, anything too short to hold one).
 */
export function routeKey(datagram: Uint8Array): number | undefined {
  if (datagram.length < STREAM_OFFSET + ID_BYTES) return undefined;
  const first = datagram[0];
  const second = datagram[1];
  if (first === 0xcb && second === 0xf2) {
    const flags = datagram[2] as number;
    return (flags & Flag.SEQUENCED) === 0 ? undefined : hash8(datagram, STREAM_OFFSET);
  }
  if (first === 0x1e && second === 0x0f) return hash8(datagram, GELF_ID_OFFSET);
  return undefined;
}

/** Picks workers: by key when there is one, round-robin otherwise. */
export class Router {
  readonly #workers: number;
  #next = 0;

  constructor(workers: number) {
    this.#workers = workers;
  }

  pick(datagram: Uint8Array): number {
    const key = routeKey(datagram);
    if (key !== undefined) return key % this.#workers;
    const picked = this.#next;
    this.#next = picked + 1 === this.#workers ? 0 : picked + 1;
    return picked;
  }
}
