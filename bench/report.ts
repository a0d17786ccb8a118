/** What a run measured, the ratios and targets read from it, and the closing summary table. */
import type { BigInputRun } from "./cases/big-input.js";
import type { ClientCase, ClientRun } from "./cases/client.js";
import type { EndToEndSection } from "./cases/e2e.js";
import type { LatencyResult } from "./cases/latency.js";
import type { CodecLimit, SocketLimit } from "./cases/limits.js";
import type { ParseResult } from "./cases/parse.js";
import type { PerDatagramResult } from "./cases/per-datagram.js";
import type { PinoResult } from "./cases/pino.js";
import type { ServerResult } from "./cases/server.js";
import type { SinkResult } from "./cases/sinks.js";
import { count, mib, percent, table } from "./lib/format.js";
import { ratio } from "./lib/stats.js";

export interface ClientResult {
  readonly case: ClientCase;
  readonly median: ClientRun;
  readonly runs: ClientRun[];
}

export type EndToEndResult = EndToEndSection;

export interface Measurements {
  socket?: { median: SocketLimit; runs: SocketLimit[] };
  codec?: CodecLimit[];
  client?: ClientResult[];
  server?: ServerResult;
  endToEnd?: EndToEndResult;
  /** The server's CPU per datagram (bench/cases/per-datagram.ts). */
  perDatagram?: PerDatagramResult[];
  latency?: LatencyResult[];
  /** ns per line of each parser (bench/cases/parse.ts). */
  parse?: ParseResult[];
  /** 1 GB piped with the client's defaults (the compression thread)... */
  bigInput?: BigInputResult;
  /** ...and with --no-compress-thread. */
  bigInputMainThread?: BigInputResult;
  /** The HTTP and NATS sinks alone (bench/cases/sinks.ts). */
  sinks?: SinkResult[];
  /** A pino app: the transport, pino/file and pino-socket (bench/cases/pino.ts). */
  pino?: PinoResult[];
}

export interface BigInputResult {
  /** false: --no-compress-thread. */
  readonly thread: boolean;
  readonly median: BigInputRun;
  readonly maxPeakRssBytes: number;
  readonly runs: BigInputRun[];
}

/** Server entries/s at the sustained rate; NaN when no rate lost under 0.1 %. */
export function sustainedEntries(m: Measurements): number {
  const median = m.server?.median;
  return median?.passed === true ? median.entriesPerSecond : Number.NaN;
}

function codecRate(m: Measurements, kind: string, library: string, operation: string): number {
  const found = m.codec?.find(
    (c) => c.kind === kind && c.library === library && c.operation === operation,
  );
  return found?.entriesPerSecond ?? Number.NaN;
}

/** Batch 100 compressed, with the compression thread or (thread false) without. */
function clientRate(m: Measurements, kind: string, thread = true): number {
  const found = m.client?.find(
    (c) =>
      c.case.kind === kind &&
      c.case.batchSize === 100 &&
      c.case.compress &&
      (c.case.thread ?? true) === thread,
  );
  return found?.median.entriesPerSecond ?? Number.NaN;
}

/** Each result as a share of what the machine allows. */
export function ratios(m: Measurements) {
  const server = sustainedEntries(m);
  return {
    clientText100CompressedOfCodecCompress: ratio(
      clientRate(m, "text"),
      codecRate(m, "text", "node:zlib", "compress"),
    ),
    clientJson100CompressedOfCodecCompress: ratio(
      clientRate(m, "json"),
      codecRate(m, "json", "node:zlib", "compress"),
    ),
    clientText100MainThreadOfCodecCompress: ratio(
      clientRate(m, "text", false),
      codecRate(m, "text", "node:zlib", "compress"),
    ),
    clientJson100MainThreadOfCodecCompress: ratio(
      clientRate(m, "json", false),
      codecRate(m, "json", "node:zlib", "compress"),
    ),
    serverOfBareReceiver: ratio(server, m.socket?.median.receiveEntriesPerSecond ?? Number.NaN),
    serverOfCodecInflate: ratio(server, codecRate(m, "text", "node:zlib", "inflate")),
    /** Wall to wall, each end-to-end run over the client alone just before it: the median. */
    endToEndOfClient: m.endToEnd?.wallRatio ?? Number.NaN,
  };
}

/** The targets, read off the results (informative: nothing fails on them). */
export function targets(m: Measurements) {
  const r = ratios(m);
  return {
    clientAtLeastHalfOfCodec:
      r.clientText100CompressedOfCodecCompress >= 0.5 &&
      r.clientJson100CompressedOfCodecCompress >= 0.5,
    server400kEntriesPerSecond: sustainedEntries(m) >= 400_000,
    endToEndAtLeast70PercentOfClient:
      m.endToEnd === undefined ? undefined : m.endToEnd.wallRatio >= 0.7,
    endToEndNoLossNoDuplicates:
      m.endToEnd !== undefined && m.endToEnd.worstLost === 0 && m.endToEnd.worstDuplicated === 0,
    clientRssAtMost100MBFor1GB:
      m.bigInput === undefined ? undefined : m.bigInput.maxPeakRssBytes <= 100_000_000,
  };
}

export function summaryTable(m: Measurements): string {
  const r = ratios(m);
  const s = m.server?.median;
  const e = m.endToEnd;
  const rows: string[][] = [];
  const shares = [
    ["text", true, r.clientText100CompressedOfCodecCompress],
    ["json", true, r.clientJson100CompressedOfCodecCompress],
    ["text", false, r.clientText100MainThreadOfCodecCompress],
    ["json", false, r.clientJson100MainThreadOfCodecCompress],
  ] as const;
  for (const [kind, thread, share] of shares) {
    const rate = clientRate(m, kind, thread);
    if (!Number.isFinite(rate)) continue;
    rows.push([
      `client ${kind} batch 100 zlib${thread ? "" : ", main thread"}`,
      `${count(rate)} entries/s`,
      percent(share),
      "of node:zlib compress",
    ]);
  }
  if (s !== undefined) {
    rows.push([
      "server, < 0.1 % loss, file",
      s.passed ? `${count(s.entriesPerSecond)} entries/s` : "no rate passed",
      percent(r.serverOfBareReceiver),
      "of the bare receiver",
    ]);
  }
  if (e !== undefined) {
    rows.push([
      "end to end",
      `${count(e.median.entriesPerSecond)} entries/s`,
      percent(r.endToEndOfClient),
      `of the client alone (wall, ${count(e.entries)} entries)`,
    ]);
    rows.push([
      "end to end lost / duplicated",
      `${count(e.worstLost)} / ${count(e.worstDuplicated)}`,
      "",
      "worst run",
    ]);
  }
  for (const big of [m.bigInput, m.bigInputMainThread]) {
    if (big === undefined) continue;
    rows.push([
      `client peak RSS, 1 GB piped${big.thread ? "" : ", main thread"}`,
      `${mib(big.maxPeakRssBytes)} (${count(big.maxPeakRssBytes / 1e6)} MB)`,
      "",
      `highest of ${big.runs.length} runs`,
    ]);
  }
  return rows.length === 0 ? "" : table(["headline", "figure", "share", "of"], rows);
}
