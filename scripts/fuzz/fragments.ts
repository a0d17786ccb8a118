/**
 * Fragmented messages: count and index at their edges, messages that never
 * complete (mostly with the largest count, 4096), complete messages in any
 * order with duplicate or disagreeing fragments, messages just under and past
 * the 4 MiB message cap, and floods of held fragments past the 16 MiB cap.
 */
import { compress } from "../../src/wire/index.js";
import { type Context, concat } from "./envelope.js";
import { randomBatch } from "./texts.js";

const SEQUENCED = 0x02;
const FRAGMENT = 0x04;
const COMPRESSED = 0x01;
const SIGNED = 0x08;
const FRAGMENT_FLAGS = [0x06, 0x07, 0x0e, 0x0f];

interface FragmentSpec {
  readonly flags: number;
  readonly stream: Uint8Array;
  readonly seq: number;
  readonly index: number;
  readonly count: number;
}

/** A fragment built by hand, so counts and indices the encoder refuses can be sent. */
export function rawFragment(spec: FragmentSpec, payload: Uint8Array): Uint8Array {
  const header = new Uint8Array(19);
  const view = new DataView(header.buffer);
  header.set([0xcb, 0xf2, spec.flags]);
  header.set(spec.stream, 3);
  view.setUint32(11, spec.seq >>> 0);
  view.setUint16(15, spec.index & 0xffff);
  view.setUint16(17, spec.count & 0xffff);
  const tag = (spec.flags & SIGNED) !== 0 ? new Uint8Array(16).fill(0xab) : new Uint8Array(0);
  return concat(header, payload, tag);
}

/** A GELF chunk built by hand: `1E 0F`, the 8-byte message id, seq, count, then the payload. */
export function rawGelfChunk(
  id: Uint8Array,
  index: number,
  count: number,
  payload: Uint8Array,
): Uint8Array {
  const header = new Uint8Array(12);
  header.set([0x1e, 0x0f]);
  header.set(id.subarray(0, 8), 2);
  header[10] = index & 0xff;
  header[11] = count & 0xff;
  return concat(header, payload);
}

const EDGE_COUNTS = [0, 1, 2, 4095, 4096, 4097, 65535];

function indicesOf(count: number): number[] {
  const raw = [0, 1, count - 1, count, count + 1, 65535];
  return [...new Set(raw.filter((index) => index >= 0 && index <= 65535))];
}

/** Every edge count with every edge index, in each fragment flag combination. */
export const EDGE_CASES: readonly (readonly [number, number, number])[] = EDGE_COUNTS.flatMap(
  (count) =>
    indicesOf(count).flatMap((index) =>
      FRAGMENT_FLAGS.map((flags) => [count, index, flags] as const),
    ),
);

export function fragmentEdge(ctx: Context, at: number): Uint8Array {
  const [count, index, flags] = EDGE_CASES[at % EDGE_CASES.length] ?? [0, 0, 0x06];
  const spec = { flags, stream: ctx.streams.next(), seq: ctx.rng.uint32(), index, count };
  return rawFragment(spec, ctx.rng.bytes(ctx.rng.range(0, 64)));
}

/**
 * Some fragments of a message that never gets the rest: mostly 4096-count
 * messages with slices of up to 1,024 bytes (4,095 x 1,024 is just under 4 MiB),
 * now and then 1,025 bytes (too large as soon as a non-last slice shows it).
 */
export function neverComplete(ctx: Context): Uint8Array[] {
  const { rng } = ctx;
  const count = rng.chance(0.7) ? 4096 : rng.range(2, 4096);
  const flags = rng.pick(FRAGMENT_FLAGS);
  const stream = ctx.streams.next();
  const seq = rng.uint32();
  const size = rng.chance(0.05) ? 1025 : rng.range(1, 1024);
  const sent = Math.min(rng.range(1, 3), count - 1);
  const indices = new Set<number>();
  while (indices.size < sent) indices.add(rng.int(count));
  return [...indices].map((index) =>
    rawFragment({ flags, stream, seq, index, count }, rng.bytes(size)),
  );
}

/** Cuts `payload` into `count` slices of equal size but for the last. */
function slices(payload: Uint8Array, count: number): Uint8Array[] {
  const size = Math.ceil(payload.length / count);
  return Array.from({ length: count }, (_, i) => payload.subarray(i * size, (i + 1) * size));
}

function shuffle<T>(ctx: Context, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = ctx.rng.int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** A whole message in any order, now and then with a repeated or a disagreeing fragment. */
export function completeMessage(ctx: Context): Uint8Array[] {
  const { rng } = ctx;
  const json = randomBatch(rng);
  const flags = rng.pick(FRAGMENT_FLAGS);
  const payload = (flags & COMPRESSED) !== 0 ? compress(json) : json;
  const most = rng.chance(0.9) ? 6 : 64;
  const count = rng.range(2, Math.min(most, Math.max(2, payload.length)));
  const stream = ctx.streams.next();
  const seq = rng.uint32();
  const fragments = slices(payload, count).map((slice, index) =>
    rawFragment({ flags, stream, seq, index, count }, slice),
  );
  if (rng.chance(0.2)) fragments.splice(rng.int(fragments.length), 0, rng.pick(fragments));
  if (rng.chance(0.1)) {
    const other = rawFragment({ flags, stream, seq, index: 0, count: count + 1 }, rng.bytes(8));
    fragments.splice(rng.int(fragments.length), 0, other);
  }
  return rng.chance(0.7) ? shuffle(ctx, fragments) : fragments;
}

const BIG_SLICE = 60_000;

/**
 * A message of 60,000-byte slices around the 4 MiB message cap: 70 slices
 * are 4,200,000 bytes (past the cap once all are held), 71 slices are known
 * too large from the first non-last slice.
 */
export function nearMessageCap(ctx: Context): Uint8Array[] {
  const { rng } = ctx;
  const count = rng.pick([69, 70, 71]);
  const stream = ctx.streams.next();
  const seq = rng.uint32();
  const flags = SEQUENCED | FRAGMENT;
  return Array.from({ length: count }, (_, index) =>
    rawFragment({ flags, stream, seq, index, count }, rng.bytes(BIG_SLICE)),
  );
}

/**
 * `messages` messages of 64 slices, each sent one 60,000-byte slice only:
 * 1,200 of them hold about 72 MB, past the 16 MiB held-fragment cap.
 */
export function fragmentFlood(ctx: Context, messages = 1200): Uint8Array[] {
  const { rng } = ctx;
  const slice = rng.bytes(BIG_SLICE);
  return Array.from({ length: messages }, () =>
    rawFragment(
      {
        flags: SEQUENCED | FRAGMENT,
        stream: ctx.streams.next(),
        seq: rng.uint32(),
        index: 0,
        count: 64,
      },
      slice,
    ),
  );
}
