/**
 * Decompression bombs: zlib streams of every ratio a datagram can carry
 * (deflate tops out near 1030:1), inflating to just under, exactly at, and
 * past the server's default cap, and a 100 MiB-of-zeros bomb that only fits
 * as a fragmented message. Built once per run and reused.
 */
import { deflateSync } from "node:zlib";
import { DEFAULT_MAX_DECOMPRESSED_BYTES, encodeFrame } from "../../src/wire/index.js";
import { type Context, FUZZ_KEY, MAX_DATAGRAM, utf8 } from "./envelope.js";
import type { Prng } from "./prng.js";

const MIB = 1024 * 1024;
/** The server's default max decompressed size. */
export const CAP = DEFAULT_MAX_DECOMPRESSED_BYTES;

export interface Bomb {
  readonly name: string;
  /** Bytes the stream inflates to. */
  readonly inflatedBytes: number;
  /** The zlib stream. */
  readonly zlib: Uint8Array;
  /** The original shipper's frame of it (`CB F2 01` + zlib), built once: the same bytes each time. */
  readonly legacy: Uint8Array;
  /** What the server must answer: accepted, or the reason. */
  readonly expect: "accepted" | "invalid-json" | "too-large";
}

/** Figures of a bomb for the report. */
export function describeBomb(bomb: Bomb) {
  return {
    name: bomb.name,
    inflated_bytes: bomb.inflatedBytes,
    compressed_bytes: bomb.zlib.length,
    ratio: Math.round(bomb.inflatedBytes / bomb.zlib.length),
    expect: bomb.expect,
  };
}

/** `[{"message":"xxxx"}]` of exactly `size` bytes, the message made of `fill`. */
function jsonOf(size: number, fill: (length: number) => string): Uint8Array {
  const head = '[{"message":"';
  const tail = '"}]';
  return utf8(head + fill(size - head.length - tail.length) + tail);
}

/** Runs of 'a' and 'b' of random length 1..maxRun: the longer the runs, the higher the ratio. */
function runs(rng: Prng, maxRun: number): (length: number) => string {
  return (length) => {
    const parts: string[] = [];
    let total = 0;
    while (total < length) {
      const run = Math.min(rng.range(1, maxRun), length - total);
      parts.push((rng.chance(0.5) ? "a" : "b").repeat(run));
      total += run;
    }
    return parts.join("");
  };
}

function bomb(name: string, data: Uint8Array, expect: Bomb["expect"]): Bomb {
  const zlib = deflateSync(data, { level: 9 });
  const legacy = zlib.length + 3 <= MAX_DATAGRAM ? encodeFrame({ compressed: true }, zlib) : zlib;
  return { name, inflatedBytes: data.length, zlib, legacy, expect };
}

function spaces(size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0x20);
  out[0] = 0x5b;
  out[size - 1] = 0x5d;
  return out;
}

export function buildBombs(rng: Prng): Bomb[] {
  return [
    bomb("ratio ~10:1, 600 KB entry", jsonOf(600_000, runs(rng, 5)), "accepted"),
    bomb("ratio ~100:1, 750 KB entry", jsonOf(750_000, runs(rng, 140)), "accepted"),
    bomb("ratio ~100:1, 6 MB entry", jsonOf(6_000_000, runs(rng, 140)), "too-large"),
    bomb("zeros 1 MiB", new Uint8Array(MIB), "invalid-json"),
    bomb("zeros, exactly the cap", new Uint8Array(CAP), "invalid-json"),
    bomb("zeros, the cap + 1", new Uint8Array(CAP + 1), "too-large"),
    bomb("zeros 64 MiB (max ratio, one datagram)", new Uint8Array(64 * MIB), "too-large"),
    bomb(
      "entry of half the cap",
      jsonOf(CAP / 2, (n) => "A".repeat(n)),
      "accepted",
    ),
    bomb(
      "entry, exactly the cap",
      jsonOf(CAP, (n) => "A".repeat(n)),
      "accepted",
    ),
    bomb(
      "entry, the cap + 1",
      jsonOf(CAP + 1, (n) => "A".repeat(n)),
      "too-large",
    ),
    bomb("white space, exactly the cap", spaces(CAP), "accepted"),
    bomb("white space 60 MiB", spaces(60 * MIB), "too-large"),
    bomb("zeros 100 MiB (fragmented)", new Uint8Array(100 * MIB), "too-large"),
  ];
}

const FRAGMENT_ROOM = 60_000;

/**
 * One bomb on the wire: the original shipper's frame, sequenced, or signed;
 * a stream too large for one datagram is sent as a fragmented message.
 */
export function bombDatagrams(ctx: Context, bombs: readonly Bomb[]): Uint8Array[] {
  const { rng } = ctx;
  if (bombs.length === 0) return [];
  const chosen = rng.pick(bombs);
  const zlib = chosen.zlib;
  if (zlib.length + 31 > MAX_DATAGRAM) {
    const stream = ctx.streams.next();
    const seq = rng.uint32();
    const count = Math.ceil(zlib.length / FRAGMENT_ROOM);
    const fragments = Array.from({ length: count }, (_, i) =>
      encodeFrame(
        { compressed: true, stream, seq, fragmentIndex: i, fragmentCount: count },
        zlib.subarray(i * FRAGMENT_ROOM, (i + 1) * FRAGMENT_ROOM),
      ),
    );
    return rng.chance(0.5) ? fragments : fragments.reverse();
  }
  switch (rng.int(3)) {
    case 0:
      return [chosen.legacy];
    case 1:
      return [
        encodeFrame({ compressed: true, stream: ctx.streams.next(), seq: rng.uint32() }, zlib),
      ];
    default:
      return [
        encodeFrame(
          { compressed: true, stream: ctx.streams.next(), seq: rng.uint32(), key: FUZZ_KEY },
          zlib,
        ),
      ];
  }
}
