import { describe, expect, it } from "vitest";
import type { KernelDrops } from "../../src/server/kernel-drops.js";
import {
  Counters,
  formatStatsLine,
  INTERNAL_ERROR,
  type SequenceCounters,
  toSummary,
  totalRejected,
} from "../../src/server/stats.js";
import { outcome } from "../../src/wire/outcome.js";
import { REJECT_REASONS } from "../../src/wire/reasons.js";

const sequence: SequenceCounters = {
  lost: 3,
  duplicates: 2,
  reordered: 1,
  late: 0,
  streams: 4,
  partials: 1,
  reassemblyBytes: 500,
};

describe("Counters", () => {
  it("counts datagrams, bytes, entries, kinds and rejections", () => {
    const counters = new Counters();
    counters.countDatagram(100);
    counters.countOutcome(outcome("framed", { entries: ["{}", "{}"], invalidEntries: 1 }));
    counters.countDatagram(7);
    counters.countOutcome(outcome("unknown", { rejected: "unknown-format" }));
    counters.countDatagram(9);
    counters.countOutcome(outcome("json", { rejected: "invalid-json" }));
    counters.countDatagram(1);
    counters.reject(INTERNAL_ERROR);
    const stats = counters.snapshot(sequence, 5, 42);
    expect(stats).toMatchObject({
      datagrams: 4,
      bytes: 117,
      entries: 2,
      kinds: { framed: 1, json: 1, unknown: 1 },
      output_dropped: 5,
      output_pending_bytes: 42,
      lost: 3,
      duplicates: 2,
      reordered: 1,
      late: 0,
      streams: 4,
      partials: 1,
      reassembly_bytes: 500,
    });
    expect(stats.rejected["invalid-entry"]).toBe(1);
    expect(stats.rejected["unknown-format"]).toBe(1);
    expect(stats.rejected["invalid-json"]).toBe(1);
    expect(stats.rejected[INTERNAL_ERROR]).toBe(1);
    expect(totalRejected(stats)).toBe(4);
  });

  it("lists every rejection reason, zeros included, so the summary keeps its shape", () => {
    const stats = new Counters().snapshot(sequence, 0, 0);
    expect(Object.keys(stats.rejected).sort()).toEqual(
      [...new Set([...REJECT_REASONS, INTERNAL_ERROR])].sort(),
    );
    expect(Object.values(stats.rejected).every((count) => count === 0)).toBe(true);
  });

  it("snapshots are copies: later counting does not change them", () => {
    const counters = new Counters();
    const before = counters.snapshot(sequence, 0, 0);
    counters.countDatagram(1);
    counters.countOutcome(outcome("json", { rejected: "invalid-json" }));
    expect(before.datagrams).toBe(0);
    expect(before.rejected["invalid-json"]).toBe(0);
    expect(before.kinds.json).toBe(0);
  });
});

describe("toSummary", () => {
  it("keeps the summary fields, in order, and leaves out the gauges", () => {
    const summary = toSummary(new Counters().snapshot(sequence, 0, 9));
    expect(Object.keys(summary)).toEqual([
      "datagrams",
      "entries",
      "bytes",
      "rejected",
      "lost",
      "duplicates",
      "reordered",
      "late",
      "kinds",
      "output_dropped",
      "kernel_drops",
      "kernel_drops_source",
      "unread_bytes",
      "top_sources",
      "outputs",
      "acks_sent",
      "ack_datagrams",
      "ack_bytes",
      "acks_skipped",
    ]);
    const line = JSON.stringify(summary);
    expect(line).not.toContain("\n");
    expect(JSON.parse(line)).toEqual(summary);
  });
});

describe("formatStatsLine", () => {
  it("shows acknowledgements once there were any", () => {
    const none = new Counters().snapshot(sequence, 0, 0);
    expect(formatStatsLine(none, undefined, 1000)).not.toContain("acks_sent");
    const acks = { acks_sent: 7, ack_datagrams: 2, ack_bytes: 50, acks_skipped: 1 };
    const some = new Counters().snapshot(sequence, 0, 0, {
      kernelDrops: { drops: null, source: "unavailable" },
      topSources: { by_datagrams: [], by_rejections: [] },
      acks,
    });
    expect(some).toMatchObject(acks);
    expect(formatStatsLine(some, undefined, 1000)).toContain("acks_sent=7 acks_skipped=1");
  });

  it("gives totals, rates since the previous snapshot and the non-zero reasons on one line", () => {
    const counters = new Counters();
    const previous = counters.snapshot(sequence, 0, 0);
    for (let i = 0; i < 20; i++) {
      counters.countDatagram(50);
      counters.countOutcome(outcome("json", { entries: ["{}", "{}", "{}", "{}", "{}"] }));
    }
    counters.countDatagram(3);
    counters.countOutcome(outcome("unknown", { rejected: "unknown-format" }));
    const current = counters.snapshot(sequence, 1, 0);
    expect(formatStatsLine(current, previous, 2000)).toBe(
      "stats datagrams=21 (11/s) entries=100 (50/s) bytes=1003 (502/s)" +
        " rejected=1 (unknown-format:1) lost=3 duplicates=2 reordered=1 late=0" +
        " output_dropped=1 streams=4 partials=1 output_pending_bytes=0 kernel_drops=unavailable" +
        " unread_bytes=unavailable",
    );
  });

  it("shows kernel drops with their scope, and the top sources when there are some", () => {
    const counters = new Counters();
    const at = (kernelDrops: KernelDrops, unreadBytes: number | null = 0) =>
      formatStatsLine(
        counters.snapshot(sequence, 0, 0, {
          kernelDrops,
          unreadBytes,
          topSources: {
            by_datagrams: [
              { source: "10.0.0.5", datagrams: 1200 },
              { source: "2001:db8::1", datagrams: 30 },
            ],
            by_rejections: [{ source: "192.0.2.9", rejections: 7 }],
          },
        }),
        undefined,
        1000,
      );
    expect(at({ drops: 12, source: "socket" })).toMatch(
      / kernel_drops=12 unread_bytes=0 top_sources=10\.0\.0\.5\(1200\),2001:db8::1\(30\) top_rejected=192\.0\.2\.9\(7\)$/,
    );
    expect(at({ drops: 3, source: "system" }, null)).toContain(
      " kernel_drops=3 (system-wide) unread_bytes=unavailable ",
    );
    expect(at({ drops: 0, source: "socket" }, 4608)).toContain(" unread_bytes=4608 ");
  });

  it("counts rates from zero without a previous snapshot", () => {
    const counters = new Counters();
    counters.countDatagram(10);
    const line = formatStatsLine(counters.snapshot(sequence, 0, 0), undefined, 1000);
    expect(line).toContain("datagrams=1 (1/s)");
    expect(line).toContain("rejected=0 lost=3");
  });
});

describe("the stats line's outputs", () => {
  const sequence = {
    lost: 0,
    duplicates: 0,
    reordered: 0,
    late: 0,
    streams: 0,
    partials: 0,
    reassemblyBytes: 0,
  };
  const output = {
    entries: 5,
    batches: 1,
    retries: 0,
    spooled: 3,
    dropped: { "queue-full": 2, "http-400": 1 },
    errors: {},
    queued: 3,
    spool_bytes: 120,
    corrupt_files: 0,
  };
  const top = { by_datagrams: [], by_rejections: [] };
  const kernel = { drops: null, source: "unavailable" as const };

  it("lists each output when there is more than stdout", () => {
    const stats = new Counters().snapshot(sequence, 0, 0, {
      kernelDrops: kernel,
      topSources: top,
      outputs: { stdout: { ...output, dropped: {} }, "file:/tmp/a": output },
    });
    expect(formatStatsLine(stats, undefined, 1000)).toMatch(
      / output\[stdout\]=delivered:5,queued:3,dropped:0,spool_bytes:120 output\[file:\/tmp\/a\]=delivered:5,queued:3,dropped:3,spool_bytes:120$/,
    );
  });

  it("says nothing of stdout alone", () => {
    const stats = new Counters().snapshot(sequence, 0, 0, {
      kernelDrops: kernel,
      topSources: top,
      outputs: { stdout: output },
    });
    expect(formatStatsLine(stats, undefined, 1000)).not.toContain("output[");
  });
});
