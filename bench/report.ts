/** The tables printed at the end of a run, and the ratios and targets read from the results. */
import type { BigInputRun } from "./cases/big-input.js";
import type { ClientCase, ClientRun } from "./cases/client.js";
import type { EndToEndRun } from "./cases/e2e.js";
import type { LatencyResult } from "./cases/latency.js";
import type { CodecLimit, SocketLimit } from "./cases/limits.js";
import type { ServerResult } from "./cases/server.js";
import { count, fixed, mib, percent, table } from "./lib/format.js";
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

export function limitsTable(m: Measurements): string {
  const rows: string[][] = [];
  const s = m.socket?.median;
  if (s !== undefined) {
    rows.push([
      "bare sender (socket)",
      "send",
      count(s.sendRate),
      count(s.sendEntriesPerSecond),
      "-",
    ]);
    rows.push([
      "bare receiver (count only)",
      "receive",
      count(s.receiveRate),
      count(s.receiveEntriesPerSecond),
      "-",
    ]);
  }
  for (const c of m.codec ?? []) {
    const name = `${c.library} ${c.kind} batches of 100`;
    rows.push([name, c.operation, "-", count(c.entriesPerSecond), fixed(c.megabytesPerSecond)]);
  }
  return table(["limit", "operation", "datagrams/s", "entries/s", "MB/s JSON"], rows);
}

export function clientTable(results: readonly ClientResult[]): string {
  const rows = results.map(({ case: c, median: r }) => [
    c.kind,
    String(c.batchSize),
    c.compress ? "yes" : "no",
    count(r.entriesPerSecond),
    count(r.datagramsPerSecond),
    fixed(r.bytesPerEntry),
    mib(r.peakRssBytes),
    fixed(r.wallSeconds, 2),
    count(r.sinkMissing + r.dropped),
  ]);
  const header = [
    "input",
    "batch",
    "zlib",
    "entries/s",
    "datagrams/s",
    "B/entry",
    "peak RSS",
    "wall s",
    "missing",
  ];
  return table(header, rows);
}

export function serverTable(result: ServerResult): string {
  const rows = [...result.search, ...result.confirmations].map((t, i) => [
    i < result.search.length ? "search" : "confirm",
    count(t.offeredRate),
    count(t.sentRate * 100),
    count(t.entriesPerSecond),
    percent(t.loss, 3),
    count(t.kernelDrops),
    mib(t.peakRssBytes),
    t.passed ? "ok" : t.senderLimited ? "sender-limited" : "loss",
  ]);
  const header = [
    "trial",
    "datagrams/s",
    "entries/s offered",
    "entries/s written",
    "loss",
    "kernel drops",
    "peak RSS",
    "",
  ];
  return table(header, rows);
}

export function endToEndTable(e: EndToEndResult): string {
  const rows = e.runs.map((r, i) => [
    String(i + 1),
    count(r.entries),
    fixed(r.wallSeconds, 2),
    count(r.entriesPerSecond),
    count(r.lost),
    count(r.duplicated),
    count(r.kernelDrops),
  ]);
  return table(
    ["run", "entries", "wall s", "entries/s", "lost", "duplicated", "kernel drops"],
    rows,
  );
}

export function latencyTable(results: readonly LatencyResult[]): string {
  const rows = results.map((l) => [
    l.name,
    count(l.rate),
    count(l.samples),
    fixed(l.p50Ms),
    fixed(l.p99Ms),
    fixed(l.maxMs),
    count(l.missing),
  ]);
  return table(["flush", "lines/s", "samples", "p50 ms", "p99 ms", "max ms", "missing"], rows);
}

export function bigInputTable(b: BigInputResult): string {
  const rows = b.runs.map((r, i) => [
    String(i + 1),
    `${fixed(r.inputBytes / 1e9, 2)} GB`,
    count(r.entries),
    count(r.entriesPerSecond),
    mib(r.peakRssBytes),
    count(r.dropped),
  ]);
  return table(["run", "piped", "entries", "entries/s", "peak RSS", "dropped"], rows);
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
  return table(["headline", "figure", "share", "of"], rows);
}
