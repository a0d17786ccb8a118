/**
 * The expected fate of every datagram sent, from the project's own Decoder run
 * in this process over the same datagrams in the same order. Its clock never
 * moves: the corpus gives every case its own stream, and the fragments of a
 * message are sent back to back, so no outcome depends on the server's 5 s
 * and 10 s timers (only `lost`, which is not compared, does).
 */

import { createDecoder } from "../../src/formats/create-decoder.js";
import type { DecodeOutcome, Decoder } from "../../src/wire/index.js";

export type Fate = "accepted" | "pending" | "duplicate" | "rejected";

export interface Tally {
  datagrams: number;
  /** Datagrams that gave entries or an empty batch (invalid entries beside them included). */
  accepted: number;
  /** Fragments held for a message still incomplete. */
  pending: number;
  duplicates: number;
  /** Datagrams rejected whole. */
  rejectedDatagrams: number;
  entries: number;
  /** By reason; `invalid-entry` counts array elements, the others datagrams. */
  rejected: Record<string, number>;
  kinds: Record<string, number>;
}

export function emptyTally(): Tally {
  return {
    datagrams: 0,
    accepted: 0,
    pending: 0,
    duplicates: 0,
    rejectedDatagrams: 0,
    entries: 0,
    rejected: {},
    kinds: {},
  };
}

function bump(counts: Record<string, number>, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

export function fateOf(outcome: DecodeOutcome): Fate {
  if (outcome.rejected !== undefined) return "rejected";
  if (outcome.duplicate) return "duplicate";
  if (outcome.pending) return "pending";
  return "accepted";
}

export function addOutcome(tally: Tally, outcome: DecodeOutcome): void {
  tally.datagrams++;
  bump(tally.kinds, outcome.kind);
  tally.entries += outcome.entries.length;
  if (outcome.invalidEntries > 0) bump(tally.rejected, "invalid-entry", outcome.invalidEntries);
  const fate = fateOf(outcome);
  if (fate === "rejected") {
    tally.rejectedDatagrams++;
    bump(tally.rejected, outcome.rejected ?? "");
  } else if (fate === "duplicate") tally.duplicates++;
  else if (fate === "pending") tally.pending++;
  else tally.accepted++;
}

/** True when the decoder's answer depends only on these bytes (no sequence state is read). */
function stateless(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0xcb || bytes[1] !== 0xf2) return true;
  return ((bytes[2] ?? 0) & 0x02) === 0;
}

export interface ReferenceOptions {
  readonly maxDecompressedBytes?: number;
  readonly maxMessageBytes?: number;
}

/** Decodes datagrams in sending order and tallies them, overall and by category. */
export class Reference {
  readonly total: Tally = emptyTally();
  readonly byCategory = new Map<string, Tally>();
  readonly #decoder: Decoder;
  /** Answers for datagrams sent more than once as the same bytes object (bombs). */
  readonly #cache = new WeakMap<Uint8Array, DecodeOutcome>();

  constructor(options: ReferenceOptions = {}) {
    this.#decoder = createDecoder({ now: () => 0, ...options });
  }

  add(category: string, bytes: Uint8Array): DecodeOutcome {
    let outcome = this.#cache.get(bytes);
    if (outcome === undefined) {
      outcome = this.#decoder.decode(bytes);
      if (stateless(bytes)) this.#cache.set(bytes, outcome);
    }
    addOutcome(this.total, outcome);
    let tally = this.byCategory.get(category);
    if (tally === undefined) {
      tally = emptyTally();
      this.byCategory.set(category, tally);
    }
    addOutcome(tally, outcome);
    return outcome;
  }

  /** `count` probes: bare JSON objects, one entry each. */
  addProbes(count: number): void {
    for (const tally of [this.total, this.#categoryTally("probe")]) {
      tally.datagrams += count;
      tally.accepted += count;
      tally.entries += count;
      bump(tally.kinds, "json", count);
    }
  }

  #categoryTally(category: string): Tally {
    const tally = this.byCategory.get(category) ?? emptyTally();
    this.byCategory.set(category, tally);
    return tally;
  }
}
