/**
 * A zlib compressor that keeps one zlib stream for all its calls, for a
 * thread that compresses batch after batch at one level: the client's
 * splitting thread (split-worker.ts), and its main thread for the batches
 * it compresses itself (small ones, or all without the thread).
 * node:zlib's deflateSync builds a stream object, a native zlib
 * context and a 16 KiB output chunk for each call, and closes them after:
 * here one context is reset between calls (deflateReset, which gives the
 * same bytes as a fresh context), the output goes into one scratch buffer
 * that grows as needed, and each result is copied out into a buffer of its
 * own, of exactly its size.
 *
 * It drives the context in place (wire/zlib-engine.ts): when node:zlib's
 * engine is not as expected, or when the first compression of a sample
 * differs from deflateSync's, it is deflateSync itself. A call that fails
 * makes it deflateSync from then on.
 */
import { createDeflate, deflateSync } from "node:zlib";
import { engineSample, zlibEngine } from "../wire/zlib-engine.js";

export type Deflate = (data: Uint8Array) => Uint8Array;

const MIN_SCRATCH_BYTES = 16 * 1024;
/** A scratch buffer grown past this for a large payload is not kept for the next. */
const MAX_KEPT_SCRATCH_BYTES = 256 * 1024;

/** One compressor per level asked for on this thread (a run asks for one). */
const compressors = new Map<number, Deflate>();

/**
 * deflateSync's bytes of `data` at `level`, from one reusedDeflate per
 * level kept for the calling thread: what the client compresses on its
 * main thread and on its compression thread. A context is used by one
 * call at a time, as the calls are synchronous.
 */
export function threadDeflate(data: Uint8Array, level: number): Uint8Array {
  let deflate = compressors.get(level);
  if (deflate === undefined) {
    deflate = reusedDeflate(level);
    compressors.set(level, deflate);
  }
  return deflate(data);
}

/** A zlib compressor at `level` (0 to 9), giving exactly what deflateSync gives. */
export function reusedDeflate(level: number): Deflate {
  const fallback: Deflate = (data) => deflateSync(data, { level });
  const context = openContext(level);
  if (context === undefined) return fallback;
  let broken = false;
  const deflate: Deflate = (data) => {
    if (broken) return fallback(data);
    try {
      return context.deflate(data);
    } catch {
      broken = true;
      return fallback(data);
    }
  };
  try {
    const sample = engineSample();
    if (Buffer.compare(deflate(sample), fallback(sample)) !== 0) return fallback;
  } catch {
    return fallback;
  }
  return broken ? fallback : deflate;
}

/** One zlib context driven in place; undefined when node:zlib's engine is not as expected. */
function openContext(level: number): { deflate: Deflate } | undefined {
  const zlib = zlibEngine(createDeflate({ level }));
  if (zlib === undefined) return undefined;
  let scratch: Uint8Array<ArrayBuffer> = new Uint8Array(MIN_SCRATCH_BYTES);
  const deflate: Deflate = (data) => {
    let inOffset = 0;
    let inLeft = data.length;
    let written = 0;
    for (;;) {
      if (scratch.length - written < 64) scratch = grown(scratch, written);
      const room = scratch.length - written;
      // A failure is thrown from the call: reusedDeflate then falls back to deflateSync.
      if (!zlib.finish(data, inOffset, inLeft, scratch, written, room)) {
        throw new Error("zlib failed to compress");
      }
      const outLeft = zlib.outLeft;
      inOffset += inLeft - zlib.inLeft;
      inLeft = zlib.inLeft;
      written += room - outLeft;
      // Room left over: the stream is finished.
      if (outLeft > 0) break;
    }
    zlib.reset();
    const result = scratch.slice(0, written);
    if (scratch.length > MAX_KEPT_SCRATCH_BYTES) scratch = new Uint8Array(MIN_SCRATCH_BYTES);
    return result;
  };
  return { deflate };
}

/** `buffer` twice as large, its first `used` bytes kept. */
function grown(buffer: Uint8Array, used: number): Uint8Array<ArrayBuffer> {
  const larger = new Uint8Array(buffer.length * 2);
  larger.set(buffer.subarray(0, used));
  return larger;
}
