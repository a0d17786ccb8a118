/**
 * What the decoder asks of the foreign formats (the datagrams other programs
 * send: bare JSON, syslog, GELF, plain text), so it calls them without
 * knowing any one of them.
 */
import type { DecodeOutcome } from "../types.js";
import type { Detection } from "./detect.js";

/** What a format holds for reassembly and has lost, as the decoder sums it. */
export interface FormatStats {
  /** Messages never completed: timed out, pushed out by the memory cap, or held at `finish`. */
  readonly lost: number;
  /** Partial messages held now. */
  readonly partials: number;
  /** Bytes held for reassembly now. */
  readonly reassemblyBytes: number;
}

export interface ForeignFormats {
  /**
   * The entries of one datagram that is not framed, as `detection` saw its
   * first bytes; received at `receivedAtMs` (wall clock). May throw only on a
   * bug: the decoder counts a throw as `internal-error`.
   */
  decode(datagram: Uint8Array, detection: Detection, receivedAtMs: number): DecodeOutcome;
  /** Counts what timed out as lost and forgets what is stale; called periodically. */
  sweep(): void;
  /** At shutdown: whatever is still held is lost. */
  finish(): void;
  /** Each format that holds state, by name (`gelf`). */
  readonly stats: Readonly<Record<string, FormatStats>>;
}
