/** What the batch encoder takes and gives, and the check of its options. */
import { InvalidOptionError } from "../../foundation/errors.js";
import { MAX_DATAGRAM_BYTES, MIN_DATAGRAM_BYTES } from "../../foundation/limits.js";
import { DEFAULT_COMPRESSION_LEVEL } from "../compression.js";
import { SEQ_MODULO, STREAM_ID_BYTES } from "../constants.js";
import type { LevelDeflate, SplitRunner } from "./split-runners.js";

/** Called once per encodeWith() call, in call order. */
export type EncodeCallback = (error: Error | null, result?: EncodeResult) => void;

export interface EncoderOptions {
  /** zlib the payload; when sequenced, only where that makes it smaller. */
  compress: boolean;
  /** Frame with stream and seq (and fragment large entries); false sends what the original shipper sent. */
  sequenced: boolean;
  /** 8 bytes naming this run of the client; required when sequenced. */
  stream?: Uint8Array;
  /** Seq of the first message (default 0). */
  firstSeq?: number;
  /** Sign every datagram with this key; only when sequenced. */
  key?: Uint8Array;
  /** Set ACK_REQUESTED on every datagram (reliable delivery); only when sequenced. */
  ackRequested?: boolean;
  /** No datagram is larger than this (MIN_DATAGRAM_BYTES..MAX_DATAGRAM_BYTES). */
  maxDatagramBytes: number;
  /** zlib level 0..9 (default 6). */
  compressionLevel?: number;
  /**
   * How the calling thread compresses, in encode() and in encodeWith()
   * without splitAsync: it must give deflateSync's bytes at the level.
   * Default: deflateSync.
   */
  deflate?: LevelDeflate;
  /**
   * Where encodeWith() splits a batch, such as on a worker thread. Default:
   * on the calling thread, before encodeWith() returns.
   */
  splitAsync?: SplitRunner;
}

export interface EncodedMessage {
  /** One datagram, or the fragments of one entry in index order. */
  datagrams: Uint8Array[];
  /** Index in its batch of the message's first entry; its entries follow in batch order. */
  first: number;
  entries: number;
  /** The message's seq; undefined when not sequenced. */
  seq: number | undefined;
  fragmented: boolean;
  /** Entries of this message whose `message` was cut to fit (unsequenced mode). */
  truncated: number;
  compressed: boolean;
  /** Bytes of the JSON array text, before compression. */
  payloadBytes: number;
}

export interface EncodeResult {
  messages: EncodedMessage[];
  /** At most one element per reason, with the number of entries dropped for it. */
  dropped: { entries: number; reason: "oversize" }[];
}

/** Throws an InvalidOptionError naming the first option out of range. */
export function checkOptions(o: EncoderOptions): void {
  const max = o.maxDatagramBytes;
  if (!Number.isInteger(max) || max < MIN_DATAGRAM_BYTES || max > MAX_DATAGRAM_BYTES) {
    throw new InvalidOptionError(
      `maxDatagramBytes must be an integer ${MIN_DATAGRAM_BYTES}..${MAX_DATAGRAM_BYTES}`,
    );
  }
  if (o.sequenced && o.stream?.length !== STREAM_ID_BYTES) {
    throw new InvalidOptionError(`stream must be ${STREAM_ID_BYTES} bytes when sequenced`);
  }
  if (!o.sequenced && o.key !== undefined) {
    throw new InvalidOptionError("key needs sequenced: true");
  }
  if (!o.sequenced && o.ackRequested === true) {
    throw new InvalidOptionError("ackRequested needs sequenced: true");
  }
  const seq = o.firstSeq ?? 0;
  if (!Number.isInteger(seq) || seq < 0 || seq >= SEQ_MODULO) {
    throw new InvalidOptionError("firstSeq must be a uint32");
  }
  const level = o.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidOptionError("compressionLevel must be an integer 0..9");
  }
}
