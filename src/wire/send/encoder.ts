import { ERROR_CODES, ShipperError } from "../../foundation/errors.js";
import { compress, DEFAULT_COMPRESSION_LEVEL } from "../compression.js";
import { SEQ_MODULO } from "../constants.js";
import { encodeFrame, type FrameSpec, frameOverhead } from "../frame.js";
import {
  checkOptions,
  type EncodeCallback,
  type EncodedMessage,
  type EncodeResult,
  type EncoderOptions,
} from "./encoder-options.js";
import { type LevelDeflate, type SplitRunner, splitHereWith, splitSync } from "./split-runners.js";
import type { Body, Part, SplitResult, SplitSettings } from "./splitter.js";

export { MAX_DATAGRAM_BYTES, MIN_DATAGRAM_BYTES } from "../../foundation/limits.js";
export type {
  EncodeCallback,
  EncodedMessage,
  EncodeResult,
  EncoderOptions,
} from "./encoder-options.js";
export type { LevelDeflate, SplitRunner } from "./split-runners.js";
export { cutUtf8, type SplitResult, type SplitSettings } from "./splitter.js";

/** One encodeWith() call: its split once done, and whom to tell. */
interface Call {
  readonly done: EncodeCallback;
  finished: boolean;
  split: SplitResult | undefined;
  error: Error | null;
}

/**
 * Turns batches of serialized entries into datagrams (PROTOCOL.md section 5):
 * split to fit (src/wire/send/splitter.ts), then numbered, framed, signed and
 * measured. `encode` splits and compresses on the calling thread;
 * `encodeWith` hands the split to `splitAsync` (such as a worker thread), so
 * several batches may be split at once, yet seqs are taken in the order the
 * calls were made and each call is told only after the earlier ones.
 */
export class BatchEncoder {
  readonly #options: EncoderOptions;
  readonly #level: number;
  readonly #deflate: LevelDeflate;
  /** encodeWith()'s split without splitAsync: on this thread, with #deflate. */
  readonly #splitHere: SplitRunner;
  readonly #settings: SplitSettings;
  #seq: number;
  /** encodeWith() calls not yet numbered, oldest first. */
  readonly #calls: Call[] = [];
  #numbering = false;

  constructor(options: EncoderOptions) {
    checkOptions(options);
    this.#options = { ...options };
    this.#level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
    this.#deflate = options.deflate ?? compress;
    this.#splitHere = splitHereWith(this.#deflate);
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

  /** encodeWith() calls whose messages are not numbered yet. */
  get pending(): number {
    return this.#calls.length;
  }

  /**
   * Encodes one batch; `entryJsons` are entries already serialized to compact
   * JSON, `entryBytes` their UTF-8 byte lengths when known (else measured).
   * Throws while encodeWith() calls are pending: their seqs come first.
   */
  encode(entryJsons: readonly string[], entryBytes?: readonly number[]): EncodeResult {
    if (this.#calls.length > 0) {
      throw new Error("encode() while encodeWith() batches are pending would take their seqs");
    }
    const level = this.#level;
    const deflate = this.#deflate;
    const zip = (data: Uint8Array) => deflate(data, level);
    return this.#number(splitSync(entryJsons, this.#settings, zip, entryBytes));
  }

  /**
   * The same datagrams as encode() would give at this point in the sequence,
   * split by `splitAsync`. The split starts at once; `done` is called once
   * every earlier call has been told, and seqs are taken just before, so seqs
   * and callbacks follow call order whatever order the splits finish in. A
   * failed split fails this call only, and it takes no seq. `done` may be
   * called before encodeWith() returns.
   */
  encodeWith(
    entryJsons: readonly string[],
    done: EncodeCallback,
    entryBytes?: readonly number[],
  ): void {
    const call: Call = { done, finished: false, split: undefined, error: null };
    this.#calls.push(call);
    const run = this.#options.splitAsync ?? this.#splitHere;
    run(entryJsons, entryBytes, this.#settings, this.#level, (error, split) => {
      if (call.finished) return;
      call.finished = true;
      call.split = split;
      call.error = error;
      this.#numberFinished();
    });
  }

  /** Numbers and reports the calls at the head whose split is done, oldest first. */
  #numberFinished(): void {
    if (this.#numbering) return;
    this.#numbering = true;
    try {
      for (let call = this.#calls[0]; call?.finished; call = this.#calls[0]) {
        this.#calls.shift();
        if (call.split === undefined) call.done(call.error ?? new Error("the split failed"));
        else this.#report(call.done, call.split);
      }
    } finally {
      this.#numbering = false;
    }
  }

  /** Numbers one call's parts and tells its callback; a datagram too large fails the call. */
  #report(done: EncodeCallback, split: SplitResult): void {
    let result: EncodeResult;
    try {
      result = this.#number(split);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, result);
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
    const { body, first, entries, payloadBytes, truncated, fragmentCount: count } = part;
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
    const fragmented = count > 0;
    return { datagrams, first, entries, seq, fragmented, truncated, compressed, payloadBytes };
  }

  /** Frames a payload; `count` 0 means not a fragment. Never returns more than the maximum. */
  #frame(body: Body, seq: number | undefined, index: number, count: number): Uint8Array {
    const { sequenced, compress: compressing, stream, key, maxDatagramBytes } = this.#options;
    let datagram: Uint8Array;
    if (sequenced) {
      const spec: FrameSpec = { compressed: body.compressed, stream: stream as Uint8Array };
      spec.seq = seq as number;
      if (key !== undefined) spec.key = key;
      if (this.#options.ackRequested === true) spec.ackRequested = true;
      if (count > 0) {
        spec.fragmentIndex = index;
        spec.fragmentCount = count;
      }
      datagram = encodeFrame(spec, body.bytes);
    } else {
      datagram = compressing ? encodeFrame({ compressed: true }, body.bytes) : body.bytes;
    }
    if (datagram.length > maxDatagramBytes) {
      throw new ShipperError(
        ERROR_CODES.INTERNAL,
        `a ${datagram.length}-byte datagram passes maxDatagramBytes`,
      );
    }
    return datagram;
  }
}
