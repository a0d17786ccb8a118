/**
 * The chunks the client ships from: a LineReader's, joined by the multiline
 * rule when one is configured (its splits counted as `multiline_splits` in
 * the reader's stats, which become the summary's `input` object).
 */
import type { Timers } from "../../../foundation/time.js";
import type { LineInputConfig } from "../input-options.js";
import { joinedChunks } from "./joined-chunks.js";
import type { ChunkLines, LineReader, LineStats } from "./lines.js";

/** The summary's `input` object. */
export interface InputStats extends LineStats {
  /** Entries ended early by --max-line-bytes or --multiline-max-lines (with multiline only). */
  multiline_splits?: number;
}

export function inputChunks(
  reader: LineReader,
  config: LineInputConfig,
  options: {
    readonly maxBytes: number;
    readonly timers: Timers;
    /** Ships an entry left pending when reading stops early. */
    readonly leftover: (entry: string, bytes: number) => void;
  },
): AsyncIterable<ChunkLines> {
  const { multiline } = config;
  if (multiline === undefined) return reader.chunks();
  const stats: InputStats = reader.stats;
  stats.multiline_splits = 0;
  return joinedChunks(reader.chunks(), {
    rule: multiline.rule,
    maxLines: multiline.maxLines,
    timeoutMs: multiline.timeoutMs,
    ...options,
    onSplit: () => {
      stats.multiline_splits = (stats.multiline_splits ?? 0) + 1;
    },
  });
}
