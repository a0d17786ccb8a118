/** The per-section tables a run prints as it goes. */
import { compressionLabel } from "./cases/client.js";
import type { LatencyResult } from "./cases/latency.js";
import type { ServerResult } from "./cases/server.js";
import { count, fixed, mib, percent, table } from "./lib/format.js";
import type { BigInputResult, ClientResult, EndToEndResult, Measurements } from "./report.js";

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
    compressionLabel(c),
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
    "compression",
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
  const rows = e.pairs.map((pair, i) => {
    const r = pair.endToEnd;
    return [
      String(i + 1),
      count(r.entries),
      fixed(pair.client.wallSeconds, 2),
      fixed(r.wallSeconds, 2),
      count(r.entriesPerSecond),
      percent(pair.wallRatio),
      count(r.lost + r.foreign),
      count(r.duplicated),
      count(r.kernelDrops),
    ];
  });
  const header = ["run", "entries", "client s", "e2e s", "e2e entries/s", "of client"];
  const result = table([...header, "lost", "duplicated", "kernel drops"], rows);
  const spread = `${percent(e.minWallRatio)}..${percent(e.maxWallRatio)}`;
  return `${result}\nmedian ${percent(e.wallRatio)} of the client alone (spread ${spread})`;
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
    b.thread === false ? "main thread" : "thread",
    `${fixed(r.inputBytes / 1e9, 2)} GB`,
    count(r.entries),
    count(r.entriesPerSecond),
    mib(r.peakRssBytes),
    count(r.dropped),
  ]);
  return table(
    ["run", "compression", "piped", "entries", "entries/s", "peak RSS", "dropped"],
    rows,
  );
}
