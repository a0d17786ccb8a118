/**
 * The tables of a results file as Markdown, for docs/performance.md.
 *
 *   tsx bench/markdown.ts bench/results/2026-11-24.json
 */
import { readFileSync } from "node:fs";
import { compressionLabel } from "./cases/client.js";
import type { ServerTrial } from "./cases/server.js";
import { count, fixed, mib, percent } from "./lib/format.js";
import type { Measurements } from "./report.js";

type Results = Measurements & {
  readonly ratios: Record<string, number>;
  readonly server?: { median?: ServerTrial; sustainedRate: number; confirmations: ServerTrial[] };
};

function md(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const rule = header.map((_, i) => (i === 0 ? "---" : "--:"));
  return [line(header), line(rule), ...rows.map(line)].join("\n");
}

const path = process.argv[2];
if (path === undefined) throw new Error("usage: markdown.ts RESULTS.json");
const r = JSON.parse(readFileSync(path, "utf8")) as Results;
const out: string[] = [];

if (r.client !== undefined) {
  out.push(
    md(
      ["input", "batch", "compression", "entries/s", "datagrams/s", "B/entry", "peak RSS"],
      r.client.map(({ case: c, median: m }) => [
        c.kind,
        String(c.batchSize),
        compressionLabel(c),
        count(m.entriesPerSecond),
        count(m.datagramsPerSecond),
        fixed(m.bytesPerEntry),
        mib(m.peakRssBytes),
      ]),
    ),
  );
}
if (r.server?.median !== undefined) {
  const s = r.server.median;
  const passes = r.server.confirmations.filter((t) => t.offeredRate === s.offeredRate && t.passed);
  const runs = r.server.confirmations.filter((t) => t.offeredRate === s.offeredRate);
  out.push(
    md(
      [
        "datagrams/s offered",
        "entries/s written",
        "loss",
        "kernel drops",
        "peak RSS",
        "runs under 0.1 %",
      ],
      [
        [
          count(s.offeredRate),
          count(s.entriesPerSecond),
          percent(s.loss, 3),
          count(s.kernelDrops),
          mib(s.peakRssBytes),
          `${passes.length} of ${runs.length}`,
        ],
      ],
    ),
  );
}
if (r.endToEnd !== undefined) {
  const e = r.endToEnd;
  out.push(
    md(
      ["entries", "wall s", "entries/s", "lost (worst run)", "duplicated (worst run)", "runs"],
      [
        [
          count(e.median.entries),
          fixed(e.median.wallSeconds, 2),
          count(e.median.entriesPerSecond),
          count(e.worstLost),
          count(e.worstDuplicated),
          String(e.runs.length),
        ],
      ],
    ),
  );
}
if (r.latency !== undefined) {
  out.push(
    md(
      ["flush", "lines/s", "samples", "p50 ms", "p99 ms"],
      r.latency.map((l) => [
        l.name,
        count(l.rate),
        count(l.samples),
        fixed(l.p50Ms),
        fixed(l.p99Ms),
      ]),
    ),
  );
}
const limitRows: string[][] = [];
if (r.socket !== undefined) {
  const s = r.socket.median;
  limitRows.push(["bare sender", count(s.sendRate), count(s.sendEntriesPerSecond)]);
  limitRows.push(["bare receiver", count(s.receiveRate), count(s.receiveEntriesPerSecond)]);
}
for (const c of r.codec ?? []) {
  limitRows.push([`${c.library} ${c.operation}, ${c.kind}`, "-", count(c.entriesPerSecond)]);
}
if (limitRows.length > 0) out.push(md(["limit", "datagrams/s", "entries/s"], limitRows));
for (const big of [r.bigInput, r.bigInputMainThread]) {
  if (big === undefined) continue;
  out.push(
    md(
      ["run", "compression", "piped", "entries", "entries/s", "peak RSS"],
      big.runs.map((b, i) => [
        String(i + 1),
        big.thread === false ? "main thread" : "thread",
        `${fixed(b.inputBytes / 1e9, 2)} GB`,
        count(b.entries),
        count(b.entriesPerSecond),
        mib(b.peakRssBytes),
      ]),
    ),
  );
}
out.push(
  md(
    ["ratio", "value"],
    Object.entries(r.ratios).map(([name, value]) => [name, percent(value)]),
  ),
);
console.log(out.join("\n\n"));
