import type { RejectReason } from "./reasons.js";

/**
 * What a datagram is: our framed datagram, bare JSON, syslog (RFC 5424 or
 * RFC 3164), GELF (plain, zlib, gzip or chunked), plain text lines, or none of
 * the kinds the decoder accepts.
 */
export type DatagramKind = "framed" | "json" | "syslog" | "gelf" | "text" | "unknown";

/** The parsed header of a framed datagram; `payload` is still compressed when COMPRESSED. */
export interface Frame {
  readonly flags: number;
  /** 8 bytes, present when SEQUENCED. */
  readonly stream: Uint8Array | undefined;
  /** uint32, present when SEQUENCED. */
  readonly seq: number | undefined;
  /** Present when FRAGMENT. */
  readonly fragmentIndex: number | undefined;
  readonly fragmentCount: number | undefined;
  readonly payload: Uint8Array;
  /** The 16-byte tag, present when SIGNED. */
  readonly tag: Uint8Array | undefined;
  /** Every byte the tag covers (the whole datagram minus the tag). */
  readonly signedBytes: Uint8Array | undefined;
}

export type Result<T, R extends string = RejectReason> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: R };

/** What one datagram turned into, from the decoder. */
export interface DecodeOutcome {
  readonly kind: DatagramKind;
  /** Accepted entries, each one line of compact JSON, fields in the order received. */
  readonly entries: string[];
  /** Set when the whole datagram (or message) was rejected. */
  readonly rejected: RejectReason | undefined;
  /** Elements of the entry array that were not objects (counted as `invalid-entry`). */
  readonly invalidEntries: number;
  /** True when the datagram was a duplicate (a seq already seen, or a replay). */
  readonly duplicate: boolean;
  /** True when the datagram was a fragment held for reassembly (no entries yet). */
  readonly pending: boolean;
  /**
   * The stream of a sequenced message (also a reassembled one), as 16
   * lowercase hex digits; absent for anything without a stream and seq.
   */
  readonly stream?: string;
  /** The seq of a sequenced message; present exactly when `stream` is. */
  readonly seq?: number;
  /**
   * Present when the datagram asked for an acknowledgement (ACK_REQUESTED)
   * and its stream and seq are trusted (it was framed well and, with keys,
   * signed): whatever else the outcome says, duplicate and rejections included.
   */
  readonly ackRequested?: { readonly stream: string; readonly seq: number };
}
