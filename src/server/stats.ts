/**
 * The server's counters, the summary printed when it stops, and the one-line
 * periodic stats text. Counters only grow; gauges (streams, partials, bytes
 * held) say what is held right now.
 */
import { DATAGRAM_KINDS } from "../wire/kinds.js";
import { REJECT_REASONS, type RejectReason } from "../wire/reasons.js";
import type { DatagramKind, DecodeOutcome } from "../wire/types.js";
import type { AckCounts } from "./acks/ack-sender.js";
import type { KernelDrops, KernelDropsSource } from "./kernel-drops.js";
import type { OutputsSummary } from "./outputs/output-stats.js";
import type { TopSources } from "./sources.js";
import { kernelDropsText, outputsText, rate, topSourcesText } from "./stats-line-parts.js";

/**
 * Counted when handling one datagram throws, inside the decoder or outside
 * it: a bug of the server, never the sender's fault. The datagram is
 * dropped, the server goes on.
 */
export const INTERNAL_ERROR = "internal-error" satisfies RejectReason;

export type ServerRejectReason = RejectReason;

/** Every reason the summary lists, zeros included, so its shape never changes. */
export const SERVER_REJECT_REASONS: readonly ServerRejectReason[] = Object.freeze([
  ...REJECT_REASONS,
]);

/** Sequence and reassembly counters, as the decoder reports them. */
export interface SequenceCounters {
  readonly lost: number;
  readonly duplicates: number;
  readonly reordered: number;
  readonly late: number;
  readonly streams: number;
  readonly partials: number;
  readonly reassemblyBytes: number;
}

/** The JSON object printed as the last stderr line when the server stops (acks: ack-sender.ts). */
export interface ServerSummary extends Readonly<AckCounts> {
  /** Datagrams received, whatever became of them. */
  readonly datagrams: number;
  /** Entries accepted and handed to the output (output_dropped of them did not make it). */
  readonly entries: number;
  /** UDP payload bytes received. */
  readonly bytes: number;
  /** Datagrams (or entries, for invalid-entry) rejected, by reason. */
  readonly rejected: Readonly<Record<ServerRejectReason, number>>;
  /** Messages that never arrived: gaps out of the window or timed out, fragments timed out. */
  readonly lost: number;
  /** Messages seen twice (or replayed), dropped. */
  readonly duplicates: number;
  /** Messages that arrived after a later one, inside the window: not lost. */
  readonly reordered: number;
  /** Messages that arrived after their gap had been counted lost (accepted). */
  readonly late: number;
  /** Datagrams by the kind their first bytes announce. */
  readonly kinds: Readonly<Record<DatagramKind, number>>;
  /** Accepted entries that could not be written: output too slow, output closed, or exit. */
  readonly output_dropped: number;
  /** Datagrams the kernel dropped since start (receive buffer full); null when not shown. */
  readonly kernel_drops: number | null;
  /** Where kernel_drops comes from: this socket, every UDP socket (`system`), or nowhere. */
  readonly kernel_drops_source: KernelDropsSource;
  /**
   * Bytes the kernel still held queued for the socket when it closed, after
   * the drain: datagrams that reached the port but were never read. The
   * kernel's charge, its per-datagram overhead included: bytes, not a count of
   * datagrams. In a live snapshot, what is queued now. Null when the socket's
   * queue cannot be read.
   */
  readonly unread_bytes: number | null;
  /** The heaviest sources by datagrams and by rejections. */
  readonly top_sources: TopSources;
  /** Each output by name: delivered, retried, spooled, dropped, held. */
  readonly outputs: OutputsSummary;
}

/** What the server knows of its socket and its senders, beside the counters. */
export interface SourceCounters {
  readonly kernelDrops: KernelDrops;
  /** Bytes queued on the socket (unread_bytes); null or absent when unknown. */
  readonly unreadBytes?: number | null;
  readonly topSources: TopSources;
  readonly outputs?: OutputsSummary;
  readonly acks?: Readonly<AckCounts>;
}

const NO_ACKS: AckCounts = { acks_sent: 0, ack_datagrams: 0, ack_bytes: 0, acks_skipped: 0 };

const NO_SOURCE_COUNTERS: SourceCounters = {
  kernelDrops: { drops: null, source: "unavailable" },
  unreadBytes: null,
  topSources: { by_datagrams: [], by_rejections: [] },
};

/** A live snapshot: the summary counters plus what is held right now. */
export interface ServerStats extends ServerSummary {
  readonly streams: number;
  readonly partials: number;
  readonly reassembly_bytes: number;
  readonly output_pending_bytes: number;
}

/** Mutable counters kept by the server; the snapshot is built from them. */
export class Counters {
  datagrams = 0;
  entries = 0;
  bytes = 0;
  readonly rejected: Record<ServerRejectReason, number>;
  readonly kinds = Object.fromEntries(DATAGRAM_KINDS.map((kind) => [kind, 0])) as Record<
    DatagramKind,
    number
  >;

  constructor() {
    this.rejected = Object.fromEntries(SERVER_REJECT_REASONS.map((r) => [r, 0])) as Record<
      ServerRejectReason,
      number
    >;
  }

  /** Counts one received datagram, before it is decoded. */
  countDatagram(bytes: number): void {
    this.datagrams += 1;
    this.bytes += bytes;
  }

  /** Counts what the decoder made of one datagram. */
  countOutcome(outcome: DecodeOutcome): void {
    this.kinds[outcome.kind] += 1;
    this.entries += outcome.entries.length;
    if (outcome.rejected !== undefined) this.reject(outcome.rejected);
    if (outcome.invalidEntries > 0) this.reject("invalid-entry", outcome.invalidEntries);
  }

  reject(reason: ServerRejectReason, count = 1): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + count;
  }

  /** A snapshot combining these counters with the decoder's and the output's. */
  snapshot(
    sequence: SequenceCounters,
    outputDropped: number,
    outputPendingBytes: number,
    sources: SourceCounters = NO_SOURCE_COUNTERS,
  ) {
    const stats: ServerStats = {
      datagrams: this.datagrams,
      entries: this.entries,
      bytes: this.bytes,
      rejected: { ...this.rejected },
      lost: sequence.lost,
      duplicates: sequence.duplicates,
      reordered: sequence.reordered,
      late: sequence.late,
      kinds: { ...this.kinds },
      output_dropped: outputDropped,
      kernel_drops: sources.kernelDrops.drops,
      kernel_drops_source: sources.kernelDrops.source,
      unread_bytes: sources.unreadBytes ?? null,
      top_sources: sources.topSources,
      outputs: sources.outputs ?? {},
      ...(sources.acks ?? NO_ACKS),
      streams: sequence.streams,
      partials: sequence.partials,
      reassembly_bytes: sequence.reassemblyBytes,
      output_pending_bytes: outputPendingBytes,
    };
    return stats;
  }
}

/** The summary part of a snapshot, in the documented field order. */
export function toSummary(stats: ServerStats): ServerSummary {
  return {
    datagrams: stats.datagrams,
    entries: stats.entries,
    bytes: stats.bytes,
    rejected: stats.rejected,
    lost: stats.lost,
    duplicates: stats.duplicates,
    reordered: stats.reordered,
    late: stats.late,
    kinds: stats.kinds,
    output_dropped: stats.output_dropped,
    kernel_drops: stats.kernel_drops,
    kernel_drops_source: stats.kernel_drops_source,
    unread_bytes: stats.unread_bytes,
    top_sources: stats.top_sources,
    outputs: stats.outputs,
    acks_sent: stats.acks_sent,
    ack_datagrams: stats.ack_datagrams,
    ack_bytes: stats.ack_bytes,
    acks_skipped: stats.acks_skipped,
  };
}

export function totalRejected(stats: Pick<ServerSummary, "rejected">): number {
  let total = 0;
  for (const count of Object.values(stats.rejected)) total += count;
  return total;
}

/**
 * One line of stats: totals, with rates per second since `previous` (taken
 * `elapsedMs` earlier), and the non-zero rejection reasons.
 * e.g. `stats datagrams=1200 (40/s) entries=120000 (4000/s) bytes=... rejected=2 ...`
 */
export function formatStatsLine(
  current: ServerStats,
  previous: ServerStats | undefined,
  elapsedMs: number,
): string {
  const before = previous ?? { datagrams: 0, entries: 0, bytes: 0 };
  const reasons = Object.entries(current.rejected)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason}:${count}`);
  const parts = [
    "stats",
    `datagrams=${current.datagrams} (${rate(current.datagrams, before.datagrams, elapsedMs)}/s)`,
    `entries=${current.entries} (${rate(current.entries, before.entries, elapsedMs)}/s)`,
    `bytes=${current.bytes} (${rate(current.bytes, before.bytes, elapsedMs)}/s)`,
    `rejected=${totalRejected(current)}${reasons.length > 0 ? ` (${reasons.join(" ")})` : ""}`,
    `lost=${current.lost}`,
    `duplicates=${current.duplicates}`,
    `reordered=${current.reordered}`,
    `late=${current.late}`,
    `output_dropped=${current.output_dropped}`,
    `streams=${current.streams}`,
    `partials=${current.partials}`,
    `output_pending_bytes=${current.output_pending_bytes}`,
    kernelDropsText(current),
    `unread_bytes=${current.unread_bytes ?? "unavailable"}`,
    ...topSourcesText(current.top_sources),
    ...outputsText(current.outputs),
    ...(current.ack_datagrams + current.acks_skipped > 0
      ? [`acks_sent=${current.acks_sent} acks_skipped=${current.acks_skipped}`]
      : []),
  ];
  return parts.join(" ");
}
