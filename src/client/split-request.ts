/**
 * A batch as it crosses to the splitting thread (split-thread.ts to
 * split-worker.ts): packed into one buffer, its JSON array text with each
 * entry's offset (src/wire/send/batch-entries.ts), and that buffer moved,
 * not copied. The main thread writes each entry's text once, into the
 * buffer; the worker compresses the whole array from it in place, and moves
 * the buffer back with its answer to be used again (buffer-pool.ts).
 */
import {
  type Allocate,
  type PackedBatch,
  packEntries,
  packedEntries,
  type SplitEntries,
} from "../wire/send/batch-entries.js";
import type { Part, SplitSettings } from "../wire/send/splitter.js";

export interface SplitRequest {
  readonly id: number;
  /** The batch, packed; moved to the worker. */
  readonly batch: PackedBatch;
  readonly settings: SplitSettings;
  readonly level: number;
}

/** The answer to one batch; `batch` is the request's buffer, moved back to be used again. */
export type SplitReply = { readonly batch: ArrayBuffer } & (
  | { readonly id: number; readonly parts: Part[]; readonly dropped: number }
  | { readonly id: number; readonly error: string }
);

/** The request of one batch, and what its message moves. */
export function packRequest(
  id: number,
  entryJsons: readonly string[],
  entryBytes: readonly number[] | undefined,
  settings: SplitSettings,
  level: number,
  alloc?: Allocate,
): { request: SplitRequest; transfer: ArrayBuffer[] } {
  const batch = packEntries(entryJsons, entryBytes, alloc);
  return { request: { id, batch, settings, level }, transfer: [batch.buffer] };
}

/** The batch's entries, read in place from the request. */
export function unpackRequest(request: SplitRequest): SplitEntries {
  return packedEntries(request.batch);
}
