/**
 * A results file's tables as Markdown, section by section, with its
 * headline summary and ratios: what docs/performance.md and the README
 * quote, rendered by the same code that printed them during the run.
 *
 *   npm run bench:markdown -- bench/results/2026-12-07.json
 */
import { readFileSync } from "node:fs";
import { percent, table, useMarkdownTables } from "./lib/format.js";
import { summaryTable } from "./report.js";
import { type AllMeasurements, sectionTables } from "./section-tables.js";

type Results = AllMeasurements & {
  readonly command?: string;
  readonly startedAt?: string;
  readonly environment?: { readonly node?: string; readonly cpus?: number };
  readonly load?: { readonly atStart?: readonly number[] };
  readonly ratios?: Record<string, number>;
};

const path = process.argv[2];
if (path === undefined) {
  console.error("usage: npm run bench:markdown -- RESULTS.json");
  process.exit(2);
}
// JSON wrote each NaN (a figure that could not be taken) as null.
const r = JSON.parse(readFileSync(path, "utf8"), (_key, value) =>
  value === null ? Number.NaN : value,
) as Results;
useMarkdownTables();
const out: string[] = [];
const load = r.load?.atStart?.map((l) => l.toFixed(2)).join(" ") ?? "-";
out.push(
  `Run \`${r.command ?? "npm run bench"}\` of ${r.startedAt ?? "-"}, load at start ${load}.`,
);
for (const { section, text } of sectionTables(r)) out.push(`### ${section}\n\n${text}`);
const summary = summaryTable(r);
if (summary !== "") out.push(`### headline\n\n${summary}`);
const ratios = Object.entries(r.ratios ?? {});
if (ratios.length > 0) {
  out.push(
    `### ratios\n\n${table(
      ["ratio", "value"],
      ratios.map(([n, v]) => [n, percent(v)]),
    )}`,
  );
}
console.log(out.join("\n\n"));
