/** What a Decoder is given, and what it counts. */

import type { Clock } from "../../foundation/time.js";
import type { JsonLimits } from "../json-scan.js";
import type { AcceptedKind } from "../kinds.js";
import type { DatagramKind } from "../types.js";
import type { ForeignFormats, FormatStats } from "./foreign.js";

export interface DecoderOptions {
  /** Monotonic milliseconds, for gap and fragment timeouts. */
  now: Clock;
  /** The largest payload, inflated or as sent; inflating stops here; past it `too-large` (default 1 MiB). */
  maxDecompressedBytes?: number;
  /** Largest reassembled (still compressed) message; past it `too-large` (default 4 MiB). */
  maxMessageBytes?: number;
  /** Fragments held at once across all messages (default MAX_FRAGMENT_HELD_BYTES). */
  maxHeldFragmentBytes?: number;
  /**
   * When non-empty, every datagram must be SIGNED with one of these keys;
   * anything else, bare JSON included, is `unauthenticated`, checked before
   * any header past the flags is read, and before decompressing or parsing.
   * `setKeys` replaces them while the decoder runs.
   */
  keys?: readonly Uint8Array[];
  /**
   * The kinds of datagram decoded; any other is `unknown-format` (default:
   * framed, json, syslog, gelf; plain text is off). See `classify` for the order.
   */
  accept?: ReadonlySet<AcceptedKind>;
  /** Wall-clock milliseconds since the epoch: the receive time of syslog, GELF and text entries. */
  wallClock?: () => number;
  /**
   * The foreign formats, for every datagram that is not framed: the wire
   * format knows none of them (src/formats/create-decoder.ts builds a
   * decoder with the project's own).
   */
  formats: ForeignFormats;
  /**
   * Called with each exception thrown inside decoding and the kind of the
   * datagram, which is counted `internal-error`; a throw here is ignored.
   */
  onInternalError?: (error: unknown, kind: DatagramKind) => void;
  /**
   * Bounds on every JSON text (payloads, bare JSON, GELF) and on syslog
   * structured data, checked before it is parsed; past one the datagram is
   * `too-deep`, `too-many-entries` or `too-many-fields` (default
   * DEFAULT_JSON_LIMITS).
   */
  limits?: JsonLimits;
  /**
   * Asked when a seq is a duplicate: true when the first copy was not taken
   * (no room in the outputs), so this copy is decoded as new, not dropped.
   */
  redeliver?: (stream: string, seq: number) => boolean;
}

export interface DecoderStats {
  /** Messages counted lost: sequence gaps, fragmented messages and the formats' messages never completed. */
  lost: number;
  /** Datagrams dropped as duplicates: a seq already seen, a replay, a fragment already held. */
  duplicates: number;
  /** Seqs that arrived after a later one, inside the window. */
  reordered: number;
  /** Seqs that arrived after their gap had been counted lost. */
  late: number;
  /** Streams tracked now. */
  streams: number;
  /** Fragmented messages held now, the formats' partial messages (GELF chunks) included. */
  partials: number;
  /** Bytes held for reassembly now, the formats' included. */
  reassemblyBytes: number;
  /** Each format's part of `lost`, `partials` and `reassemblyBytes`, by name (`gelf`). */
  formats: Readonly<Record<string, FormatStats>>;
}
