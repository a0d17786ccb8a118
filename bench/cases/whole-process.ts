/**
 * shipper-client as a user times it, `time (cat app.log | shipper-client)`:
 * text lines piped from a file into the built command, batch 100, to the
 * counting sink, start-up to exit. Beside it in the same run: util-linux
 * `logger -f FILE` sending the same file to the same sink (one uncompressed
 * datagram per line, when `logger` is on PATH), the client with
 * `--parse none`, and the client at its default batch size (10 entries, a
 * datagram that fits an Ethernet frame: ten times the datagrams). Several
 * input sizes, as the rate depends on it: start-up and JIT warm-up weigh
 * on small inputs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_BATCH_SIZE } from "../../src/foundation/limits.js";
import { CLIENT_BIN, HOST } from "../../test/support/process.js";
import { linesBlock } from "../lib/data.js";
import { count, fixed, percent, table } from "../lib/format.js";
import type { Sink } from "../lib/sink.js";
import { ratio } from "../lib/stats.js";
import { pipedFrom, type Spread, spreadOf, timeProcess } from "../lib/wall.js";

/** The commands timed on each input. */
const TOOLS = ["client", "client --parse none", "client, default batch", "logger -f"] as const;
type Tool = (typeof TOOLS)[number];

export interface WholeProcessSize {
  readonly lines: number;
  readonly inputBytes: number;
  /** Lines per second over the whole process, per tool; absent: not run. */
  readonly rates: Partial<Record<Tool, Spread>>;
  /** The client's median rate over logger's; NaN without logger. */
  readonly clientOverLogger: number;
  /** The same at the default batch size; absent in older results. */
  readonly defaultBatchOverLogger?: number;
  /** How much slower `--parse auto` (the default) is than `--parse none`: 1 - auto/none. */
  readonly parseAutoSlower: number;
  /**
   * The same two, paired: each round runs every tool back to back, and these
   * are the median (and spread) of the rounds' own ratios, which a drift of
   * the machine's load over the run moves less. Absent in older results.
   */
  readonly paired?: {
    readonly clientOverLogger?: Spread;
    readonly defaultBatchOverLogger?: Spread;
    readonly parseAutoSlower: Spread;
  };
  /** Datagrams the sink counted per run of each tool (median). */
  readonly sinkDatagrams: Partial<Record<Tool, number>>;
  /** Runs that exited with a code other than 0. */
  readonly failures: number;
}

export interface WholeProcessResult {
  readonly runs: number;
  readonly batchSize: number;
  /** The client's default batch size, the `client, default batch` runs'; absent in older results. */
  readonly defaultBatchSize?: number;
  /** Why `logger -f` was not run, when it was not. */
  readonly loggerSkipped?: string;
  readonly sizes: readonly WholeProcessSize[];
}

export interface WholeProcessPlan {
  readonly runs: number;
  readonly sizes: readonly number[];
}

export function wholeProcessPlan(mode: "full" | "quick"): WholeProcessPlan {
  return mode === "quick"
    ? { runs: 3, sizes: [10_000, 100_000, 300_000] }
    : { runs: 7, sizes: [10_000, 100_000, 300_000, 1_000_000] };
}

const BATCH_SIZE = 100;

/** Why util-linux `logger` cannot be used here; undefined when it can. */
function loggerMissing(): string | undefined {
  const probe = spawnSync("logger", ["--help"], { encoding: "utf8" });
  if (probe.error !== undefined) return "logger is not on PATH";
  return /--udp/.test(probe.stdout) ? undefined : "logger is not util-linux logger (no --udp)";
}

function command(tool: Tool, port: number, file: string): [string, string[]] {
  if (tool === "logger -f") {
    return ["logger", ["--udp", "--server", HOST, "--port", String(port), "-f", file]];
  }
  const args = [CLIENT_BIN, "--target-host", HOST, "--target-port", String(port)];
  if (tool !== "client, default batch") args.push("--batch-size", String(BATCH_SIZE));
  args.push("--stats-interval", "0");
  if (tool === "client --parse none") args.push("--parse", "none");
  return pipedFrom(file, [process.execPath, ...args]);
}

async function measureSize(
  sink: Sink,
  file: string,
  lines: number,
  runs: number,
  tools: readonly Tool[],
): Promise<Omit<WholeProcessSize, "inputBytes">> {
  const seconds = new Map<Tool, number[]>(tools.map((tool) => [tool, []]));
  const datagrams = new Map<Tool, number[]>(tools.map((tool) => [tool, []]));
  let failures = 0;
  await sink.reset();
  for (let i = 0; i < runs; i++) {
    for (const tool of tools) {
      const [cmd, args] = command(tool, sink.port, file);
      const run = await timeProcess(cmd, args);
      if (run.code !== 0) failures += 1;
      seconds.get(tool)?.push(run.seconds);
      datagrams.get(tool)?.push((await sink.take(100)).datagrams);
    }
  }
  const rates: Partial<Record<Tool, Spread>> = {};
  const sinkDatagrams: Partial<Record<Tool, number>> = {};
  for (const tool of tools) {
    rates[tool] = spreadOf((seconds.get(tool) ?? []).map((s) => lines / s));
    sinkDatagrams[tool] = spreadOf(datagrams.get(tool) ?? []).median;
  }
  const client = rates.client?.median ?? Number.NaN;
  const logger = rates["logger -f"]?.median ?? Number.NaN;
  return {
    lines,
    rates,
    clientOverLogger: ratio(client, logger),
    defaultBatchOverLogger: ratio(rates["client, default batch"]?.median ?? Number.NaN, logger),
    parseAutoSlower: 1 - ratio(client, rates["client --parse none"]?.median ?? Number.NaN),
    paired: pairedRatios(seconds),
    sinkDatagrams,
    failures,
  };
}

/**
 * Each round's own ratios (see WholeProcessSize.paired): the time of the
 * other tool over the client's, or (default batch) logger's time over it.
 */
function pairedRatios(seconds: ReadonlyMap<Tool, readonly number[]>) {
  const per = (tool: Tool, of: Tool = "client") => {
    const other = seconds.get(tool);
    const base = seconds.get(of);
    if (other === undefined || base === undefined) return undefined;
    return spreadOf(base.map((s, i) => (other[i] ?? NaN) / s));
  };
  const logger = per("logger -f");
  const defaultBatch = per("logger -f", "client, default batch");
  const none = per("client --parse none") ?? spreadOf([Number.NaN]);
  return {
    ...(logger === undefined ? {} : { clientOverLogger: logger }),
    ...(defaultBatch === undefined ? {} : { defaultBatchOverLogger: defaultBatch }),
    // 1 - auto/none by rate is 1 - none's time over auto's: the spread's ends swap.
    parseAutoSlower: {
      median: 1 - none.median,
      min: 1 - none.max,
      max: 1 - none.min,
      runs: none.runs,
    },
  };
}

export async function runWholeProcess(
  sink: Sink,
  dir: string,
  plan: WholeProcessPlan,
  say: (text: string) => void,
): Promise<WholeProcessResult> {
  const loggerSkipped = loggerMissing();
  if (loggerSkipped !== undefined) say(`whole: ${loggerSkipped}: skipping logger -f`);
  const tools = TOOLS.filter((tool) => tool !== "logger -f" || loggerSkipped === undefined);
  const sizes: WholeProcessSize[] = [];
  for (const lines of plan.sizes) {
    const file = join(dir, `text-${lines}.log`);
    const input = linesBlock("text", 0, lines);
    writeFileSync(file, input);
    const size = await measureSize(sink, file, lines, plan.runs, tools);
    sizes.push({ ...size, inputBytes: input.length });
    say(`whole: ${count(lines)} lines: done`);
  }
  return {
    runs: plan.runs,
    batchSize: BATCH_SIZE,
    defaultBatchSize: DEFAULT_BATCH_SIZE,
    ...(loggerSkipped === undefined ? {} : { loggerSkipped }),
    sizes,
  };
}

/** `; paired M (lo–hi)`, the rounds' own ratios; "" in results that lack them. */
function pairedText(s: Spread | undefined, show: (n: number) => string): string {
  return s === undefined ? "" : `; paired ${show(s.median)} (${show(s.min)}–${show(s.max)})`;
}

/** A ratio of the medians to two places, then its paired one. */
function ratioText(value: number, paired: Spread | undefined): string {
  return `${fixed(value, 2)}${pairedText(paired, (n) => fixed(n, 2))}`;
}

function rate(s: Spread | undefined): string {
  return s === undefined ? "-" : `${count(s.median)} (${count(s.min)}–${count(s.max)})`;
}

export function wholeProcessTable(r: WholeProcessResult): string {
  const rows = r.sizes.map((s) => [
    count(s.lines),
    fixed(s.inputBytes / s.lines, 1),
    rate(s.rates.client),
    rate(s.rates["client --parse none"]),
    rate(s.rates["logger -f"]),
    ratioText(s.clientOverLogger, s.paired?.clientOverLogger),
    `${percent(s.parseAutoSlower)}${pairedText(s.paired?.parseAutoSlower, percent)}`,
    rate(s.rates["client, default batch"]),
    s.defaultBatchOverLogger === undefined
      ? "-"
      : ratioText(s.defaultBatchOverLogger, s.paired?.defaultBatchOverLogger),
  ]);
  const note = [
    `lines/s over the whole process, median (lowest–highest) of ${r.runs} runs, batch ${r.batchSize}`,
    r.defaultBatchSize === undefined ? "" : ` (default batch: ${r.defaultBatchSize})`,
    r.sizes[0]?.paired === undefined
      ? ""
      : "; ratios: of the medians, then paired: the median of each round's own ratio (every tool runs once a round, back to back)",
    r.loggerSkipped === undefined ? "" : `; logger -f skipped: ${r.loggerSkipped}`,
  ].join("");
  return `${table(
    [
      "lines",
      "B/line",
      "client (--parse auto)",
      "client --parse none",
      "logger -f",
      "client / logger",
      "auto slower",
      "client, default batch",
      "default batch / logger",
    ],
    rows,
  )}\n${note}`;
}

/** The `whole` section of bench/run.ts: runs, prints its table, returns the figures. */
export async function wholeProcessSection(
  sink: Sink,
  mode: "full" | "quick",
  say: (text: string) => void,
): Promise<WholeProcessResult> {
  say("whole: text lines piped from a file into the client, beside logger -f");
  const dir = mkdtempSync(join(tmpdir(), "bench-whole-"));
  try {
    const result = await runWholeProcess(sink, dir, wholeProcessPlan(mode), say);
    say(`${wholeProcessTable(result)}\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
