/**
 * A short fuzz run against the built server: a few thousand datagrams of
 * every category, the held-fragment flood included. The full run is
 * `npm run fuzz` (100,000 datagrams).
 */
import { describe, expect, it } from "vitest";
import { runFuzz } from "../../scripts/fuzz/run.js";

describe("fuzz (short run)", () => {
  it("the server stays up, reads and accounts for every datagram, and stays under its memory bound", async () => {
    const report = await runFuzz({ seed: 20_261_124, count: 4000, floodMessages: 1200 });
    for (const check of report.checks) {
      expect({ check: check.name, ok: check.ok, detail: check.detail }).toMatchObject({
        check: check.name,
        ok: true,
      });
    }
    expect(report.checks.map((check) => check.name)).toEqual([
      "server-up",
      "clean-exit",
      "received",
      "every-datagram-decoded",
      "accounted",
      "output",
      "memory",
    ]);
    expect(report.sent.fuzz).toBe(4000);
    expect(report.sent.send_errors).toBe(0);
    const expected = report.expected;
    expect(expected.rejected["too-large"]).toBeGreaterThan(0);
    expect(expected.pending).toBeGreaterThan(1200);
    expect(expected.duplicates).toBeGreaterThan(0);
    expect(report.ok).toBe(true);
  }, 90_000);
});
