/**
 * inflateCapped's work (compression.ts) on one zlib stream kept for all the
 * calls of a thread. node:zlib's inflateSync builds a stream object, a
 * native zlib context and a 64 KiB output chunk for every call, which
 * costs more than inflating a datagram of a few hundred bytes: here one
 * context is reset between calls (inflateReset) and inflates into a 64 KiB
 * output chunk the thread keeps; an output that passes it goes on into
 * chunks of its own, each at most 64 KiB and none past the cap, joined at
 * the end. Each result is a buffer of its own. A zlib error (bad data, a
 * wrong checksum, a truncated stream) leaves the context usable once
 * reset, as it is at the next call.
 *
 * It drives the context in place (zlib-engine.ts): when node:zlib's engine
 * is not as expected, or the context's result for a sample differs from
 * inflateSync's, or a call throws, keptInflate gives undefined and the
 * caller inflates with inflateSync.
 */
import { createInflate, deflateSync, inflateSync } from "node:zlib";
import type { Result } from "./types.js";
import { engineSample, type ZlibEngine, zlibEngine } from "./zlib-engine.js";

/** What a capped decompression gives (compression.ts): the output, or why there is none. */
export type InflateResult = Result<Uint8Array, "too-large" | "invalid-compression">;

/** Bytes of the kept output chunk, and of each further one. */
export const CHUNK_BYTES = 64 * 1024;

type Inflater = (data: Uint8Array, maxBytes: number) => InflateResult;

/** This thread's context: undefined until the first call, null once it cannot be used. */
let kept: Inflater | null | undefined;

/**
 * The inflation of `data` (a zlib stream) capped at `maxBytes` (a positive
 * integer), on this thread's kept context; undefined when there is none
 * to use, for the caller to inflate otherwise.
 */
export function keptInflate(data: Uint8Array, maxBytes: number): InflateResult | undefined {
  if (kept === undefined) kept = openContext() ?? null;
  if (kept === null) return undefined;
  try {
    return kept(data, maxBytes);
  } catch {
    kept = null;
    return undefined;
  }
}

/** A kept context, checked against inflateSync on a sample; undefined when it cannot be used. */
function openContext(): Inflater | undefined {
  const engine = zlibEngine(createInflate());
  if (engine === undefined) return undefined;
  const inflate = contextInflater(engine);
  try {
    const text = engineSample();
    const sample = deflateSync(text);
    const ours = inflate(sample, text.length);
    if (!ours.ok || Buffer.compare(ours.value, inflateSync(sample)) !== 0) return undefined;
    if (inflate(sample.subarray(0, -1), text.length).ok) return undefined;
  } catch {
    return undefined;
  }
  return inflate;
}

function contextInflater(zlib: ZlibEngine): Inflater {
  const scratch = Buffer.allocUnsafe(CHUNK_BYTES);
  return (data, maxBytes) => {
    zlib.reset();
    // One byte past the cap is how an output too large is told.
    const limit = maxBytes + 1;
    const chunks: Buffer[] = [];
    let chunk = scratch;
    let written = 0;
    let total = 0;
    let inOffset = 0;
    let inLeft = data.length;
    for (;;) {
      if (written === chunk.length) {
        chunks.push(chunk);
        chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit - total));
        written = 0;
      }
      const room = Math.min(chunk.length - written, limit - total);
      if (!zlib.finish(data, inOffset, inLeft, chunk, written, room)) {
        return { ok: false, reason: "invalid-compression" };
      }
      const outLeft = zlib.outLeft;
      inOffset += inLeft - zlib.inLeft;
      inLeft = zlib.inLeft;
      written += room - outLeft;
      total += room - outLeft;
      if (total > maxBytes) return { ok: false, reason: "too-large" };
      // Room left over: the stream ended (zlib reports a stream that stops short as an error).
      if (outLeft > 0) break;
    }
    // Bytes after the end of the stream.
    if (inLeft > 0) return { ok: false, reason: "invalid-compression" };
    if (chunks.length === 0) return { ok: true, value: Buffer.from(chunk.subarray(0, written)) };
    chunks.push(chunk.subarray(0, written));
    return { ok: true, value: Buffer.concat(chunks, total) };
  };
}
