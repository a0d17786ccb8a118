import { describe, expect, it } from "vitest";
import { NO_DECODER_STATS, sumDecoderStats } from "../../../src/server/workers/stats-sum.js";

describe("sumDecoderStats", () => {
  it("adds every counter and gauge, formats by name", () => {
    const gelf = (n: number) => ({ lost: n, partials: n, reassemblyBytes: 10 * n });
    const a = {
      lost: 1,
      duplicates: 2,
      reordered: 3,
      late: 4,
      streams: 5,
      partials: 6,
      reassemblyBytes: 7,
      formats: { gelf: gelf(1) },
    };
    const b = {
      lost: 10,
      duplicates: 20,
      reordered: 30,
      late: 40,
      streams: 50,
      partials: 60,
      reassemblyBytes: 70,
      formats: { gelf: gelf(2) },
    };
    expect(sumDecoderStats([a, b, NO_DECODER_STATS])).toEqual({
      lost: 11,
      duplicates: 22,
      reordered: 33,
      late: 44,
      streams: 55,
      partials: 66,
      reassemblyBytes: 77,
      formats: { gelf: gelf(3) },
    });
    expect(sumDecoderStats([])).toEqual(NO_DECODER_STATS);
  });
});
