/**
 * The tables of the pino section (bench/cases/pino.ts), for each number of
 * entries the apps logged: each kind's figures, and the ratios of one kind
 * to another taken run by run (the kinds of one round ran back to back,
 * under the same load), as their median and range.
 */
import { median } from "../lib/stats.js";
import type { PinoKind, PinoResult } from "./pino.js";

function thousands(value: number): string {
  return `${(value / 1000).toFixed(0)}k`;
}

function range(values: readonly number[], format: (value: number) => string): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return "-";
  return `${format(Math.min(...finite))}..${format(Math.max(...finite))}`;
}

/** The tables of each number of entries, smallest first. */
export function pinoTable(results: readonly PinoResult[]): string {
  const sizes = [...new Set(results.map((r) => r.entries))].sort((a, b) => a - b);
  const tables = sizes.map((entries) => {
    const ofSize = results.filter((r) => r.entries === entries);
    return sizeTables(entries, ofSize);
  });
  return tables.join("\n\n");
}

function sizeTables(entries: number, results: readonly PinoResult[]): string {
  const size = entries.toLocaleString("en-US");
  const rows = results.map((r) => {
    const m = r.median;
    const rates = r.runs.map((run) => run.entriesPerSecond);
    const bytes = Number.isNaN(m.bytesPerEntry) ? "-" : m.bytesPerEntry.toFixed(1);
    const threads = `${m.mainCpuUsPerEntry.toFixed(2)} + ${m.otherCpuUsPerEntry.toFixed(2)}`;
    const ready = m.readyMs === undefined || Number.isNaN(m.readyMs) ? "-" : m.readyMs.toFixed(0);
    return `| ${r.kind} | ${thousands(m.entriesPerSecond)} | ${range(rates, thousands)} | ${thousands(r.entries / m.loopSeconds)} | ${m.cpuUsPerEntry.toFixed(2)} | ${threads} | ${m.received}/${r.entries} | ${m.dropped} | ${m.refused} | ${m.datagrams} | ${bytes} | ${ready} |`;
  });
  return [
    `| pino app, ${size} entries, exit at once | entries/s to exit (median) | min..max | entries/s, loop alone | CPU µs/entry | app thread + other threads | received | dropped | refused datagrams | datagrams | bytes/entry | start-up ms (not timed) |`,
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    ratioTable(size, results),
  ].join("\n");
}

const RATIOS: ReadonlyArray<readonly [PinoKind, PinoKind]> = [
  ["transport", "pino-socket"],
  ["transport", "pino-file"],
  ["pino-socket", "pino-file"],
  ["transport-targets", "pino-file"],
  ["transport-down", "transport"],
];

/** `a`'s figure over `b`'s, run by run. */
function perRun(
  results: readonly PinoResult[],
  a: PinoKind,
  b: PinoKind,
  key: "entriesPerSecond" | "cpuUsPerEntry",
): number[] {
  const runsOf = (kind: PinoKind) => results.find((r) => r.kind === kind)?.runs ?? [];
  const over = runsOf(b);
  return runsOf(a).map((run, i) => run[key] / (over[i]?.[key] ?? Number.NaN));
}

function ratioTable(size: string, results: readonly PinoResult[]): string {
  const two = (value: number) => value.toFixed(2);
  const rows = RATIOS.map(([a, b]) => {
    const rate = perRun(results, a, b, "entriesPerSecond");
    const cpu = perRun(results, a, b, "cpuUsPerEntry");
    return `| ${a} / ${b} | ${two(median(rate))} | ${range(rate, two)} | ${two(median(cpu))} | ${range(cpu, two)} |`;
  });
  return [
    `| ratio, run by run, ${size} entries | entries/s (median) | min..max | CPU per entry (median) | min..max |`,
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
