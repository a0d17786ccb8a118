/**
 * The ways the split algorithm (src/wire/send/splitter.ts) is run: with a
 * compressor that answers at once (`splitSync`), or through a callback, at
 * once or later (`splitWith`). Both give the same parts for the same bytes
 * out of the compressor. A SplitRunner is a whole split done elsewhere, such
 * as on another thread; `splitOnPool` is the one that compresses with
 * node:zlib's deflate on libuv's thread pool.
 */
import { deflate } from "node:zlib";
import { type SplitResult, type SplitSettings, split } from "./splitter.js";

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
  const splitting = split(jsons, settings, sizes);
  let step = splitting.next();
  while (!step.done) step = splitting.next(compress(step.value));
  return step.value;
}

/** Compresses `data` and calls `done` once, before returning or later. */
export type CompressWith = (
  data: Uint8Array,
  done: (error: Error | null, zipped?: Uint8Array) => void,
) => void;

/**
 * Runs the split with a compressor that answers through a callback; calls
 * `finish` once, with the parts or the first error. Answers given before
 * the compressor returns continue in a loop, so the stack does not grow.
 */
export function splitWith(
  jsons: readonly string[],
  settings: SplitSettings,
  compress: CompressWith,
  finish: (error: Error | null, result?: SplitResult) => void,
  sizes?: readonly number[],
): void {
  const splitting = split(jsons, settings, sizes);
  let input: Uint8Array | undefined;
  const run = (): void => {
    for (;;) {
      let step: IteratorResult<Uint8Array, SplitResult>;
      try {
        step = splitting.next(input as Uint8Array);
      } catch (error) {
        finish(error as Error);
        return;
      }
      if (step.done) {
        finish(null, step.value);
        return;
      }
      let waiting = true;
      let answeredAtOnce = false;
      compress(step.value, (error, zipped) => {
        if (error !== null || zipped === undefined) {
          finish(error ?? new Error("the compressor gave no bytes"));
          return;
        }
        input = zipped;
        if (waiting) answeredAtOnce = true;
        else run();
      });
      waiting = false;
      if (!answeredAtOnce) return;
    }
  };
  run();
}

/** The split on this thread, each compression done by node:zlib's deflate on libuv's thread pool. */
export const splitOnPool: SplitRunner = (entryJsons, entryBytes, settings, level, finish) => {
  const compress: CompressWith = (data, done) => deflate(data, { level }, done);
  splitWith(entryJsons, settings, compress, finish, entryBytes);
};
