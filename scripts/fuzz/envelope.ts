/**
 * Ways a payload travels: bare, framed with each valid flag combination, and
 * fresh stream ids so that sequenced datagrams of different cases never share
 * a stream (their outcome then depends only on their order, not on timers).
 */
import { compress, encodeFrame, type FrameSpec } from "../../src/wire/index.js";
import type { Prng } from "./prng.js";

/** The largest UDP payload over IPv4. */
export const MAX_DATAGRAM = 65_507;
/** The key the golden signed fixtures use; the fuzzed server has no key and ignores tags. */
export const FUZZ_KEY = new TextEncoder().encode("k3y");

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Unique 8-byte stream ids: 4 seeded random bytes then a counter. */
export class StreamIds {
  readonly #prefix: number;
  #counter = 0;

  constructor(rng: Prng) {
    this.#prefix = rng.uint32();
  }

  next(): Uint8Array {
    const id = new Uint8Array(8);
    const view = new DataView(id.buffer);
    view.setUint32(0, this.#prefix);
    view.setUint32(4, this.#counter);
    this.#counter = (this.#counter + 1) >>> 0;
    return id;
  }
}

/** Shared state of one corpus: its random source and stream ids. */
export interface Context {
  readonly rng: Prng;
  readonly streams: StreamIds;
}

export type Mode = "bare" | "plain" | "zlib" | "seq" | "seq-zlib" | "signed" | "signed-zlib";
const MODES: readonly Mode[] = [
  "bare",
  "plain",
  "zlib",
  "seq",
  "seq-zlib",
  "signed",
  "signed-zlib",
];

/** The frame spec of a mode (not "bare"), with a fresh stream for sequenced modes. */
export function specOf(ctx: Context, mode: Exclude<Mode, "bare">): FrameSpec {
  const compressed = mode.endsWith("zlib");
  if (mode === "plain" || mode === "zlib") return { compressed };
  const spec: FrameSpec = { compressed, stream: ctx.streams.next(), seq: ctx.rng.uint32() };
  return mode.startsWith("signed") ? { ...spec, key: FUZZ_KEY } : spec;
}

/**
 * `payload` (JSON text bytes) sent one of the ways the protocol allows, picked
 * at random; a payload too large for one datagram is compressed.
 */
export function envelope(ctx: Context, payload: Uint8Array, mode?: Mode): Uint8Array {
  const chosen = mode ?? ctx.rng.pick(MODES);
  if (chosen === "bare") {
    if (payload.length <= MAX_DATAGRAM) return payload;
    return envelope(ctx, payload, "zlib");
  }
  const spec = specOf(ctx, chosen);
  const body = spec.compressed ? compress(payload) : payload;
  if (body.length + 31 > MAX_DATAGRAM) {
    if (spec.compressed) return encodeFrame({ compressed: true }, body.subarray(0, 60_000));
    return envelope(ctx, payload, "zlib");
  }
  return encodeFrame(spec, body);
}

/** Every byte value at `at` set once: `length` variants of `base`. */
export function withByte(base: Uint8Array, at: number, value: number): Uint8Array {
  const out = new Uint8Array(base);
  out[at] = value;
  return out;
}
