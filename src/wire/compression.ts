import { deflateSync, gunzipSync, inflateSync, type ZlibOptions } from "node:zlib";
import { OptionRangeError } from "../foundation/errors.js";
import { CHUNK_BYTES, type InflateResult, keptInflate } from "./kept-inflate.js";

/** zlib (RFC 1950) compression level used when none is given. */
export const DEFAULT_COMPRESSION_LEVEL = 6;

/** Compresses to a zlib stream (RFC 1950: 2-byte header, deflate data, Adler-32). */
export function compress(data: Uint8Array, level: number = DEFAULT_COMPRESSION_LEVEL): Uint8Array {
  return deflateSync(data, { level });
}

interface InflateInfo {
  readonly buffer: Buffer;
  readonly engine: { readonly bytesWritten: number };
}

type Decompress = (data: Uint8Array, options: ZlibOptions) => Buffer;

/**
 * The engine's output chunk, the kept stream's (kept-inflate.ts): a batch
 * of a hundred entries inflates into one chunk rather than several joined
 * at the end. Never more than the cap.
 */
const MAX_CHUNK_BYTES = CHUNK_BYTES;
/** zlib's smallest chunk (Z_MIN_CHUNK). */
const MIN_CHUNK_BYTES = 64;

function checkCap(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new OptionRangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
}

/** Runs a node:zlib decompressor with an output cap and a trailing-byte check. */
function decompressCapped(
  decompress: Decompress,
  data: Uint8Array,
  maxBytes: number,
): InflateResult {
  checkCap(maxBytes);
  let info: InflateInfo;
  try {
    const chunkSize = Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, maxBytes));
    info = decompress(data, {
      maxOutputLength: maxBytes,
      info: true,
      chunkSize,
    }) as unknown as InflateInfo;
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      ok: false,
      reason: code === "ERR_BUFFER_TOO_LARGE" ? "too-large" : "invalid-compression",
    };
  }
  if (info.engine.bytesWritten !== data.length) return { ok: false, reason: "invalid-compression" };
  return { ok: true, value: info.buffer };
}

/**
 * Inflates a zlib stream, stopping as soon as the output passes `maxBytes`.
 *
 * - output of exactly `maxBytes` is accepted; one byte more is `too-large`;
 * - a bad header, bad deflate data, a wrong Adler-32, a truncated stream, an
 *   empty input, or any byte after the end of the stream is `invalid-compression`.
 *
 * While inflating, memory held is the output so far (at most `maxBytes`) plus
 * one output chunk of 64 KiB. The inflation runs on a zlib stream the
 * thread keeps from call to call (kept-inflate.ts), else on a fresh one
 * (inflateCappedFresh), with the same result.
 */
export function inflateCapped(data: Uint8Array, maxBytes: number): InflateResult {
  checkCap(maxBytes);
  return keptInflate(data, maxBytes) ?? inflateCappedFresh(data, maxBytes);
}

/** inflateCapped on a zlib stream of its own (node:zlib's inflateSync). */
export function inflateCappedFresh(data: Uint8Array, maxBytes: number): InflateResult {
  return decompressCapped(inflateSync, data, maxBytes);
}

/**
 * Decompresses gzip (RFC 1952) under the same rules as `inflateCapped`: the
 * output cap, and `invalid-compression` for a bad header, bad data, a wrong
 * CRC-32 or length, a truncated or empty input, or any byte after the last
 * member. Several members back to back are one stream, as RFC 1952 allows.
 */
export function gunzipCapped(data: Uint8Array, maxBytes: number): InflateResult {
  return decompressCapped(gunzipSync, data, maxBytes);
}
