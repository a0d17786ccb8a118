/**
 * The decoders' answers for one batch of datagrams, packed to cross from a
 * worker to the main thread cheaply: the fixed fields in typed arrays, the
 * streams in one array of strings, and every entry of the batch in one
 * string, cut at line breaks (an entry is one line of compact JSON, so it
 * holds none). Unpacking gives the same DecodeOutcome values back.
 */
import { DATAGRAM_KINDS } from "../../wire/kinds.js";
import { REJECT_REASONS, type RejectReason } from "../../wire/reasons.js";
import type { DatagramKind, DecodeOutcome } from "../../wire/types.js";

const DUPLICATE = 1;
const PENDING = 2;
const HAS_STREAM = 4;
const HAS_ACK = 8;

export interface PackedOutcomes {
  readonly kinds: Uint8Array;
  readonly flags: Uint8Array;
  /** 0: not rejected; i + 1: REJECT_REASONS[i]. */
  readonly rejected: Uint8Array;
  readonly invalidEntries: Uint32Array;
  readonly entryCounts: Uint32Array;
  readonly seqs: Uint32Array;
  /** The stream (of the message, or of the acknowledgement asked) as hex; "" for none. */
  readonly streams: string[];
  /** Every entry of the batch, in order, joined by "\n". */
  readonly entries: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const KIND_INDEX = new Map<DatagramKind, number>(DATAGRAM_KINDS.map((kind, i) => [kind, i]));
const REASON_INDEX = new Map<RejectReason, number>(REJECT_REASONS.map((r, i) => [r, i + 1]));

function flagsOf(outcome: DecodeOutcome): number {
  return (
    (outcome.duplicate ? DUPLICATE : 0) |
    (outcome.pending ? PENDING : 0) |
    (outcome.stream === undefined ? 0 : HAS_STREAM) |
    (outcome.ackRequested === undefined ? 0 : HAS_ACK)
  );
}

/** Packs the outcomes of a batch; the typed arrays' buffers can be transferred. */
export function packOutcomes(outcomes: readonly DecodeOutcome[]): PackedOutcomes {
  const n = outcomes.length;
  const packed: PackedOutcomes = {
    kinds: new Uint8Array(n),
    flags: new Uint8Array(n),
    rejected: new Uint8Array(n),
    invalidEntries: new Uint32Array(n),
    entryCounts: new Uint32Array(n),
    seqs: new Uint32Array(n),
    streams: new Array<string>(n),
    entries: "",
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const o = outcomes[i] as DecodeOutcome;
    packed.kinds[i] = KIND_INDEX.get(o.kind) ?? 0;
    packed.flags[i] = flagsOf(o);
    packed.rejected[i] = o.rejected === undefined ? 0 : (REASON_INDEX.get(o.rejected) ?? 0);
    packed.invalidEntries[i] = o.invalidEntries;
    packed.entryCounts[i] = o.entries.length;
    packed.seqs[i] = o.seq ?? o.ackRequested?.seq ?? 0;
    packed.streams[i] = o.stream ?? o.ackRequested?.stream ?? "";
    for (const entry of o.entries) lines.push(entry);
  }
  return { ...packed, entries: lines.join("\n") };
}

/** The buffers of a packed batch, to transfer rather than copy. */
export function transferList(packed: PackedOutcomes): ArrayBuffer[] {
  return [
    packed.kinds.buffer,
    packed.flags.buffer,
    packed.rejected.buffer,
    packed.invalidEntries.buffer,
    packed.entryCounts.buffer,
    packed.seqs.buffer,
  ] as ArrayBuffer[];
}

/** The outcomes packed by packOutcomes, in their order. */
export function unpackOutcomes(packed: PackedOutcomes): DecodeOutcome[] {
  const lines = packed.entries === "" ? [] : packed.entries.split("\n");
  const out: DecodeOutcome[] = [];
  let line = 0;
  for (let i = 0; i < packed.kinds.length; i++) {
    const flags = packed.flags[i] as number;
    const count = packed.entryCounts[i] as number;
    const reason = packed.rejected[i] as number;
    const stream = packed.streams[i] as string;
    const seq = packed.seqs[i] as number;
    const outcome: Mutable<DecodeOutcome> = {
      kind: DATAGRAM_KINDS[packed.kinds[i] as number] as DatagramKind,
      entries: count === 0 ? [] : lines.slice(line, line + count),
      rejected: reason === 0 ? undefined : REJECT_REASONS[reason - 1],
      invalidEntries: packed.invalidEntries[i] as number,
      duplicate: (flags & DUPLICATE) !== 0,
      pending: (flags & PENDING) !== 0,
    };
    if ((flags & HAS_STREAM) !== 0) {
      outcome.stream = stream;
      outcome.seq = seq;
    }
    if ((flags & HAS_ACK) !== 0) outcome.ackRequested = { stream, seq };
    out.push(outcome);
    line += count;
  }
  return out;
}
