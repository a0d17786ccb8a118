import { InvalidOptionError } from "../foundation/errors.js";
import {
  FLAGS_BYTES,
  Flag,
  FRAGMENT_HEADER_BYTES,
  MAGIC,
  MAGIC_BYTES,
  MAX_FRAGMENT_COUNT,
  MIN_FRAGMENT_COUNT,
  RESERVED_FLAGS,
  SEQUENCE_HEADER_BYTES,
  STREAM_ID_BYTES,
  TAG_BYTES,
} from "./constants.js";
import { signTag } from "./sign.js";
import type { Frame, Result } from "./types.js";

/** What to put around a payload. Each optional part turns on its flag. */
export interface FrameSpec {
  /** Sets COMPRESSED: the payload is a zlib stream. */
  compressed: boolean;
  /** 8 bytes naming the sender's run; sets SEQUENCED (and then `seq` is required). */
  stream?: Uint8Array;
  /** uint32 message number; only with `stream`. */
  seq?: number;
  /** 0-based fragment index; only with `fragmentCount`. */
  fragmentIndex?: number;
  /** Sets FRAGMENT: 2..4096 fragments; only with `stream`. */
  fragmentCount?: number;
  /** Sets SIGNED: a 16-byte HMAC-SHA256 tag is appended; only with `stream`. */
  key?: Uint8Array;
  /** Sets ACK_REQUESTED: the receiver is asked to acknowledge the message; only with `stream`. */
  ackRequested?: boolean;
}

const FIXED_BYTES = MAGIC_BYTES + FLAGS_BYTES;
const FRAGMENT_OFFSET = FIXED_BYTES + SEQUENCE_HEADER_BYTES;
const UINT32_MAX = 0xffff_ffff;

function isUint(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function checkSpec(spec: Omit<FrameSpec, "compressed">): void {
  const { stream, seq, fragmentIndex, fragmentCount, key } = spec;
  if (stream === undefined) {
    if (seq !== undefined) throw new InvalidOptionError("seq needs a stream");
    if (spec.ackRequested === true) {
      throw new InvalidOptionError("ackRequested needs a stream (only valid with SEQUENCED)");
    }
    if (fragmentCount !== undefined || fragmentIndex !== undefined) {
      throw new InvalidOptionError(
        "fragments need a stream (FRAGMENT is only valid with SEQUENCED)",
      );
    }
    if (key !== undefined)
      throw new InvalidOptionError("a key needs a stream (SIGNED is only valid with SEQUENCED)");
    return;
  }
  if (stream.length !== STREAM_ID_BYTES)
    throw new InvalidOptionError(`stream must be ${STREAM_ID_BYTES} bytes`);
  if (seq === undefined || !isUint(seq, UINT32_MAX))
    throw new InvalidOptionError("seq must be a uint32");
  if ((fragmentCount === undefined) !== (fragmentIndex === undefined)) {
    throw new InvalidOptionError("fragmentIndex and fragmentCount go together");
  }
  if (fragmentCount !== undefined && fragmentIndex !== undefined) {
    if (!isUint(fragmentCount, MAX_FRAGMENT_COUNT) || fragmentCount < MIN_FRAGMENT_COUNT) {
      throw new InvalidOptionError(
        `fragmentCount must be ${MIN_FRAGMENT_COUNT}..${MAX_FRAGMENT_COUNT}`,
      );
    }
    if (!isUint(fragmentIndex, fragmentCount - 1)) {
      throw new InvalidOptionError("fragmentIndex must be 0..fragmentCount-1");
    }
  }
  if (key !== undefined && key.length === 0) throw new InvalidOptionError("key must not be empty");
}

function overheadOf(spec: Omit<FrameSpec, "compressed">): number {
  return (
    FIXED_BYTES +
    (spec.stream !== undefined ? SEQUENCE_HEADER_BYTES : 0) +
    (spec.fragmentCount !== undefined ? FRAGMENT_HEADER_BYTES : 0) +
    (spec.key !== undefined ? TAG_BYTES : 0)
  );
}

/** Bytes the spec adds around a payload: magic, flags, headers and tag. */
export function frameOverhead(spec: Omit<FrameSpec, "compressed">): number {
  checkSpec(spec);
  return overheadOf(spec);
}

/** Builds one framed datagram. Throws TypeError on a spec the wire cannot carry. */
export function encodeFrame(spec: FrameSpec, payload: Uint8Array): Uint8Array {
  checkSpec(spec);
  const { stream, seq, fragmentIndex, fragmentCount, key } = spec;
  const out = new Uint8Array(overheadOf(spec) + payload.length);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out.set(MAGIC, 0);
  let flags = spec.compressed ? Flag.COMPRESSED : 0;
  let offset = FIXED_BYTES;
  if (stream !== undefined && seq !== undefined) {
    flags |= Flag.SEQUENCED;
    out.set(stream, offset);
    view.setUint32(offset + STREAM_ID_BYTES, seq);
    offset += SEQUENCE_HEADER_BYTES;
  }
  if (fragmentCount !== undefined && fragmentIndex !== undefined) {
    flags |= Flag.FRAGMENT;
    view.setUint16(offset, fragmentIndex);
    view.setUint16(offset + 2, fragmentCount);
    offset += FRAGMENT_HEADER_BYTES;
  }
  if (key !== undefined) flags |= Flag.SIGNED;
  if (spec.ackRequested === true) flags |= Flag.ACK_REQUESTED;
  out[MAGIC_BYTES] = flags;
  out.set(payload, offset);
  offset += payload.length;
  if (key !== undefined) out.set(signTag(key, out.subarray(0, offset)), offset);
  return out;
}

/** Reserved bits and ACK (an acknowledgement is never a frame) are refused. */
function checkFlags(flags: number): boolean {
  if ((flags & (RESERVED_FLAGS | Flag.ACK)) !== 0) return false;
  const needsSequence = Flag.FRAGMENT | Flag.SIGNED | Flag.ACK_REQUESTED;
  return (flags & needsSequence) === 0 || (flags & Flag.SEQUENCED) !== 0;
}

/**
 * Parses the header of a framed datagram. Checks, in order: magic
 * (`unknown-format`), a flags byte present (`bad-frame`), flags
 * (`unsupported-flags`), length against the announced headers and tag
 * (`bad-frame`), fragment index and count (`bad-fragment`). An empty payload
 * is not a framing error. `payload`, `tag` and `signedBytes` are views into
 * the datagram, not copies.
 */
export function decodeFrame(datagram: Uint8Array): Result<Frame> {
  if (datagram[0] !== MAGIC[0] || datagram[1] !== MAGIC[1]) {
    return { ok: false, reason: "unknown-format" };
  }
  const flags = datagram[MAGIC_BYTES];
  if (flags === undefined) return { ok: false, reason: "bad-frame" };
  if (!checkFlags(flags)) return { ok: false, reason: "unsupported-flags" };
  const sequenced = (flags & Flag.SEQUENCED) !== 0;
  const fragment = (flags & Flag.FRAGMENT) !== 0;
  const signed = (flags & Flag.SIGNED) !== 0;
  const headerEnd =
    FIXED_BYTES + (sequenced ? SEQUENCE_HEADER_BYTES : 0) + (fragment ? FRAGMENT_HEADER_BYTES : 0);
  const payloadEnd = datagram.length - (signed ? TAG_BYTES : 0);
  if (payloadEnd < headerEnd) return { ok: false, reason: "bad-frame" };
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  // FRAGMENT implies SEQUENCED, so every header sits at a fixed offset.
  const fragmentIndex = fragment ? view.getUint16(FRAGMENT_OFFSET) : undefined;
  const fragmentCount = fragment ? view.getUint16(FRAGMENT_OFFSET + 2) : undefined;
  if (fragmentIndex !== undefined && fragmentCount !== undefined) {
    const countOk = fragmentCount >= MIN_FRAGMENT_COUNT && fragmentCount <= MAX_FRAGMENT_COUNT;
    if (!countOk || fragmentIndex >= fragmentCount) return { ok: false, reason: "bad-fragment" };
  }
  const frame: Frame = {
    flags,
    stream: sequenced ? datagram.subarray(FIXED_BYTES, FIXED_BYTES + STREAM_ID_BYTES) : undefined,
    seq: sequenced ? view.getUint32(FIXED_BYTES + STREAM_ID_BYTES) : undefined,
    fragmentIndex,
    fragmentCount,
    payload: datagram.subarray(headerEnd, payloadEnd),
    tag: signed ? datagram.subarray(payloadEnd) : undefined,
    signedBytes: signed ? datagram.subarray(0, payloadEnd) : undefined,
  };
  return { ok: true, value: frame };
}
