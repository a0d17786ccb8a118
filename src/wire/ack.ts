/**
 * The acknowledgement datagram (PROTOCOL.md section 6), sent by a server to
 * a client:
 *
 *   CB F2 | flags 0x80 (ACK) or 0x88 (ACK|SIGNED) | stream (8) |
 *   count n (uint16 BE, 1..512) | n x (first, last: uint32 BE) | tag (16, when SIGNED)
 *
 * A range covers first, first + 1, ... last modulo 2^32 (it may wrap) and
 * fewer than 2^31 seqs. Decoding never throws: any bytes give an Ack or the
 * reason it is ignored, so a receiver can count what it ignores by reason.
 */
import { InvalidOptionError } from "../foundation/errors.js";
import { Flag, MAGIC, SEQ_MODULO, STREAM_ID_BYTES, TAG_BYTES } from "./constants.js";
import { MAX_RANGE_SEQS, rangeSize, type SeqRange } from "./seq-ranges.js";
import { signTag, verifyDatagramTag } from "./sign.js";

/** Most ranges in one acknowledgement. */
export const MAX_ACK_RANGES = 512;
/** Magic, flags, stream and count. */
export const ACK_HEADER_BYTES = 2 + 1 + STREAM_ID_BYTES + 2;
/** first and last, uint32 BE each. */
export const ACK_RANGE_BYTES = 8;

export interface Ack {
  readonly stream: Uint8Array;
  readonly ranges: readonly SeqRange[];
  /** True when the datagram carried a tag (checked when keys were given). */
  readonly signed: boolean;
}

/**
 * Why a datagram is not taken as an acknowledgement; the same strings in the
 * client's summary (`ignored_acks`), metrics and docs.
 */
export const ACK_IGNORE_REASONS = [
  /** Not `CB F2` with the ACK bit: not an acknowledgement at all. */
  "not-ack",
  /** ACK with a flag other than SIGNED. */
  "bad-flags",
  /** Length does not match the count of ranges (and tag), or a count of 0 or over 512. */
  "malformed",
  /** A range covering 2^31 seqs or more. */
  "bad-range",
  /** The receiver has a key and the acknowledgement is not SIGNED. */
  "unsigned",
  /** SIGNED, but the tag matches none of the receiver's keys. */
  "bad-tag",
  /** Well-formed, but for a stream the receiver does not send. */
  "other-stream",
] as const;

export type AckIgnoreReason = (typeof ACK_IGNORE_REASONS)[number];

export type AckResult =
  | { readonly ok: true; readonly ack: Ack }
  | { readonly ok: false; readonly reason: AckIgnoreReason };

export interface AckExpectations {
  /** Only acknowledgements of this stream are taken. */
  readonly stream?: Uint8Array;
  /** When non-empty, only acknowledgements signed with one of these keys are taken. */
  readonly keys?: readonly Uint8Array[];
}

function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < SEQ_MODULO;
}

function checkAck(stream: Uint8Array, ranges: readonly SeqRange[], key?: Uint8Array): void {
  if (stream.length !== STREAM_ID_BYTES) {
    throw new InvalidOptionError(`stream must be ${STREAM_ID_BYTES} bytes`);
  }
  if (ranges.length < 1 || ranges.length > MAX_ACK_RANGES) {
    throw new InvalidOptionError(`an acknowledgement carries 1..${MAX_ACK_RANGES} ranges`);
  }
  for (const { first, last } of ranges) {
    if (!isUint32(first) || !isUint32(last)) throw new InvalidOptionError("seqs must be uint32");
    if (rangeSize({ first, last }) > MAX_RANGE_SEQS) {
      throw new InvalidOptionError("a range must cover fewer than 2^31 seqs");
    }
  }
  if (key !== undefined && key.length === 0) throw new InvalidOptionError("key must not be empty");
}

/** One acknowledgement datagram; signed when `key` is given. Throws on what the wire cannot carry. */
export function encodeAck(
  stream: Uint8Array,
  ranges: readonly SeqRange[],
  key?: Uint8Array,
): Uint8Array {
  checkAck(stream, ranges, key);
  const body = ACK_HEADER_BYTES + ranges.length * ACK_RANGE_BYTES;
  const out = new Uint8Array(body + (key === undefined ? 0 : TAG_BYTES));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[2] = key === undefined ? Flag.ACK : Flag.ACK | Flag.SIGNED;
  out.set(stream, 3);
  view.setUint16(3 + STREAM_ID_BYTES, ranges.length);
  let offset = ACK_HEADER_BYTES;
  for (const { first, last } of ranges) {
    view.setUint32(offset, first);
    view.setUint32(offset + 4, last);
    offset += ACK_RANGE_BYTES;
  }
  if (key !== undefined) out.set(signTag(key, out.subarray(0, body)), body);
  return out;
}

/** As many acknowledgements as the ranges need, MAX_ACK_RANGES in each. */
export function encodeAcks(
  stream: Uint8Array,
  ranges: readonly SeqRange[],
  key?: Uint8Array,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < ranges.length; i += MAX_ACK_RANGES) {
    out.push(encodeAck(stream, ranges.slice(i, i + MAX_ACK_RANGES), key));
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Reads an acknowledgement. Checks, in order: magic and ACK bit (`not-ack`),
 * no flag but SIGNED beside it (`bad-flags`), a SIGNED one when keys are
 * given (`unsigned`), count and length (`malformed`), the tag under the keys
 * (`bad-tag`), the stream (`other-stream`), the ranges (`bad-range`). With
 * no keys a tag is not checked (as a server with no key treats signed
 * datagrams). Never throws.
 */
export function decodeAck(datagram: Uint8Array, expect: AckExpectations = {}): AckResult {
  const flags = datagram[2];
  if (datagram[0] !== MAGIC[0] || datagram[1] !== MAGIC[1] || flags === undefined) {
    return { ok: false, reason: "not-ack" };
  }
  if ((flags & Flag.ACK) === 0) return { ok: false, reason: "not-ack" };
  if ((flags & ~(Flag.ACK | Flag.SIGNED)) !== 0) return { ok: false, reason: "bad-flags" };
  const signed = (flags & Flag.SIGNED) !== 0;
  const keys = expect.keys ?? [];
  if (keys.length > 0 && !signed) return { ok: false, reason: "unsigned" };
  if (datagram.length < ACK_HEADER_BYTES) return { ok: false, reason: "malformed" };
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  const count = view.getUint16(3 + STREAM_ID_BYTES);
  const length = ACK_HEADER_BYTES + count * ACK_RANGE_BYTES + (signed ? TAG_BYTES : 0);
  if (count < 1 || count > MAX_ACK_RANGES || datagram.length !== length) {
    return { ok: false, reason: "malformed" };
  }
  if (keys.length > 0 && !verifyDatagramTag(keys, datagram))
    return { ok: false, reason: "bad-tag" };
  const stream = datagram.subarray(3, 3 + STREAM_ID_BYTES);
  if (expect.stream !== undefined && !sameBytes(stream, expect.stream)) {
    return { ok: false, reason: "other-stream" };
  }
  const ranges: SeqRange[] = [];
  for (let offset = ACK_HEADER_BYTES, i = 0; i < count; i++, offset += ACK_RANGE_BYTES) {
    const range = { first: view.getUint32(offset), last: view.getUint32(offset + 4) };
    if (rangeSize(range) > MAX_RANGE_SEQS) return { ok: false, reason: "bad-range" };
    ranges.push(range);
  }
  return { ok: true, ack: { stream, ranges, signed } };
}
