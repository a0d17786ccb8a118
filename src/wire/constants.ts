/** Wire constants from PROTOCOL.md. Every number here is part of the contract. */
import { MIB } from "../foundation/limits.js";

export {
  DEFAULT_MAX_DATAGRAM_BYTES,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
} from "../foundation/limits.js";

/** First two bytes of a framed datagram. */
export const MAGIC = Uint8Array.of(0xcb, 0xf2);

/** Flag bits of byte 2 of a framed datagram. */
export const Flag = {
  COMPRESSED: 0x01,
  SEQUENCED: 0x02,
  FRAGMENT: 0x04,
  SIGNED: 0x08,
  /** The sender wants an acknowledgement of this message (section 6); only with SEQUENCED. */
  ACK_REQUESTED: 0x10,
  /** An acknowledgement, sent by a server to a client (src/wire/ack.ts); never valid on a frame. */
  ACK: 0x80,
} as const;

/** Bits 0x20-0x40: any of them set rejects the datagram as `unsupported-flags`. */
export const RESERVED_FLAGS = 0x60;

export const MAGIC_BYTES = 2;
export const FLAGS_BYTES = 1;
export const STREAM_ID_BYTES = 8;
/** Stream id (8 bytes) then seq (uint32 BE). */
export const SEQUENCE_HEADER_BYTES = 12;
/** Fragment index (uint16 BE) then count (uint16 BE). */
export const FRAGMENT_HEADER_BYTES = 4;
/** First 16 bytes of HMAC-SHA256 over every byte before the tag. */
export const TAG_BYTES = 16;

/** Seqs remembered per stream. */
export const SEQUENCE_WINDOW = 1024;
/** A gap still open this long after a later seq arrived counts as lost. */
export const GAP_TIMEOUT_MS = 10_000;
/** Streams not heard from for this long are forgotten. */
export const STREAM_IDLE_MS = 10 * 60 * 1000;
/** At most this many streams are tracked; the least recently heard goes first. */
export const MAX_STREAMS = 10_000;
/** seq is a uint32 that wraps after 2^32 - 1. */
export const SEQ_MODULO = 2 ** 32;

export const MIN_FRAGMENT_COUNT = 2;
export const MAX_FRAGMENT_COUNT = 4096;
/** A message whose fragments are not all in within this time is lost. */
export const FRAGMENT_TIMEOUT_MS = 5_000;
/**
 * Fragments held at once across all messages, charged for the memory they
 * really take (payload and bookkeeping); the oldest partial message goes
 * first. PROTOCOL.md allows at most 64 MiB; 16 MiB (three messages of the
 * 4 MiB maximum) because what a flood makes the store drop is garbage V8
 * lets pile up before it collects: full, it costs more than its cap in
 * resident memory (docs/protocol.md "Fragments").
 */
export const MAX_FRAGMENT_HELD_BYTES = 16 * MIB;

/** Seqs the client may have in flight past its oldest unacknowledged message (section 6). */
export const ACK_WINDOW = SEQUENCE_WINDOW;
