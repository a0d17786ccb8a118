/** The decoders' counters of every worker, added up into one. */
import type { DecoderStats } from "../../wire/receive/decoder-options.js";
import type { FormatStats } from "../../wire/receive/foreign.js";

export const NO_DECODER_STATS: DecoderStats = Object.freeze({
  lost: 0,
  duplicates: 0,
  reordered: 0,
  late: 0,
  streams: 0,
  partials: 0,
  reassemblyBytes: 0,
  formats: {},
});

function addFormats(
  into: Record<string, FormatStats>,
  formats: Readonly<Record<string, FormatStats>>,
): void {
  for (const [name, f] of Object.entries(formats)) {
    const had = into[name];
    into[name] =
      had === undefined
        ? { ...f }
        : {
            lost: had.lost + f.lost,
            partials: had.partials + f.partials,
            reassemblyBytes: had.reassemblyBytes + f.reassemblyBytes,
          };
  }
}

/** The sum of each worker's last counters; every field is a count or a gauge that adds up. */
export function sumDecoderStats(all: readonly DecoderStats[]): DecoderStats {
  const formats: Record<string, FormatStats> = {};
  const sum = { ...NO_DECODER_STATS, formats };
  for (const s of all) {
    sum.lost += s.lost;
    sum.duplicates += s.duplicates;
    sum.reordered += s.reordered;
    sum.late += s.late;
    sum.streams += s.streams;
    sum.partials += s.partials;
    sum.reassemblyBytes += s.reassemblyBytes;
    addFormats(formats, s.formats);
  }
  return sum;
}
