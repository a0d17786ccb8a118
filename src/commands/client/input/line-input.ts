/**
 * The chunks the client ships from: a line input's, joined by the multiline
 * rule when one is configured (its splits counted as `multiline_splits` in
 * the input's stats, which become the summary's `input` object).
 */
import type { Timers } from "../../../foundation/time.js";
import type { LineInputConfig } from "../input-options.js";
import { type Joined, joinedChunks } from "./joined-chunks.js";
import type { ChunkLines, LineStats } from "./lines.js";

export type { Joined } from "./joined-chunks.js";

/** The summary's `input` object. */
export interface InputStats extends LineStats {
  /** Entries ended early by --max-line-bytes or --multiline-max-lines (with multiline only). */
  multiline_splits?: number;
}

export function inputChunks(
  chunks: AsyncIterable<ChunkLines>,
  stats: InputStats,
  config: LineInputConfig,
  options: {
    readonly maxBytes: number;
    readonly timers: Timers;
    /** Sources come one after another (read once), rather than at once (followed). */
    readonly sequential: boolean;
    /** Ships an entry left pending when reading stops early. */
    readonly leftover: (entry: Joined) => void;
  },
): AsyncIterable<ChunkLines> {
  const { multiline } = config;
  if (multiline === undefined) return chunks;
  stats.multiline_splits = 0;
  return joinedChunks(chunks, {
    rule: multiline.rule,
    maxLines: multiline.maxLines,
    timeoutMs: multiline.timeoutMs,
    ...options,
    onSplit: () => {
      stats.multiline_splits = (stats.multiline_splits ?? 0) + 1;
    },
  });
}
