/**
 * Mutations of the golden datagrams (test/fixtures/datagrams.ts): bit flips,
 * byte changes, insertions, deletions, truncations, header fields at their
 * edges, splices; truncations at every header boundary; every flags byte.
 * Sequenced goldens get a fresh stream first, so no case repeats another's seq.
 */
import { GOLDEN } from "../../test/fixtures/datagrams.js";
import { type Context, concat } from "./envelope.js";
import type { Prng } from "./prng.js";

const SINGLES: readonly Uint8Array[] = [
  GOLDEN.pythonShipper,
  GOLDEN.pythonBare,
  GOLDEN.flags00,
  GOLDEN.flags02,
  GOLDEN.flags03,
  GOLDEN.flags0a,
  GOLDEN.flags0b,
];
const SETS: readonly (readonly Uint8Array[])[] = [
  GOLDEN.flags06,
  GOLDEN.flags07,
  GOLDEN.flags0e,
  GOLDEN.flags0f,
];
/** Every golden datagram on its own. */
export const ALL: readonly Uint8Array[] = [...SINGLES, ...SETS.flat()];

const STREAM_AT = 3;
const SEQ_AT = 11;
const FRAGMENT_AT = 15;
const EDGE_U32 = [0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff];
const EDGE_U16 = [0, 1, 2, 4095, 4096, 4097, 0x7fff, 0xffff];
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x5b, 0x7b, 0x22, 0x5c, 0xcb, 0xf2];

/** A copy with a fresh stream id when the datagram is framed and SEQUENCED. */
function restream(datagram: Uint8Array, stream: Uint8Array): Uint8Array {
  const out = new Uint8Array(datagram);
  const framed = out[0] === 0xcb && out[1] === 0xf2;
  if (framed && ((out[2] ?? 0) & 0x02) !== 0 && out.length >= SEQ_AT) out.set(stream, STREAM_AT);
  return out;
}

function setUint(out: Uint8Array, at: number, size: 2 | 4, value: number): void {
  if (at + size > out.length) return;
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (size === 2) view.setUint16(at, value);
  else view.setUint32(at, value);
}

/** One random mutation of `input`; the result is a new array. */
export function mutateOnce(rng: Prng, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(input);
  const at = rng.int(out.length + 1);
  switch (rng.int(9)) {
    case 0:
      for (let i = rng.range(1, 8); i > 0 && out.length > 0; i--) {
        const bit = rng.int(out.length * 8);
        out[bit >> 3] = (out[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      }
      return out;
    case 1:
      if (out.length > 0) out[rng.int(out.length)] = rng.pick(INTERESTING);
      return out;
    case 2:
      return concat(out.subarray(0, at), rng.bytes(rng.range(1, 16)), out.subarray(at));
    case 3:
      return concat(out.subarray(0, at), out.subarray(at + rng.range(1, 16)));
    case 4:
      return out.subarray(0, rng.int(out.length));
    case 5:
      return concat(out.subarray(0, at), out.subarray(rng.int(at + 1), at), out.subarray(at));
    case 6:
      setUint(out, SEQ_AT, 4, rng.pick(EDGE_U32));
      return out;
    case 7:
      setUint(out, FRAGMENT_AT + 2 * rng.int(2), 2, rng.pick(EDGE_U16));
      return out;
    default:
      return concat(out.subarray(0, at), rng.bytes(rng.length(512)));
  }
}

function mutate(rng: Prng, input: Uint8Array): Uint8Array {
  let out = input;
  for (let i = rng.range(1, 4); i > 0; i--) out = mutateOnce(rng, out);
  return out;
}

/** A golden datagram, or a whole golden fragment set, with one or more fragments damaged. */
export function goldenMutation(ctx: Context): Uint8Array[] {
  const { rng } = ctx;
  const stream = ctx.streams.next();
  if (rng.chance(0.6)) return [mutate(rng, restream(rng.pick(SINGLES), stream))];
  const set = rng.pick(SETS).map((fragment) => restream(fragment, stream));
  const damaged = rng.int(set.length + 1);
  const out = set.map((fragment, i) =>
    i === damaged || rng.chance(0.1) ? mutate(rng, fragment) : fragment,
  );
  if (rng.chance(0.5)) out.reverse();
  if (rng.chance(0.3)) out.push(out[rng.int(out.length)] ?? new Uint8Array(0));
  return out;
}

/** Two goldens spliced at random points, a fresh stream on the result. */
export function splice(ctx: Context): Uint8Array {
  const a = ctx.rng.pick(ALL);
  const b = ctx.rng.pick(ALL);
  const joined = concat(
    a.subarray(0, ctx.rng.int(a.length + 1)),
    b.subarray(ctx.rng.int(b.length)),
  );
  return restream(joined, ctx.streams.next());
}

/** Cut points at and around every header boundary, and around the tag. */
function cutsOf(length: number): number[] {
  const cuts = [0, 1, 2, 3, 4, 10, 11, 14, 15, 16, 18, 19, 20, length - 17, length - 16];
  cuts.push(length - 15, length - 1);
  return [...new Set(cuts.filter((cut) => cut >= 0 && cut < length))];
}

/** Every golden cut at every boundary: [golden index, cut] pairs. */
export const TRUNCATIONS: readonly (readonly [number, number])[] = ALL.flatMap((datagram, index) =>
  cutsOf(datagram.length).map((cut) => [index, cut] as const),
);

export function truncation(ctx: Context, index: number): Uint8Array {
  const [golden, cut] = TRUNCATIONS[index % TRUNCATIONS.length] ?? [0, 0];
  return restream(ALL[golden] ?? new Uint8Array(0), ctx.streams.next()).subarray(0, cut);
}

/** Bodies (everything after the flags byte) that each flags byte is tried with. */
const BODIES: readonly Uint8Array[] = [
  GOLDEN.flags00.subarray(3),
  GOLDEN.flags03.subarray(3),
  GOLDEN.flags06[0].subarray(3),
  GOLDEN.flags0a.subarray(3),
  GOLDEN.flags0f[1].subarray(3),
];
/** Count of flag cases: every byte value with every body. */
export const FLAG_CASES = 256 * BODIES.length;

export function flagsCase(ctx: Context, index: number): Uint8Array {
  const at = index % FLAG_CASES;
  const flags = at % 256;
  const body = new Uint8Array(BODIES[Math.floor(at / 256)] ?? new Uint8Array(0));
  if (body.length >= 12) body.set(ctx.streams.next(), 0);
  return concat(Uint8Array.of(0xcb, 0xf2, flags), body);
}

/** Random bytes, bare or behind a prefix that sends them down one branch of the decoder. */
export function randomBytes(ctx: Context): Uint8Array {
  const { rng } = ctx;
  const body = rng.bytes(rng.length(65_000));
  const prefixes = [
    [],
    [0xcb, 0xf2],
    [0xcb, 0xf2, rng.int(16)],
    [0xcb, 0xf2, 0x01, 0x78, 0x9c],
    [0x5b],
    [0x7b],
    [0x20, 0x0a, 0x7b],
    [0xef, 0xbb, 0xbf, 0x5b],
  ];
  return concat(Uint8Array.from(rng.pick(prefixes)), body).subarray(0, 65_507);
}
