/**
 * Sequenced traffic: valid batches, duplicates sent back to back, signed
 * replays older than the window, seq wrap-around and half-space jumps.
 */
import { compress, encodeFrame } from "../../src/wire/index.js";
import { type Context, envelope, FUZZ_KEY, utf8 } from "./envelope.js";
import { randomBatch } from "./texts.js";

const ENTRY = utf8('[{"message":"seq"}]');

function sequenced(ctx: Context, stream: Uint8Array, seq: number, signed: boolean): Uint8Array {
  const compressed = ctx.rng.chance(0.5);
  const body = compressed ? compress(ENTRY) : ENTRY;
  const spec = { compressed, stream, seq: seq >>> 0 };
  return encodeFrame(signed ? { ...spec, key: FUZZ_KEY } : spec, body);
}

/** A valid batch in any envelope (bare, framed, sequenced, signed, compressed or not). */
export function validBatch(ctx: Context): Uint8Array {
  return envelope(ctx, randomBatch(ctx.rng));
}

/** One datagram sent two or three times in a row: the repeats are duplicates when sequenced. */
export function duplicates(ctx: Context): Uint8Array[] {
  const datagram = envelope(ctx, randomBatch(ctx.rng), ctx.rng.pick(["seq", "seq-zlib", "signed"]));
  return ctx.rng.chance(0.5) ? [datagram, datagram] : [datagram, datagram, datagram];
}

/**
 * seq s, then s + 1500 (past the 1024 window), then s again: a replay when
 * signed (duplicate), accepted when not.
 */
export function replay(ctx: Context): Uint8Array[] {
  const stream = ctx.streams.next();
  const signed = ctx.rng.chance(0.5);
  const first = ctx.rng.uint32();
  const old = sequenced(ctx, stream, first, signed);
  return [old, sequenced(ctx, stream, first + 1500, signed), old];
}

/** Seqs across the wrap and the half space: 2^32 - 1 then 0, jumps of 2^31 - 1 and 2^31. */
export function seqEdges(ctx: Context): Uint8Array[] {
  const stream = ctx.streams.next();
  const signed = ctx.rng.chance(0.3);
  const plans = [
    [0xffff_fffe, 0xffff_ffff, 0, 1],
    [0, 0x7fff_ffff, 0xffff_ffff],
    [5, 5 + 0x8000_0000, 5],
    [100, 99, 98, 1124, 97, 100],
    [0, 1023, 1024, 1, 0],
  ];
  return ctx.rng.pick(plans).map((seq) => sequenced(ctx, stream, seq, signed));
}
