import { promisify } from "node:util";
import { deflate } from "node:zlib";
import { compress, DEFAULT_COMPRESSION_LEVEL } from "./compression.js";
import { SEQ_MODULO, STREAM_ID_BYTES } from "./constants.js";
import { encodeFrame, type FrameSpec, frameOverhead } from "./frame.js";
import {
  type Body,
  type Part,
  type SplitResult,
  type SplitSettings,
  splitAsync,
  splitSync,
} from "./splitter.js";

export { cutUtf8 } from "./splitter.js";

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
  /** No datagram is larger than this (64..65527). */
  maxDatagramBytes: number;
  /** zlib level 0..9 (default 6). */
  compressionLevel?: number;
  /**
   * How encodeAsync() compresses: a zlib stream (RFC 1950) of `data` at
   * `level`, the same bytes as node:zlib's deflateSync, returned at once or
   * as a promise. Default: node:zlib's deflate on libuv's thread pool.
   */
  compressAsync?: (data: Uint8Array, level: number) => Uint8Array | Promise<Uint8Array>;
}

export interface EncodedMessage {
  /** One datagram, or the fragments of one entry in index order. */
  datagrams: Uint8Array[];
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

export const MIN_DATAGRAM_BYTES = 64;
/** Largest UDP payload (over IPv6; 65,507 over IPv4). */
export const MAX_DATAGRAM_BYTES = 65_527;

/** node:zlib's deflate on libuv's thread pool: the same bytes as `compress` at the same level. */
const deflateOnPool = promisify(deflate) as (
  data: Uint8Array,
  options: { level: number },
) => Promise<Uint8Array>;

function compressOnPool(data: Uint8Array, level: number): Promise<Uint8Array> {
  return deflateOnPool(data, { level });
}

const ignore = (): void => {};

function checkOptions(o: EncoderOptions): void {
  const max = o.maxDatagramBytes;
  if (!Number.isInteger(max) || max < MIN_DATAGRAM_BYTES || max > MAX_DATAGRAM_BYTES) {
    throw new TypeError(
      `maxDatagramBytes must be an integer ${MIN_DATAGRAM_BYTES}..${MAX_DATAGRAM_BYTES}`,
    );
  }
  if (o.sequenced && o.stream?.length !== STREAM_ID_BYTES) {
    throw new TypeError(`stream must be ${STREAM_ID_BYTES} bytes when sequenced`);
  }
  if (!o.sequenced && o.key !== undefined) throw new TypeError("key needs sequenced: true");
  const seq = o.firstSeq ?? 0;
  if (!Number.isInteger(seq) || seq < 0 || seq >= SEQ_MODULO) {
    throw new TypeError("firstSeq must be a uint32");
  }
  const level = o.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new TypeError("compressionLevel must be an integer 0..9");
  }
}

/**
 * Turns batches of serialized entries into datagrams (PROTOCOL.md section 5):
 * split to fit (src/protocol/splitter.ts), then numbered, framed, signed and
 * measured. `encode` compresses on the calling thread; `encodeAsync`
 * compresses with `compressAsync` (by default on libuv's thread pool), so
 * several batches may compress at once, yet seqs are taken in the order the
 * calls were made and each promise settles only after those of earlier calls.
 */
export class BatchEncoder {
  readonly #options: EncoderOptions;
  readonly #level: number;
  readonly #settings: SplitSettings;
  #seq: number;
  /** encodeAsync() calls not yet numbered. */
  #pending = 0;
  /** Settles once the latest encodeAsync() call has been numbered (or has failed). */
  #turn: Promise<void> = Promise.resolve();

  constructor(options: EncoderOptions) {
    checkOptions(options);
    this.#options = { ...options };
    this.#level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
    this.#seq = options.firstSeq ?? 0;
    const { sequenced, stream, key, maxDatagramBytes: max } = options;
    const base = sequenced ? { stream, seq: 0, ...(key !== undefined ? { key } : {}) } : {};
    const bare = !sequenced && !options.compress;
    this.#settings = {
      compress: options.compress,
      sequenced,
      room: max - (bare ? 0 : frameOverhead(base)),
      sliceRoom: sequenced
        ? max - frameOverhead({ ...base, fragmentIndex: 0, fragmentCount: 2 })
        : 0,
    };
  }

  /** The seq the next message will carry. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** encodeAsync() calls whose messages are not numbered yet. */
  get pending(): number {
    return this.#pending;
  }

  /**
   * Encodes one batch; `entryJsons` are entries already serialized to compact
   * JSON. Throws while encodeAsync() calls are pending: their seqs come first.
   */
  encode(entryJsons: readonly string[]): EncodeResult {
    if (this.#pending > 0) {
      throw new Error("encode() while encodeAsync() batches are pending would take their seqs");
    }
    const level = this.#level;
    return this.#number(splitSync(entryJsons, this.#settings, (data) => compress(data, level)));
  }

  /**
   * The same datagrams as encode() would give at this point in the sequence,
   * compressed with `compressAsync`. Compression starts at once; seqs are
   * taken once every earlier call has taken its own. A failed compression
   * rejects this call only, and it takes no seq.
   */
  encodeAsync(entryJsons: readonly string[]): Promise<EncodeResult> {
    const level = this.#level;
    const compressing = this.#options.compressAsync ?? compressOnPool;
    const split = splitAsync(entryJsons, this.#settings, (data) => compressing(data, level));
    // A failure is handled below, once earlier calls are numbered; not an unhandled rejection.
    split.catch(ignore);
    this.#pending++;
    const numbered = this.#turn
      .then(() => split)
      .then(
        (parts) => {
          this.#pending--;
          return this.#number(parts);
        },
        (error: unknown) => {
          this.#pending--;
          throw error;
        },
      );
    this.#turn = numbered.then(ignore, ignore);
    return numbered;
  }

  /** Takes a seq for each part in order and frames it. */
  #number(split: SplitResult): EncodeResult {
    const messages: EncodedMessage[] = [];
    for (const part of split.parts) messages.push(this.#message(part));
    const dropped =
      split.dropped > 0 ? [{ entries: split.dropped, reason: "oversize" as const }] : [];
    return { messages, dropped };
  }

  #takeSeq(): number {
    const seq = this.#seq;
    this.#seq = (seq + 1) % SEQ_MODULO;
    return seq;
  }

  /** A whole datagram, or `fragmentCount` slices of sliceRoom bytes, the last one shorter. */
  #message(part: Part): EncodedMessage {
    const { body, entries, payloadBytes, truncated, fragmentCount: count } = part;
    const seq = this.#options.sequenced ? this.#takeSeq() : undefined;
    const datagrams: Uint8Array[] = [];
    if (count === 0) datagrams.push(this.#frame(body, seq, 0, 0));
    const size = this.#settings.sliceRoom;
    for (let i = 0; i < count; i++) {
      const slice = {
        bytes: body.bytes.subarray(i * size, (i + 1) * size),
        compressed: body.compressed,
      };
      datagrams.push(this.#frame(slice, seq, i, count));
    }
    const { compressed } = body;
    return { datagrams, entries, seq, fragmented: count > 0, truncated, compressed, payloadBytes };
  }

  /** Frames a payload; `count` 0 means not a fragment. Never returns more than the maximum. */
  #frame(body: Body, seq: number | undefined, index: number, count: number): Uint8Array {
    const { sequenced, compress: compressing, stream, key, maxDatagramBytes } = this.#options;
    let datagram: Uint8Array;
    if (sequenced) {
      const spec: FrameSpec = { compressed: body.compressed, stream: stream as Uint8Array };
      spec.seq = seq as number;
      if (key !== undefined) spec.key = key;
      if (count > 0) {
        spec.fragmentIndex = index;
        spec.fragmentCount = count;
      }
      datagram = encodeFrame(spec, body.bytes);
    } else {
      datagram = compressing ? encodeFrame({ compressed: true }, body.bytes) : body.bytes;
    }
    if (datagram.length > maxDatagramBytes) {
      throw new RangeError(`a ${datagram.length}-byte datagram passes maxDatagramBytes`);
    }
    return datagram;
  }
}
