/**
 * The ways the split algorithm (src/wire/send/splitter.ts) is run: with a
 * compressor that answers at once (`splitSync`), or as a whole split done
 * elsewhere, such as on another thread (a SplitRunner). `splitHere` is the
 * SplitRunner that splits on the calling thread and answers before it
 * returns.
 */
import { deflateSync } from "node:zlib";
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

/** The split on the calling thread with deflateSync; `finish` is called before returning. */
export const splitHere: SplitRunner = (entryJsons, entryBytes, settings, level, finish) => {
  let result: SplitResult;
  try {
    result = splitSync(entryJsons, settings, (data) => deflateSync(data, { level }), entryBytes);
  } catch (error) {
    finish(error as Error);
    return;
  }
  finish(null, result);
};
