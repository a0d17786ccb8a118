import { compress, DEFAULT_COMPRESSION_LEVEL } from "./compression.js";
import { MAX_FRAGMENT_COUNT, SEQ_MODULO, STREAM_ID_BYTES } from "./constants.js";
import { encodeFrame, type FrameSpec, frameOverhead } from "./frame.js";

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
/** deflate never shrinks data by more than this factor. */
const MAX_DEFLATE_RATIO = 1032;
/** A part whose estimated compressed size passes the room this many times is split unseen. */
const CLEARLY_TOO_LARGE = 1.5;

interface Body {
  readonly bytes: Uint8Array;
  readonly compressed: boolean;
}

/** One call to encode(): the entries, their byte-length prefix sums, and what came out. */
interface Run {
  readonly jsons: readonly string[];
  readonly prefix: Float64Array;
  readonly messages: EncodedMessage[];
  dropped: number;
}

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

/** Cuts UTF-8 bytes to at most `length`, backing off to the start of a code point. */
export function cutUtf8(bytes: Buffer, length: number): string {
  let end = Math.min(length, bytes.length);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.toString("utf8", 0, end);
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  return undefined;
}

/**
 * Turns batches of serialized entries into datagrams (PROTOCOL.md section 5).
 * A batch whose datagram would pass maxDatagramBytes is cut in halves by
 * count, recursively; a half whose compressed size, estimated from the
 * ratio of its parent, is clearly too large is cut again without being
 * compressed. Every datagram is measured before it is returned.
 */
export class BatchEncoder {
  readonly #options: EncoderOptions;
  readonly #level: number;
  /** Payload bytes that fit in one unfragmented datagram. */
  readonly #room: number;
  /** Payload bytes that fit in one fragment datagram. */
  readonly #sliceRoom: number;
  #seq: number;

  constructor(options: EncoderOptions) {
    checkOptions(options);
    this.#options = { ...options };
    this.#level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
    this.#seq = options.firstSeq ?? 0;
    const { sequenced, stream, key, maxDatagramBytes: max } = options;
    const base = sequenced ? { stream, seq: 0, ...(key !== undefined ? { key } : {}) } : {};
    const bare = !sequenced && !options.compress;
    this.#room = max - (bare ? 0 : frameOverhead(base));
    this.#sliceRoom = sequenced
      ? max - frameOverhead({ ...base, fragmentIndex: 0, fragmentCount: 2 })
      : 0;
  }

  /** The seq the next message will carry. */
  get nextSeq(): number {
    return this.#seq;
  }

  /** Encodes one batch; `entryJsons` are entries already serialized to compact JSON. */
  encode(entryJsons: readonly string[]): EncodeResult {
    const prefix = new Float64Array(entryJsons.length + 1);
    for (let i = 0; i < entryJsons.length; i++) {
      prefix[i + 1] = (prefix[i] ?? 0) + Buffer.byteLength(entryJsons[i] ?? "");
    }
    const run: Run = { jsons: entryJsons, prefix, messages: [], dropped: 0 };
    if (entryJsons.length > 0) this.#range(run, 0, entryJsons.length, undefined);
    const dropped = run.dropped > 0 ? [{ entries: run.dropped, reason: "oversize" as const }] : [];
    return { messages: run.messages, dropped };
  }

  /** Encodes entries lo..hi-1; `ratio` is compressed/raw size of the part this one was cut from. */
  #range(run: Run, lo: number, hi: number, ratio: number | undefined): void {
    const n = hi - lo;
    const raw = (run.prefix[hi] ?? 0) - (run.prefix[lo] ?? 0) + n + 1;
    if (n > 1 && this.#clearlyTooLarge(raw, ratio)) {
      this.#split(run, lo, hi, ratio);
      return;
    }
    const text = Buffer.from(
      n === 1 ? `[${run.jsons[lo]}]` : `[${run.jsons.slice(lo, hi).join(",")}]`,
    );
    const body = this.#body(text);
    if (body.bytes.length <= this.#room) {
      this.#emit(run, body, n, raw, 0);
    } else if (n > 1) {
      this.#split(run, lo, hi, body.bytes.length / raw);
    } else if (this.#options.sequenced) {
      this.#fragment(run, body, raw);
    } else if (!this.#truncate(run, run.jsons[lo] ?? "")) {
      run.dropped++;
    }
  }

  #clearlyTooLarge(raw: number, ratio: number | undefined): boolean {
    if (!this.#options.compress) return raw > this.#room;
    return raw * (ratio ?? 1 / MAX_DEFLATE_RATIO) > this.#room * CLEARLY_TOO_LARGE;
  }

  #split(run: Run, lo: number, hi: number, ratio: number | undefined): void {
    const mid = lo + Math.floor((hi - lo) / 2);
    this.#range(run, lo, mid, ratio);
    this.#range(run, mid, hi, ratio);
  }

  /** The payload as sent: compressed when asked (and, when sequenced, when smaller). */
  #body(text: Buffer): Body {
    if (!this.#options.compress) return { bytes: text, compressed: false };
    const zipped = compress(text, this.#level);
    if (!this.#options.sequenced || zipped.length < text.length) {
      return { bytes: zipped, compressed: true };
    }
    return { bytes: text, compressed: false };
  }

  #takeSeq(): number {
    const seq = this.#seq;
    this.#seq = (seq + 1) % SEQ_MODULO;
    return seq;
  }

  #emit(run: Run, body: Body, entries: number, payloadBytes: number, truncated: number): void {
    const seq = this.#options.sequenced ? this.#takeSeq() : undefined;
    const datagram = this.#frame(body, seq, 0, 0);
    const { compressed } = body;
    run.messages.push({
      datagrams: [datagram],
      entries,
      seq,
      fragmented: false,
      truncated,
      compressed,
      payloadBytes,
    });
  }

  /** Sends one entry's payload as `count` fragments: full slices, the last one shorter. */
  #fragment(run: Run, body: Body, payloadBytes: number): void {
    const size = this.#sliceRoom;
    const count = Math.ceil(body.bytes.length / size);
    if (count > MAX_FRAGMENT_COUNT) {
      run.dropped++;
      return;
    }
    const seq = this.#takeSeq();
    const datagrams: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const slice = {
        bytes: body.bytes.subarray(i * size, (i + 1) * size),
        compressed: body.compressed,
      };
      datagrams.push(this.#frame(slice, seq, i, count));
    }
    const { compressed } = body;
    run.messages.push({
      datagrams,
      entries: 1,
      seq,
      fragmented: true,
      truncated: 0,
      compressed,
      payloadBytes,
    });
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

  /**
   * Unsequenced mode: cuts the entry's `message` (by UTF-8 bytes, on a code
   * point boundary) to the longest that fits and adds `"truncated": true`.
   * False when the entry has no string `message` or cannot fit even empty.
   */
  #truncate(run: Run, json: string): boolean {
    const entry = parseObject(json);
    if (entry === undefined || typeof entry.message !== "string") return false;
    const message = Buffer.from(entry.message);
    const attempt = (cut: number) => {
      entry.message = cutUtf8(message, cut);
      entry.truncated = true;
      const text = Buffer.from(`[${JSON.stringify(entry)}]`);
      return { text, body: this.#body(text) };
    };
    let best = attempt(0);
    if (best.body.bytes.length > this.#room) return false;
    let lo = 0;
    let hi = message.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const tried = attempt(mid);
      if (tried.body.bytes.length <= this.#room) {
        lo = mid;
        best = tried;
      } else {
        hi = mid - 1;
      }
    }
    this.#emit(run, best.body, 1, best.text.length, 1);
    return true;
  }
}
