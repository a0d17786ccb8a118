/**
 * A batch's entries as the split (splitter.ts) reads them: how many, each
 * one's UTF-8 size, the JSON array text of a run of them, and one entry's
 * text. Two forms: an array of strings (`stringEntries`), and the batch
 * packed into one buffer as its JSON array text with each entry's offset
 * (`packEntries`, `packedEntries`), which crosses to another thread by
 * transfer, without a copy, and whose whole array is already the payload.
 */

export interface SplitEntries {
  readonly count: number;
  /** UTF-8 bytes of entry `i`. */
  bytes(i: number): number;
  /**
   * The JSON array text of entries lo..hi-1 (`[`, the entries joined by
   * commas, `]`); `bytes` is its size as bytes() gives it.
   */
  payload(lo: number, hi: number, bytes: number): Buffer;
  /** The JSON text of entry `i`. */
  json(i: number): string;
}

/**
 * Entries given as strings; `sizes`, when given, are their UTF-8 byte
 * lengths (else measured). Sizes that are wrong cost a measurement of the
 * payload, never a wrong payload.
 */
export function stringEntries(jsons: readonly string[], sizes?: readonly number[]): SplitEntries {
  return {
    count: jsons.length,
    bytes: (i) => sizes?.[i] ?? Buffer.byteLength(jsons[i] ?? ""),
    payload: (lo, hi, bytes) => payloadText(jsons, lo, hi, bytes),
    json: (i) => jsons[i] ?? "",
  };
}

/**
 * The JSON array of entries lo..hi-1, `bytes` long when the entries' sizes
 * were right: written straight into a buffer of that size, without
 * measuring or copying the joined text again; measured when they were not.
 */
function payloadText(jsons: readonly string[], lo: number, hi: number, bytes: number): Buffer {
  const whole = lo === 0 && hi === jsons.length;
  const joined =
    hi - lo === 1 ? (jsons[lo] ?? "") : (whole ? jsons : jsons.slice(lo, hi)).join(",");
  // Room for one more character (up to 4 bytes) than the sizes say: text
  // longer than they say then writes more than they say, never exactly as
  // much (Buffer.write() stops before a character that does not fit).
  const text = Buffer.allocUnsafe(bytes + 3);
  text[0] = 0x5b;
  if (bytes >= 2 && text.write(joined, 1) === bytes - 2) {
    text[bytes - 1] = 0x5d;
    return text.subarray(0, bytes);
  }
  return Buffer.from(`[${joined}]`);
}

const OPEN = 0x5b;
const CLOSE = 0x5d;
const COMMA = 0x2c;

/**
 * A batch packed into one buffer: `count + 1` offsets (uint32), then the
 * JSON array text of all its entries (the buffer may be longer). Offset `i` is where entry `i` starts
 * in the text; offset `count` is the text's length, so entry `i` ends one
 * byte (its comma, or the closing bracket) before offset `i + 1`.
 */
export interface PackedBatch {
  readonly buffer: ArrayBuffer;
  readonly count: number;
}

/**
 * Packs entries (their UTF-8 sizes when known). An ASCII batch whose sizes
 * are its entries' lengths is written in one go, joined; any other is
 * written entry by entry, and sizes that turn out wrong are measured and the
 * batch packed again.
 */
export function packEntries(
  jsons: readonly string[],
  sizes?: readonly number[],
  alloc: Allocate = (bytes) => new ArrayBuffer(bytes),
): PackedBatch {
  return (
    (sizes === undefined ? undefined : packAscii(jsons, sizes, alloc)) ??
    packEach(jsons, sizes, alloc) ??
    (packEach(jsons, undefined, alloc) as PackedBatch)
  );
}

/** A buffer of at least `bytes` bytes, whatever they hold. */
export type Allocate = (bytes: number) => ArrayBuffer;

/** The room for a batch of `count` entries of `entryBytes` in all: its offsets, then its text. */
function allocate(count: number, entryBytes: number, slack: number, alloc: Allocate) {
  const textBytes = count === 0 ? 2 : entryBytes + count + 1;
  const head = 4 * (count + 1);
  const buffer = alloc(head + textBytes + slack);
  const offsets = new Uint32Array(buffer, 0, count + 1);
  const text = Buffer.from(buffer, head, textBytes + slack);
  text[0] = OPEN;
  offsets[count] = textBytes;
  return { buffer, offsets, text, textBytes };
}

/** The batch joined and written at once; undefined unless it is ASCII and every size its length. */
function packAscii(
  jsons: readonly string[],
  sizes: readonly number[],
  alloc: Allocate,
): PackedBatch | undefined {
  const count = jsons.length;
  let entryBytes = 0;
  for (let i = 0; i < count; i++) {
    const size = sizes[i] ?? -1;
    if (size !== (jsons[i] ?? "").length) return undefined;
    entryBytes += size;
  }
  const { buffer, offsets, text, textBytes } = allocate(count, entryBytes, 0, alloc);
  // As many bytes as characters: no character took more than one.
  if (text.write(jsons.join(","), 1) !== textBytes - 2) return undefined;
  text[textBytes - 1] = CLOSE;
  let at = 1;
  for (let i = 0; i < count; i++) {
    offsets[i] = at;
    at += (sizes[i] ?? 0) + 1;
  }
  return { buffer, count };
}

/** Bytes written past an entry's stated size: room for any one more character. */
const SLACK = 4;

/** The batch written entry by entry; undefined when a size is wrong. */
function packEach(
  jsons: readonly string[],
  sizes: readonly number[] | undefined,
  alloc: Allocate,
): PackedBatch | undefined {
  const count = jsons.length;
  const measured = sizes ?? jsons.map((json) => Buffer.byteLength(json));
  let entryBytes = 0;
  for (let i = 0; i < count; i++) entryBytes += measured[i] ?? 0;
  const { buffer, offsets, text, textBytes } = allocate(count, entryBytes, SLACK, alloc);
  let at = 1;
  for (let i = 0; i < count; i++) {
    const size = measured[i] ?? 0;
    offsets[i] = at;
    // Text longer than its stated size writes more than it (the slack holds
    // one more character), shorter text less: either way, not exactly it.
    if (text.write(jsons[i] ?? "", at, size + SLACK) !== size) return undefined;
    at += size + 1;
    text[at - 1] = COMMA;
  }
  text[textBytes - 1] = CLOSE;
  return { buffer, count };
}

/** The entries of a packed batch, read in place. */
export function packedEntries(packed: PackedBatch): SplitEntries {
  const { buffer, count } = packed;
  const offsets = new Uint32Array(buffer, 0, count + 1);
  const head = 4 * (count + 1);
  const text = Buffer.from(buffer, head, (offsets[count] ?? 0) as number);
  const start = (i: number) => offsets[i] ?? 0;
  return {
    count,
    bytes: (i) => start(i + 1) - start(i) - 1,
    payload(lo, hi) {
      if (lo === 0 && hi === count) return text;
      const from = start(lo);
      const to = start(hi) - 1;
      const out = Buffer.allocUnsafe(to - from + 2);
      out[0] = OPEN;
      text.copy(out, 1, from, to);
      out[out.length - 1] = CLOSE;
      return out;
    },
    json: (i) => text.toString("utf8", start(i), start(i + 1) - 1),
  };
}
