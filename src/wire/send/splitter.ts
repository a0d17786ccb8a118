/**
 * How a batch of serialized entries becomes payloads that fit (PROTOCOL.md
 * section 5), written once for every way of compressing: the algorithm is a
 * generator that yields each JSON text it wants compressed and is resumed
 * with the zlib stream; src/wire/send/split-runners.ts drives it. Nothing
 * here takes a seq or frames a datagram: the encoder does that after.
 */
import { DEFAULT_MAX_DECOMPRESSED_BYTES, MAX_FRAGMENT_COUNT } from "../constants.js";
import { type SplitEntries, stringEntries } from "./batch-entries.js";

export interface Body {
  readonly bytes: Uint8Array;
  readonly compressed: boolean;
}

/** One message to be: a whole datagram, or one entry cut into `fragmentCount` slices. */
export interface Part {
  readonly body: Body;
  /** Index in the batch of its first entry; its entries follow in batch order. */
  readonly first: number;
  readonly entries: number;
  /** Bytes of the JSON array text, before compression. */
  readonly payloadBytes: number;
  /** Entries whose `message` was cut to fit (unsequenced mode). */
  readonly truncated: number;
  /** 0 for a whole datagram; otherwise the number of fragments (2..4096). */
  readonly fragmentCount: number;
}

export interface SplitResult {
  readonly parts: Part[];
  /** Entries that fit in no message. */
  readonly dropped: number;
}

export interface SplitSettings {
  readonly compress: boolean;
  readonly sequenced: boolean;
  /** Payload bytes that fit in one unfragmented datagram. */
  readonly room: number;
  /** Payload bytes that fit in one fragment datagram (sequenced only). */
  readonly sliceRoom: number;
}

/** Yields JSON text to compress, is resumed with its zlib stream, returns `T`. */
export type Compressing<T> = Generator<Uint8Array, T, Uint8Array>;

/**
 * A batch whose JSON passes this is cut in halves even when it would fit a
 * datagram compressed: half the server's default max decompressed size, so
 * that a highly compressible batch never inflates past what the server takes.
 */
export const MAX_BATCH_PAYLOAD_BYTES = DEFAULT_MAX_DECOMPRESSED_BYTES / 2;

/** deflate never shrinks data by more than this factor. */
const MAX_DEFLATE_RATIO = 1032;
/** A part whose estimated compressed size passes the room this many times is split unseen. */
const CLEARLY_TOO_LARGE = 1.5;

interface Run {
  readonly entries: SplitEntries;
  readonly prefix: Float64Array;
  readonly settings: SplitSettings;
  readonly parts: Part[];
  dropped: number;
}

/**
 * A batch whose payload would not fit, or whose JSON passes
 * MAX_BATCH_PAYLOAD_BYTES, is cut in halves by count, recursively, left
 * half first; a half whose compressed size, estimated
 * from the ratio of its parent, is clearly too large is cut again without
 * being compressed. A single entry that does not fit is fragmented
 * (sequenced) or has its `message` truncated (unsequenced). `sizes`, when
 * given, are the entries' UTF-8 byte lengths, which spares measuring them.
 */
export function* split(
  jsons: readonly string[],
  settings: SplitSettings,
  sizes?: readonly number[],
): Compressing<SplitResult> {
  return yield* splitEntries(stringEntries(jsons, sizes), settings);
}

/** split() of entries in any form (batch-entries.ts). */
export function* splitEntries(
  entries: SplitEntries,
  settings: SplitSettings,
): Compressing<SplitResult> {
  const { count } = entries;
  const prefix = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) prefix[i + 1] = (prefix[i] ?? 0) + entries.bytes(i);
  const run: Run = { entries, prefix, settings, parts: [], dropped: 0 };
  if (count > 0) yield* range(run, 0, count, undefined);
  return { parts: run.parts, dropped: run.dropped };
}

/** Entries lo..hi-1; `ratio` is compressed/raw size of the part this one was cut from. */
function* range(run: Run, lo: number, hi: number, ratio: number | undefined): Compressing<void> {
  const { settings } = run;
  const n = hi - lo;
  const raw = (run.prefix[hi] ?? 0) - (run.prefix[lo] ?? 0) + n + 1;
  if (n > 1 && (raw > MAX_BATCH_PAYLOAD_BYTES || clearlyTooLarge(settings, raw, ratio))) {
    yield* halves(run, lo, hi, ratio);
    return;
  }
  const text = run.entries.payload(lo, hi, raw);
  const body = yield* bodyOf(settings, text);
  if (body.bytes.length <= settings.room) {
    run.parts.push({
      body,
      first: lo,
      entries: n,
      payloadBytes: raw,
      truncated: 0,
      fragmentCount: 0,
    });
  } else if (n > 1) {
    yield* halves(run, lo, hi, body.bytes.length / raw);
  } else if (settings.sequenced) {
    fragment(run, body, raw, lo);
  } else if (!(yield* truncate(run, run.entries.json(lo), lo))) {
    run.dropped++;
  }
}

function clearlyTooLarge(settings: SplitSettings, raw: number, ratio: number | undefined): boolean {
  if (!settings.compress) return raw > settings.room;
  return raw * (ratio ?? 1 / MAX_DEFLATE_RATIO) > settings.room * CLEARLY_TOO_LARGE;
}

function* halves(run: Run, lo: number, hi: number, ratio: number | undefined): Compressing<void> {
  const mid = lo + Math.floor((hi - lo) / 2);
  yield* range(run, lo, mid, ratio);
  yield* range(run, mid, hi, ratio);
}

/** The payload as sent: compressed when asked (and, when sequenced, when smaller). */
function* bodyOf(settings: SplitSettings, text: Buffer): Compressing<Body> {
  if (!settings.compress) return { bytes: text, compressed: false };
  const zipped = yield text;
  if (!settings.sequenced || zipped.length < text.length) {
    return { bytes: zipped, compressed: true };
  }
  return { bytes: text, compressed: false };
}

/** One entry's payload in full slices of sliceRoom, the last one shorter; too many is a drop. */
function fragment(run: Run, body: Body, payloadBytes: number, first: number): void {
  const fragmentCount = Math.ceil(body.bytes.length / run.settings.sliceRoom);
  if (fragmentCount > MAX_FRAGMENT_COUNT) {
    run.dropped++;
    return;
  }
  run.parts.push({ body, first, entries: 1, payloadBytes, truncated: 0, fragmentCount });
}

/** Cuts UTF-8 bytes to at most `length`, backing off to the start of a code point. */
export function cutUtf8(bytes: Buffer, length: number): string {
  let end = Math.min(length, bytes.length);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.toString("utf8", 0, end);
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  return undefined;
}

/**
 * Unsequenced mode: cuts the entry's `message` (by UTF-8 bytes, on a code
 * point boundary) to the longest that fits and adds `"truncated": true`.
 * False when the entry has no string `message` or cannot fit even empty.
 */
function* truncate(run: Run, json: string, first: number): Compressing<boolean> {
  const { settings } = run;
  const parsed = parseObject(json);
  if (parsed === undefined || typeof parsed.message !== "string") return false;
  const entry: Record<string, unknown> = parsed;
  const message = Buffer.from(parsed.message);
  function* attempt(cut: number): Compressing<{ text: Buffer; body: Body }> {
    entry.message = cutUtf8(message, cut);
    entry.truncated = true;
    const text = Buffer.from(`[${JSON.stringify(entry)}]`);
    return { text, body: yield* bodyOf(settings, text) };
  }
  let best = yield* attempt(0);
  if (best.body.bytes.length > settings.room) return false;
  let lo = 0;
  let hi = message.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const tried = yield* attempt(mid);
    if (tried.body.bytes.length <= settings.room) {
      lo = mid;
      best = tried;
    } else {
      hi = mid - 1;
    }
  }
  const { body, text } = best;
  const payloadBytes = text.length;
  run.parts.push({ body, first, entries: 1, payloadBytes, truncated: 1, fragmentCount: 0 });
  return true;
}
