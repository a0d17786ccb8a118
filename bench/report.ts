/** What a run measured, the ratios and targets read from it, and the closing summary table. */
import type { BigInputRun } from "./cases/big-input.js";
import type { ClientCase, ClientRun } from "./cases/client.js";
import type { EndToEndRun } from "./cases/e2e.js";
import type { LatencyResult } from "./cases/latency.js";
import type { CodecLimit, SocketLimit } from "./cases/limits.js";
import type { ServerResult } from "./cases/server.js";
import { count, mib, percent, table } from "./lib/format.js";
import { ratio } from "./lib/stats.js";

export interface ClientResult {
  readonly case: ClientCase;
  readonly median: ClientRun;
  readonly runs: ClientRun[];
}

export interface EndToEndResult {
  readonly median: EndToEndRun;
  readonly worstLost: number;
  readonly worstDuplicated: number;
  readonly runs: EndToEndRun[];
}

export interface Measurements {
  socket?: { median: SocketLimit; runs: SocketLimit[] };
  codec?: CodecLimit[];
  client?: ClientResult[];
  server?: ServerResult;
  endToEnd?: EndToEndResult;
  latency?: LatencyResult[];
  bigInput?: BigInputResult;
}

export interface BigInputResult {
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

function clientRate(m: Measurements, kind: string, batchSize: number, compress: boolean): number {
  const found = m.client?.find(
    (c) => c.case.kind === kind && c.case.batchSize === batchSize && c.case.compress === compress,
  );
  return found?.median.entriesPerSecond ?? Number.NaN;
}

/** Each result as a share of what the machine allows. */
export function ratios(m: Measurements) {
  const server = sustainedEntries(m);
  return {
    clientText100CompressedOfCodecCompress: ratio(
      clientRate(m, "text", 100, true),
      codecRate(m, "text", "node:zlib", "compress"),
    ),
    clientJson100CompressedOfCodecCompress: ratio(
      clientRate(m, "json", 100, true),
      codecRate(m, "json", "node:zlib", "compress"),
    ),
    serverOfBareReceiver: ratio(server, m.socket?.median.receiveEntriesPerSecond ?? Number.NaN),
    serverOfCodecInflate: ratio(server, codecRate(m, "text", "node:zlib", "inflate")),
    endToEndOfClient: ratio(
      m.endToEnd?.median.entriesPerSecond ?? Number.NaN,
      clientRate(m, "text", 100, true),
    ),
  };
}

/** The targets, read off the results (informative: nothing fails on them). */
export function targets(m: Measurements) {
  const r = ratios(m);
  return {
    clientAtLeastHalfOfCodec: r.clientText100CompressedOfCodecCompress >= 0.5,
    server400kEntriesPerSecond: sustainedEntries(m) >= 400_000,
    endToEndNoLossNoDuplicates:
      m.endToEnd !== undefined && m.endToEnd.worstLost === 0 && m.endToEnd.worstDuplicated === 0,
    clientRssAtMost100MiBFor1GB:
      m.bigInput === undefined ? undefined : m.bigInput.maxPeakRssBytes <= 100 * 1024 * 1024,
  };
}

export function summaryTable(m: Measurements): string {
  const r = ratios(m);
  const s = m.server?.median;
  const e = m.endToEnd;
  const rows: string[][] = [];
  for (const kind of ["text", "json"] as const) {
    const rate = clientRate(m, kind, 100, true);
    const share =
      kind === "text"
        ? r.clientText100CompressedOfCodecCompress
        : r.clientJson100CompressedOfCodecCompress;
    if (Number.isFinite(rate)) {
      rows.push([
        `client ${kind} batch 100 zlib`,
        `${count(rate)} entries/s`,
        percent(share),
        "of node:zlib compress",
      ]);
    }
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
      "of the client alone",
    ]);
    rows.push([
      "end to end lost / duplicated",
      `${count(e.worstLost)} / ${count(e.worstDuplicated)}`,
      "",
      "worst run",
    ]);
  }
  if (m.bigInput !== undefined) {
    rows.push([
      "client peak RSS, 1 GB piped",
      mib(m.bigInput.maxPeakRssBytes),
      "",
      `highest of ${m.bigInput.runs.length} runs`,
    ]);
  }
  return rows.length === 0 ? "" : table(["headline", "figure", "share", "of"], rows);
}
