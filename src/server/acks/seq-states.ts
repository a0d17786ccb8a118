/**
 * What became of each recent seq of one stream that asked for an
 * acknowledgement: in flight to the outputs, accepted (acknowledged), or
 * refused (an output had no room). Kept for the last WINDOW seqs, the
 * window of the sequence tracker, in fixed memory: a ring indexed by
 * seq modulo WINDOW, each slot remembering which seq it holds.
 */

import { SEQUENCE_WINDOW } from "../../wire/constants.js";

/** Seqs remembered per stream: the sequence tracker's window. */
export const STATE_WINDOW = SEQUENCE_WINDOW;

export type SeqState = "unknown" | "in-flight" | "accepted" | "refused";

const CODES: readonly SeqState[] = ["unknown", "in-flight", "accepted", "refused"];

export class SeqStates {
  readonly #states = new Uint8Array(STATE_WINDOW);
  readonly #seqs = new Uint32Array(STATE_WINDOW);

  get(seq: number): SeqState {
    const slot = seq % STATE_WINDOW;
    if (this.#seqs[slot] !== seq) return "unknown";
    return CODES[this.#states[slot] ?? 0] ?? "unknown";
  }

  set(seq: number, state: SeqState): void {
    const slot = seq % STATE_WINDOW;
    this.#seqs[slot] = seq;
    this.#states[slot] = CODES.indexOf(state);
  }
}
