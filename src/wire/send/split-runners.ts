/**
 * The ways the split algorithm (src/wire/send/splitter.ts) is run: with a
 * compressor that answers at once (`splitSync`), or as a whole split done
 * elsewhere, such as on another thread (a SplitRunner). `splitHereWith`
 * makes the SplitRunner that splits on the calling thread, with the
 * compressor it is given, and answers before it returns.
 */
import type { SplitEntries } from "./batch-entries.js";
import {
  type Compressing,
  type SplitResult,
  type SplitSettings,
  split,
  splitEntries,
} from "./splitter.js";

/**
 * Splits one batch the way `splitSync` does with node:zlib's deflateSync at
 * `level` and calls `finish` once, before returning or later. `entryBytes`
 * are the entries' UTF-8 byte lengths when known.
 */
export type SplitRunner = (
  entryJsons: readonly string[],
  entryBytes: readonly number[] | undefined,
  settings: SplitSettings,
  level: number,
  finish: (error: Error | null, result?: SplitResult) => void,
) => void;

/** Runs the split with a compressor that returns at once. */
export function splitSync(
  jsons: readonly string[],
  settings: SplitSettings,
  compress: (data: Uint8Array) => Uint8Array,
  sizes?: readonly number[],
): SplitResult {
  return run(split(jsons, settings, sizes), compress);
}

/** splitSync() of entries in any form (batch-entries.ts). */
export function splitEntriesSync(
  entries: SplitEntries,
  settings: SplitSettings,
  compress: (data: Uint8Array) => Uint8Array,
): SplitResult {
  return run(splitEntries(entries, settings), compress);
}

function run(splitting: Compressing<SplitResult>, compress: (data: Uint8Array) => Uint8Array) {
  let step = splitting.next();
  while (!step.done) step = splitting.next(compress(step.value));
  return step.value;
}

/** A zlib compressor that gives deflateSync's bytes at the level it is given. */
export type LevelDeflate = (data: Uint8Array, level: number) => Uint8Array;

/** The split on the calling thread with `deflate`; `finish` is called before returning. */
export function splitHereWith(deflate: LevelDeflate): SplitRunner {
  return (entryJsons, entryBytes, settings, level, finish) => {
    let result: SplitResult;
    try {
      const zip = (data: Uint8Array) => deflate(data, level);
      result = splitSync(entryJsons, settings, zip, entryBytes);
    } catch (error) {
      finish(error as Error);
      return;
    }
    finish(null, result);
  };
}
