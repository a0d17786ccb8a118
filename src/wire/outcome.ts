import type { DatagramKind, DecodeOutcome } from "./types.js";

/** A DecodeOutcome of `kind`: no entries, no rejection, unless `fields` say otherwise. */
export function outcome(kind: DatagramKind, fields: Partial<DecodeOutcome>): DecodeOutcome {
  return {
    kind,
    entries: [],
    rejected: undefined,
    invalidEntries: 0,
    duplicate: false,
    pending: false,
    ...fields,
  };
}
