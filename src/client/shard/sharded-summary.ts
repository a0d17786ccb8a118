/**
 * The summary of a sharding client: the totals every summary has, summed
 * over the targets' own summaries, and a `targets` object keyed by target
 * name with each one's counts and state. Entries moved from a target that
 * went out count once in the totals: in `entries` where the caller logged
 * them, in `sent` or `dropped` where they ended. The percentiles of the
 * totals (batch size, send time, round trip) are the highest of the
 * targets' own.
 */
import type { ReliableSummary } from "../reliable/reliable-stats.js";
import type { Percentiles, ShipperSummary } from "../summary.js";
import type { TargetState } from "./target-health.js";

/** One target's line in the summary. */
export interface TargetSummary {
  state: TargetState;
  /** Entries given to this target: the caller's, plus those moved here. */
  entries: number;
  /** Entries sent (reliable: acknowledged) by this target. */
  sent: number;
  dropped: number;
  /** Entries moved from this target to others when it went out (reliable). */
  moved: number;
  datagrams: number;
  bytes: number;
  retransmits: number;
  /** Datagrams it refused (ICMP). */
  refusals: number;
  /** Times it was taken out. */
  outages: number;
}

export interface TargetPart {
  readonly name: string;
  readonly state: TargetState;
  readonly moved: number;
  readonly outages: number;
  readonly summary: ShipperSummary;
}

type Counts = Record<string, number>;

function addCounts(into: Counts, from: Readonly<Counts> | undefined): void {
  for (const [key, value] of Object.entries(from ?? {})) into[key] = (into[key] ?? 0) + value;
}

function highest(all: readonly (Percentiles | undefined)[]): Percentiles {
  let p50 = 0;
  let p95 = 0;
  for (const p of all) {
    p50 = Math.max(p50, p?.p50 ?? 0);
    p95 = Math.max(p95, p?.p95 ?? 0);
  }
  return { p50, p95 };
}

const SUMMED = [
  "entries",
  "sent",
  "truncated",
  "datagrams",
  "bytes",
  "retries",
  "send_errors",
  "fragmented",
] as const;

function reliableTotals(summaries: readonly ShipperSummary[]): Partial<ReliableSummary> {
  if (summaries[0]?.acked === undefined) return {};
  const ignored: Counts = {};
  for (const s of summaries) addCounts(ignored, s.ignored_acks);
  const sum = (pick: (s: ShipperSummary) => number | undefined) =>
    summaries.reduce((total, s) => total + (pick(s) ?? 0), 0);
  return {
    acked: sum((s) => s.acked),
    retransmits: sum((s) => s.retransmits),
    unacked: sum((s) => s.unacked),
    rtt_ms: highest(summaries.map((s) => s.rtt_ms)),
    unacked_bytes: sum((s) => s.unacked_bytes),
    ignored_acks: ignored,
  };
}

function targetLine(part: TargetPart): TargetSummary {
  const { summary } = part;
  return {
    state: part.state,
    entries: summary.entries,
    sent: summary.sent,
    dropped: summary.dropped,
    moved: part.moved,
    datagrams: summary.datagrams,
    bytes: summary.bytes,
    retransmits: summary.retransmits ?? 0,
    refusals: summary.refused,
    outages: part.outages,
  };
}

/** The totals and the `targets` object; `extra`: entries counted and dropped outside every target. */
export function combineSummaries(
  parts: readonly TargetPart[],
  extra: { readonly entries: number; readonly drops: Readonly<Counts> },
): ShipperSummary {
  const summaries = parts.map((part) => part.summary);
  const totals: Counts = {};
  for (const key of SUMMED) totals[key] = summaries.reduce((sum, s) => sum + s[key], 0);
  const moved = parts.reduce((sum, part) => sum + part.moved, 0);
  totals.entries = (totals.entries ?? 0) - moved + extra.entries;
  const dropped: Counts = {};
  const refused: Counts = {};
  const triggers: Counts = {};
  for (const s of summaries) {
    addCounts(dropped, s.dropped_by_reason);
    addCounts(refused, s.refused_by_code);
    addCounts(triggers, s.flush_triggers);
  }
  addCounts(dropped, extra.drops);
  const total = (counts: Counts) => Object.values(counts).reduce((sum, n) => sum + n, 0);
  return {
    ...(totals as Pick<ShipperSummary, (typeof SUMMED)[number]>),
    dropped: total(dropped),
    dropped_by_reason: dropped,
    refused: total(refused),
    refused_by_code: refused,
    batches: total(triggers),
    flush_triggers: triggers as ShipperSummary["flush_triggers"],
    batch_size: highest(summaries.map((s) => s.batch_size)),
    send_ms: highest(summaries.map((s) => s.send_ms)),
    ...reliableTotals(summaries),
    targets: Object.fromEntries(parts.map((part) => [part.name, targetLine(part)])),
  };
}
