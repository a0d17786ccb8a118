/**
 * Start-up of shipper-client as a user times it: `--help`, and a run that
 * ships 10 lines (stdin a file) to the sink, each beside `node -e 0` in the
 * same run, and a program's load of the library (`import()` of the file
 * package.json exports as `udp-log-shipper`), all interleaved so that the
 * machine's load falls on all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CLIENT_BIN, HOST, ROOT } from "../../test/support/process.js";
import { linesBlock } from "../lib/data.js";
import { count, fixed, table } from "../lib/format.js";
import type { Sink } from "../lib/sink.js";
import { ratio } from "../lib/stats.js";
import { type Spread, spreadOf, timeProcess } from "../lib/wall.js";

export interface StartupResult {
  readonly runs: number;
  /** Wall seconds of each command. */
  readonly nodeAlone: Spread;
  readonly help: Spread;
  readonly tenLines: Spread;
  /** `node -e` importing the library; absent from runs made before it was timed. */
  readonly library?: Spread;
  /** Median over median, to `node -e 0`. */
  readonly helpRatio: number;
  readonly tenLinesRatio: number;
  readonly libraryRatio?: number;
  /** Exit codes other than 0 seen (a failed run is still timed). */
  readonly failures: number;
}

/** The file package.json exports as `udp-log-shipper`, as a URL for import(). */
function libraryUrl(): string {
  const manifest = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as {
    exports: { ".": { default: string } };
  };
  return pathToFileURL(`${ROOT}${manifest.exports["."].default}`).href;
}

export async function runStartup(sink: Sink, dir: string, runs: number): Promise<StartupResult> {
  const ten = join(dir, "ten-lines.txt");
  writeFileSync(ten, linesBlock("text", 0, 10));
  const node = process.execPath;
  const client = [CLIENT_BIN, "--target-host", HOST, "--target-port", String(sink.port)];
  const library = ["-e", "import(process.argv[1])", libraryUrl()];
  const times = {
    nodeAlone: [] as number[],
    help: [] as number[],
    tenLines: [] as number[],
    library: [] as number[],
  };
  let failures = 0;
  // One unmeasured round first: the page cache holds the files from then on.
  for (let i = 0; i <= runs; i++) {
    const round = [
      await timeProcess(node, ["-e", "0"]),
      await timeProcess(node, [CLIENT_BIN, "--help"]),
      await timeProcess(node, client, ten),
      await timeProcess(node, library),
    ] as const;
    if (i === 0) continue;
    failures += round.filter((run) => run.code !== 0).length;
    times.nodeAlone.push(round[0].seconds);
    times.help.push(round[1].seconds);
    times.tenLines.push(round[2].seconds);
    times.library.push(round[3].seconds);
  }
  await sink.take(50);
  const nodeAlone = spreadOf(times.nodeAlone);
  const help = spreadOf(times.help);
  const tenLines = spreadOf(times.tenLines);
  const libraryLoad = spreadOf(times.library);
  return {
    runs,
    nodeAlone,
    help,
    tenLines,
    library: libraryLoad,
    helpRatio: ratio(help.median, nodeAlone.median),
    tenLinesRatio: ratio(tenLines.median, nodeAlone.median),
    libraryRatio: ratio(libraryLoad.median, nodeAlone.median),
    failures,
  };
}

const ms = (s: number) => fixed(s * 1000, 1);

export function startupTable(r: StartupResult): string {
  const row = (name: string, s: Spread, against: string) => [
    name,
    ms(s.median),
    `${ms(s.min)}–${ms(s.max)}`,
    against,
  ];
  return table(
    ["command", "ms (median)", "spread", "to `node -e 0`"],
    [
      row("`node -e 0`", r.nodeAlone, "1"),
      row("`shipper-client --help`", r.help, fixed(r.helpRatio, 2)),
      row("`shipper-client`, 10 lines", r.tenLines, fixed(r.tenLinesRatio, 2)),
      ...(r.library === undefined
        ? []
        : [row("`node -e` importing `udp-log-shipper`", r.library, fixed(r.libraryRatio ?? 0, 2))]),
    ],
  ).concat(`\n${count(r.runs)} runs of each, interleaved; ${r.failures} failed`);
}

/** The `startup` section of bench/run.ts: runs, prints its table, returns the figures. */
export async function startupSection(
  sink: Sink,
  mode: "full" | "quick",
  say: (text: string) => void,
): Promise<StartupResult> {
  say(
    "startup: `node -e 0`, `shipper-client --help`, a 10-line run and the library's import, interleaved",
  );
  const dir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  try {
    const result = await runStartup(sink, dir, mode === "quick" ? 5 : 11);
    say(`${startupTable(result)}\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
