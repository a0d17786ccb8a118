/**
 * The attack suite, short: every case of scripts/fuzz/attacks.ts once, each
 * against a built server of its own with default options. Asserted: the
 * server stays up (the marker after the attack is printed) and exits cleanly,
 * every datagram and every entry is accounted for, the attack is answered
 * with a reason of the case's table (or accepted, where the case allows it),
 * and the peak RSS stays under 256 MiB: in everything-at-once with every
 * store past its cap at the peak (its stats line shows it), the bound the
 * docs state. Stalls are measured and printed, never asserted (speed is the
 * benchmark's business); `npm run fuzz` judges them against the 50 ms goal.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type AttackResult, GOALS, table } from "../../scripts/fuzz/attack-report.js";
import { runAttack } from "../../scripts/fuzz/attack-run.js";
import { ATTACKS } from "../../scripts/fuzz/attacks.js";

const results: AttackResult[] = [];

/** What is asserted of a case, as one object so that a failure shows every part. */
function outcome(result: AttackResult) {
  const accounting = result.accounting;
  const peak = result.peak_rss_mib;
  return {
    server_up: result.server_up ? "yes" : `no: ${result.notes.join("; ")}`,
    exit_code: result.exit_code,
    datagrams_unaccounted: accounting?.datagrams_unaccounted ?? "no summary",
    entries_unaccounted: accounting?.entries_unaccounted ?? "no summary",
    unnamed_reasons: accounting?.unnamed_reasons ?? "no summary",
    reason: result.reason_expected ? "as the case's table allows" : result.reason,
    peak_rss: peak === null || peak < GOALS.peakRssMiB ? "under the bound" : `${peak} MiB`,
    stores: result.goals.full === "fail" ? (result.stores ?? "not read") : "full, or not this case",
  };
}

describe("attack suite (short)", () => {
  afterAll(() => {
    if (results.length > 0) process.stderr.write(`attack suite (short):\n${table(results)}\n`);
  });

  for (const attack of ATTACKS) {
    it(`${attack.name}: ${attack.title}`, async () => {
      const result = await runAttack(attack, { scale: "short" });
      results.push(result);
      expect(outcome(result)).toEqual({
        server_up: "yes",
        exit_code: 0,
        datagrams_unaccounted: 0,
        entries_unaccounted: 0,
        unnamed_reasons: [],
        reason: "as the case's table allows",
        peak_rss: "under the bound",
        stores: "full, or not this case",
      });
    }, 240_000);
  }
});
