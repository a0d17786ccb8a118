import { GELF_MAX_HELD_BYTES } from "../../formats/gelf-chunks.js";
import { InteropDecoder } from "../../formats/interop.js";
import { inflateCapped } from "../compression.js";
import {
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  DEFAULT_MAX_MESSAGE_BYTES,
  Flag,
  MAX_FRAGMENT_HELD_BYTES,
} from "../constants.js";
import { decodeFrame } from "../frame.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits } from "../json-scan.js";
import { type AcceptedKind, DEFAULT_ACCEPTED_KINDS } from "../kinds.js";
import { outcome } from "../outcome.js";
import { parsePayload } from "../payload.js";
import type { RejectReason } from "../reasons.js";
import { verifyDatagramTag } from "../sign.js";
import type { Clock, DatagramKind, DecodeOutcome, Frame } from "../types.js";
import { classify } from "./detect.js";
import { Reassembler } from "./reassembler.js";
import { SequenceTracker } from "./sequence.js";

export interface DecoderOptions {
  /** Monotonic milliseconds, for gap and fragment timeouts. */
  now: Clock;
  /** The largest payload, inflated or as sent; inflating stops here; past it `too-large` (default 2 MiB). */
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
  /** GELF chunks held at once across all messages (default GELF_MAX_HELD_BYTES). */
  maxHeldGelfBytes?: number;
  /**
   * Bounds on every JSON text (payloads, bare JSON, GELF) and on syslog
   * structured data, checked before it is parsed; past one the datagram is
   * `too-deep`, `too-many-entries` or `too-many-fields` (default
   * DEFAULT_JSON_LIMITS).
   */
  limits?: JsonLimits;
}

export interface DecoderStats {
  /** Messages counted lost: sequence gaps, fragmented messages and GELF chunked messages never completed. */
  lost: number;
  /** Datagrams dropped as duplicates: a seq already seen, a replay, a fragment already held. */
  duplicates: number;
  /** Seqs that arrived after a later one, inside the window. */
  reordered: number;
  /** Seqs that arrived after their gap had been counted lost. */
  late: number;
  /** Streams tracked now. */
  streams: number;
  /** Fragmented messages held now, GELF chunked messages included. */
  partials: number;
  /** Bytes held for reassembly now, GELF chunks included. */
  reassemblyBytes: number;
  /** The GELF part of `lost`: chunked messages never completed. */
  gelfLost: number;
  /** The GELF part of `partials`. */
  gelfPartials: number;
  /** The GELF part of `reassemblyBytes`. */
  gelfReassemblyBytes: number;
}

type Stage = "frame" | "fragment" | "inflate" | "parse";

/** The reason a surprise (an exception) at each stage is counted under. */
const SURPRISE: Record<Stage, RejectReason> = {
  frame: "bad-frame",
  fragment: "bad-fragment",
  inflate: "invalid-compression",
  parse: "invalid-json",
};

function checkedLimits(limits: JsonLimits): JsonLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limits.${name} must be a positive integer, got ${value}`);
    }
  }
  return Object.freeze({ ...limits });
}

function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * The receive pipeline for one datagram: classify it among the accepted
 * kinds, then, for our framed datagrams, authenticate, sequence, reassemble,
 * inflate, parse; for syslog, GELF and text, their own codecs. `decode` never
 * throws: whatever the bytes, the answer is entries, a pending fragment, a
 * duplicate, or one rejection reason.
 */
export class Decoder {
  #keys: readonly Uint8Array[];
  readonly #accept: ReadonlySet<AcceptedKind>;
  readonly #wallClock: () => number;
  readonly #maxDecompressedBytes: number;
  readonly #maxMessageBytes: number;
  readonly #limits: JsonLimits;
  readonly #tracker: SequenceTracker;
  readonly #reassembler: Reassembler;
  readonly #interop: InteropDecoder;
  #duplicates = 0;
  #lostAtFinish = 0;
  #gelfLostAtFinish = 0;
  #stage: Stage = "frame";

  constructor(options: DecoderOptions) {
    this.#keys = Object.freeze([...(options.keys ?? [])]);
    this.#accept = new Set(options.accept ?? DEFAULT_ACCEPTED_KINDS);
    this.#wallClock = options.wallClock ?? Date.now;
    this.#maxDecompressedBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#limits = checkedLimits(options.limits ?? DEFAULT_JSON_LIMITS);
    if (!Number.isSafeInteger(this.#maxDecompressedBytes) || this.#maxDecompressedBytes < 1) {
      throw new TypeError("maxDecompressedBytes must be a positive integer");
    }
    this.#tracker = new SequenceTracker({ now: options.now });
    this.#reassembler = new Reassembler({
      now: options.now,
      maxMessageBytes: this.#maxMessageBytes,
      maxHeldBytes: options.maxHeldFragmentBytes ?? MAX_FRAGMENT_HELD_BYTES,
    });
    this.#interop = new InteropDecoder({
      accept: this.#accept,
      now: options.now,
      maxDecompressedBytes: this.#maxDecompressedBytes,
      maxMessageBytes: this.#maxMessageBytes,
      maxHeldBytes: options.maxHeldGelfBytes ?? GELF_MAX_HELD_BYTES,
      limits: this.#limits,
    });
  }

  decode(datagram: Uint8Array): DecodeOutcome {
    const detection = classify(datagram, this.#accept, this.#limits);
    const kind = detection.kind;
    this.#stage = "frame";
    try {
      if (kind === "unknown") return outcome(kind, { rejected: "unknown-format" });
      if (kind === "framed") return this.#framed(datagram);
      if (this.#keys.length > 0) return outcome(kind, { rejected: "unauthenticated" });
      const out = this.#interop.decode(datagram, detection, this.#wallClock());
      if (out.duplicate) this.#duplicates++;
      return out;
    } catch {
      return outcome(kind, { rejected: SURPRISE[this.#stage] });
    }
  }

  /**
   * Replaces the keys from the next datagram on, as `keys` of the options
   * (empty: no signature needed). Streams, windows, held fragments and
   * counters are kept: a replay stays a duplicate across the swap.
   */
  setKeys(keys: readonly Uint8Array[]): void {
    this.#keys = Object.freeze([...keys]);
  }

  /** Counts timed-out gaps, fragmented and GELF chunked messages as lost; forgets idle streams. */
  sweep(): void {
    this.#tracker.sweep();
    this.#reassembler.sweep();
    this.#interop.gelf.chunks.sweep();
  }

  /** At shutdown: every open gap and every message still waiting for fragments or chunks is lost. */
  finish(): void {
    this.#tracker.finish();
    this.#lostAtFinish = this.#reassembler.partials;
    this.#gelfLostAtFinish = this.#interop.gelf.chunks.partials;
  }

  get stats(): DecoderStats {
    const chunks = this.#interop.gelf.chunks;
    const gelfLost = chunks.lost + this.#gelfLostAtFinish;
    return {
      lost: this.#tracker.lost + this.#reassembler.lost + this.#lostAtFinish + gelfLost,
      duplicates: this.#duplicates,
      reordered: this.#tracker.reordered,
      late: this.#tracker.late,
      streams: this.#tracker.streams,
      partials: this.#reassembler.partials + chunks.partials,
      reassemblyBytes: this.#reassembler.heldBytes + chunks.heldBytes,
      gelfLost,
      gelfPartials: chunks.partials,
      gelfReassemblyBytes: chunks.heldBytes,
    };
  }

  #framed(datagram: Uint8Array): DecodeOutcome {
    if (this.#keys.length > 0 && !verifyDatagramTag(this.#keys, datagram)) {
      return outcome("framed", { rejected: "unauthenticated" });
    }
    const parsed = decodeFrame(datagram);
    if (!parsed.ok) return outcome("framed", { rejected: parsed.reason });
    const frame = parsed.value;
    const compressed = (frame.flags & Flag.COMPRESSED) !== 0;
    if (frame.stream === undefined || frame.seq === undefined) {
      return this.#payload("framed", frame.payload, compressed);
    }
    const stream = hexOf(frame.stream);
    if (frame.fragmentCount !== undefined) return this.#fragment(stream, frame, compressed);
    if (this.#isDuplicate(stream, frame)) return this.#duplicate();
    this.#tracker.record(stream, frame.seq);
    return this.#payload("framed", frame.payload, compressed);
  }

  #fragment(stream: string, frame: Frame, compressed: boolean): DecodeOutcome {
    this.#stage = "fragment";
    const key = `${stream}:${frame.seq}`;
    if (!this.#reassembler.has(key)) {
      if (this.#isDuplicate(stream, frame)) return this.#duplicate();
      this.#tracker.record(stream, frame.seq ?? 0);
    }
    const result = this.#reassembler.add(
      key,
      frame.flags,
      frame.fragmentIndex ?? 0,
      frame.fragmentCount ?? 0,
      frame.payload,
    );
    switch (result.status) {
      case "pending":
        return outcome("framed", { pending: true });
      case "duplicate":
        return this.#duplicate();
      case "rejected":
        return outcome("framed", { rejected: result.reason });
      case "complete":
        if (result.payload.length > this.#maxMessageBytes) {
          return outcome("framed", { rejected: "too-large" });
        }
        return this.#payload("framed", result.payload, compressed);
    }
  }

  #isDuplicate(stream: string, frame: Frame): boolean {
    const signed = (frame.flags & Flag.SIGNED) !== 0;
    return this.#tracker.seen(stream, frame.seq ?? 0, signed);
  }

  #duplicate(): DecodeOutcome {
    this.#duplicates++;
    return outcome("framed", { duplicate: true });
  }

  #payload(kind: DatagramKind, bytes: Uint8Array, compressed: boolean): DecodeOutcome {
    let text = bytes;
    if (!compressed && bytes.length > this.#maxDecompressedBytes) {
      return outcome(kind, { rejected: "too-large" });
    }
    if (compressed) {
      this.#stage = "inflate";
      const inflated = inflateCapped(bytes, this.#maxDecompressedBytes);
      if (!inflated.ok) return outcome(kind, { rejected: inflated.reason });
      text = inflated.value;
    }
    this.#stage = "parse";
    const parsed = parsePayload(text, this.#limits);
    if (!parsed.ok) return outcome(kind, { rejected: parsed.reason });
    return outcome(kind, {
      entries: parsed.value.entries,
      invalidEntries: parsed.value.invalidEntries,
    });
  }
}
