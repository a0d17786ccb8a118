import { InvalidOptionError } from "../../foundation/errors.js";
import { systemWallClock } from "../../foundation/time.js";
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
import { verifyDatagramTag } from "../sign.js";
import type { DatagramKind, DecodeOutcome, Frame } from "../types.js";
import type { DecoderOptions, DecoderStats } from "./decoder-options.js";
import { classify } from "./detect.js";
import type { ForeignFormats } from "./foreign.js";
import { Reassembler } from "./reassembler.js";
import { SequenceTracker } from "./sequence.js";

export type { DecoderOptions, DecoderStats } from "./decoder-options.js";

function checkedLimits(limits: JsonLimits): JsonLimits {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidOptionError(`limits.${name} must be a positive integer, got ${value}`);
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
 * inflate, parse; for the others, the foreign formats. `decode` never
 * throws: whatever the bytes, the answer is entries, a pending fragment, a
 * duplicate, or one rejection reason; an exception inside decoding (a bug,
 * never the sender's fault) is `internal-error`, reported to onInternalError.
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
  readonly #formats: ForeignFormats;
  readonly #onInternalError: ((error: unknown, kind: DatagramKind) => void) | undefined;
  readonly #redeliver: ((stream: string, seq: number) => boolean) | undefined;
  #duplicates = 0;
  #lostAtFinish = 0;

  constructor(options: DecoderOptions) {
    this.#keys = Object.freeze([...(options.keys ?? [])]);
    this.#accept = new Set(options.accept ?? DEFAULT_ACCEPTED_KINDS);
    this.#wallClock = options.wallClock ?? systemWallClock;
    this.#maxDecompressedBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#limits = checkedLimits(options.limits ?? DEFAULT_JSON_LIMITS);
    if (!Number.isSafeInteger(this.#maxDecompressedBytes) || this.#maxDecompressedBytes < 1) {
      throw new InvalidOptionError("maxDecompressedBytes must be a positive integer");
    }
    this.#tracker = new SequenceTracker({ now: options.now });
    this.#reassembler = new Reassembler({
      now: options.now,
      maxMessageBytes: this.#maxMessageBytes,
      maxHeldBytes: options.maxHeldFragmentBytes ?? MAX_FRAGMENT_HELD_BYTES,
    });
    this.#formats = options.formats;
    this.#onInternalError = options.onInternalError;
    this.#redeliver = options.redeliver;
  }

  decode(datagram: Uint8Array): DecodeOutcome {
    let kind: DatagramKind = "unknown";
    try {
      const detection = classify(datagram, this.#accept);
      kind = detection.kind;
      if (kind === "unknown") return outcome(kind, { rejected: "unknown-format" });
      if (kind === "framed") return this.#framed(datagram);
      if (this.#keys.length > 0) return outcome(kind, { rejected: "unauthenticated" });
      const out = this.#formats.decode(datagram, detection, this.#wallClock());
      if (out.duplicate) this.#duplicates++;
      return out;
    } catch (error) {
      try {
        this.#onInternalError?.(error, kind);
      } catch {
        // Reporting a bug must not make decode throw.
      }
      return outcome(kind, { rejected: "internal-error" });
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

  /** Counts timed-out gaps, fragmented messages and the formats' as lost; forgets idle streams. */
  sweep(): void {
    this.#tracker.sweep();
    this.#reassembler.sweep();
    this.#formats.sweep();
  }

  /** At shutdown: every open gap and every message still waiting for fragments or chunks is lost. */
  finish(): void {
    this.#tracker.finish();
    this.#lostAtFinish = this.#reassembler.partials;
    this.#formats.finish();
  }

  get stats(): DecoderStats {
    const formats = this.#formats.stats;
    let lost = this.#tracker.lost + this.#reassembler.lost + this.#lostAtFinish;
    let partials = this.#reassembler.partials;
    let reassemblyBytes = this.#reassembler.heldBytes;
    for (const format of Object.values(formats)) {
      lost += format.lost;
      partials += format.partials;
      reassemblyBytes += format.reassemblyBytes;
    }
    return {
      lost,
      duplicates: this.#duplicates,
      reordered: this.#tracker.reordered,
      late: this.#tracker.late,
      streams: this.#tracker.streams,
      partials,
      reassemblyBytes,
      formats,
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
    const out = this.#sequenced(stream, frame, frame.seq, compressed);
    if ((frame.flags & Flag.ACK_REQUESTED) === 0) return out;
    return { ...out, ackRequested: { stream, seq: frame.seq } };
  }

  #sequenced(stream: string, frame: Frame, seq: number, compressed: boolean): DecodeOutcome {
    if (frame.fragmentCount !== undefined) return this.#fragment(stream, frame, compressed);
    if (this.#isDuplicate(stream, frame)) return this.#duplicate();
    this.#tracker.record(stream, seq);
    return this.#payload("framed", frame.payload, compressed, { stream, seq });
  }

  #fragment(stream: string, frame: Frame, compressed: boolean): DecodeOutcome {
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
        return this.#payload("framed", result.payload, compressed, {
          stream,
          seq: frame.seq ?? 0,
        });
    }
  }

  #isDuplicate(stream: string, frame: Frame): boolean {
    const signed = (frame.flags & Flag.SIGNED) !== 0;
    const seq = frame.seq ?? 0;
    return this.#tracker.seen(stream, seq, signed) && !(this.#redeliver?.(stream, seq) ?? false);
  }

  #duplicate(): DecodeOutcome {
    this.#duplicates++;
    return outcome("framed", { duplicate: true });
  }

  #payload(
    kind: DatagramKind,
    bytes: Uint8Array,
    compressed: boolean,
    sequence?: { readonly stream: string; readonly seq: number },
  ): DecodeOutcome {
    let text = bytes;
    if (!compressed && bytes.length > this.#maxDecompressedBytes) {
      return outcome(kind, { rejected: "too-large" });
    }
    if (compressed) {
      const inflated = inflateCapped(bytes, this.#maxDecompressedBytes);
      if (!inflated.ok) return outcome(kind, { rejected: inflated.reason });
      text = inflated.value;
    }
    const parsed = parsePayload(text, this.#limits);
    if (!parsed.ok) return outcome(kind, { rejected: parsed.reason });
    return outcome(kind, {
      entries: parsed.value.entries,
      invalidEntries: parsed.value.invalidEntries,
      ...sequence,
    });
  }
}
