/**
 * A batch as it crosses to the splitting thread (split-thread.ts to
 * split-worker.ts): its entries joined into one string with each entry's
 * length in UTF-16 code units, instead of an array of strings. Cloning one
 * flat string costs the main thread a copy; cloning an array of entries, each
 * a string built by concatenation, costs it flattening and serializing every
 * one of them.
 */
import type { Part, SplitSettings } from "../wire/send/splitter.js";

export interface SplitRequest {
  readonly id: number;
  /** The batch's entries, one after the other. */
  readonly joined: string;
  /** Each entry's length in `joined` (UTF-16 code units), in order. */
  readonly lengths: Uint32Array;
  /** Each entry's UTF-8 byte length, when known. */
  readonly entryBytes: Uint32Array | undefined;
  readonly settings: SplitSettings;
  readonly level: number;
}

export type SplitReply =
  | { readonly id: number; readonly parts: Part[]; readonly dropped: number }
  | { readonly id: number; readonly error: string };

/** The request of one batch. */
export function packRequest(
  id: number,
  entryJsons: readonly string[],
  entryBytes: readonly number[] | undefined,
  settings: SplitSettings,
  level: number,
): SplitRequest {
  const lengths = new Uint32Array(entryJsons.length);
  for (let i = 0; i < entryJsons.length; i++) lengths[i] = entryJsons[i]?.length ?? 0;
  return {
    id,
    joined: entryJsons.join(""),
    lengths,
    entryBytes: entryBytes === undefined ? undefined : Uint32Array.from(entryBytes),
    settings,
    level,
  };
}

/** The batch's entries and their UTF-8 sizes back out of a request. */
export function unpackRequest(request: SplitRequest): {
  entryJsons: string[];
  entryBytes: number[] | undefined;
} {
  const { joined, lengths } = request;
  const entryJsons = new Array<string>(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const end = at + (lengths[i] ?? 0);
    entryJsons[i] = joined.slice(at, end);
    at = end;
  }
  const entryBytes = request.entryBytes === undefined ? undefined : Array.from(request.entryBytes);
  return { entryJsons, entryBytes };
}
