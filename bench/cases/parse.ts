/**
 * The cost of turning one line into an entry, per parser and input, in
 * process: the client's line -> entry step (lineEntryMaker) over a block of
 * lines, timed pass by pass. The lines are cut from the block's bytes by
 * the client's LineSplitter, read by read, so each is what the client
 * hands the step: a slice of its read's text, its UTF-8 size, and whether
 * it holds anything JSON escapes. Every case runs once per round, rounds
 * interleaved, so all cases see the same machine; `--parse none` with
 * `--json-format raw` (the line kept as it is) is the reference. Times
 * without an offset are read in the process's local zone, the client's
 * default.
 */
import { lineEntryMaker } from "../../src/commands/client/input/entry-maker.js";
import { LineSplitter } from "../../src/commands/client/input/line-splitter.js";
import type { EntryConfig } from "../../src/commands/client/parse-options.js";
import { compileLineRegex, localZone } from "../../src/entries/index.js";
import { jsonLine, textLine } from "../lib/data.js";
import { fixed, table } from "../lib/format.js";
import { median } from "../lib/stats.js";
import type { Mode } from "../plan.js";

export interface ParseCase {
  readonly name: string;
  readonly input: string;
  readonly options: Partial<EntryConfig>;
}

export interface ParseResult {
  readonly case: string;
  readonly input: string;
  /** Nanoseconds per line: the median of the runs, and their lowest and highest. */
  readonly nsPerLine: number;
  readonly minNsPerLine: number;
  readonly maxNsPerLine: number;
  /** nsPerLine over the reference's. */
  readonly ratio: number;
  readonly runs: number[];
}

const SIZES: Record<Mode, { lines: number; runs: number }> = {
  quick: { lines: 20_000, runs: 5 },
  full: { lines: 200_000, runs: 9 },
};

const PATHS = ["/api/orders", "/api/users", "/api/cart", "/health"];
const LEVELS = ["debug", "info", "warn", "error"];
const pick = <T>(list: readonly T[], i: number) => list[i % list.length] as T;
const at = (i: number) => 1_800_000_000_000 + i * 137;

/** Input lines of each kind, about 100 to 250 bytes each. */
const INPUTS: Record<string, (i: number) => string> = {
  "text (ISO time, level)": textLine,
  "text (no time, no level)": (i) =>
    `GET ${pick(PATHS, i)}/${(i * 7919) % 100_000} 200 in ${i % 997} ms id=${i}`,
  syslog: (i) =>
    `Nov 24 10:${String(i % 60).padStart(2, "0")}:00 web-1 app[42]: ${pick(LEVELS, i).toUpperCase()} GET ${pick(PATHS, i)} id=${i}`,
  logfmt: (i) =>
    `time=${new Date(at(i)).toISOString()} level=${pick(LEVELS, i)} msg="GET ${pick(PATHS, i)}" status=200 duration_ms=${i % 997} id=${i}`,
  // In the order pino writes: its own fields, the bindings, the logged object, msg last.
  pino: (i) =>
    JSON.stringify({
      level: 30 + (i % 3) * 10,
      time: at(i),
      pid: 42,
      hostname: "web-1",
      name: "api",
      reqId: i,
      msg: `GET ${pick(PATHS, i)} id=${i}`,
    }),
  bunyan: (i) =>
    JSON.stringify({
      name: "api",
      hostname: "web-1",
      pid: 42,
      level: 30,
      msg: `GET ${pick(PATHS, i)} id=${i}`,
      time: new Date(at(i)).toISOString(),
      v: 0,
    }),
  winston: (i) =>
    JSON.stringify({
      level: pick(LEVELS, i),
      message: `GET ${pick(PATHS, i)} id=${i}`,
      timestamp: new Date(at(i)).toISOString(),
      service: "api",
    }),
  journald: (i) =>
    JSON.stringify({
      __CURSOR: `s=${i}`,
      __REALTIME_TIMESTAMP: String(at(i) * 1000),
      PRIORITY: "6",
      _HOSTNAME: "web-1",
      SYSLOG_IDENTIFIER: "api",
      _PID: "42",
      MESSAGE: `GET ${pick(PATHS, i)} id=${i}`,
    }),
  docker: (i) =>
    JSON.stringify({
      log: `INFO GET ${pick(PATHS, i)} id=${i}\n`,
      stream: "stdout",
      time: new Date(at(i)).toISOString(),
    }),
  "generic JSON": (i) =>
    JSON.stringify({
      ts: at(i) / 1000,
      severity: "INFO",
      msg: `GET ${pick(PATHS, i)} id=${i}`,
      caller: "main.go:42",
    }),
  "shipper JSON": jsonLine,
};

const NONE: Partial<EntryConfig> = { parse: { kind: "none" }, jsonFormat: "raw" };
const AUTO: Partial<EntryConfig> = { parse: { kind: "auto" }, jsonFormat: "auto" };
const REGEX = compileLineRegex(
  "^(?<timestamp>\\S+ \\S+) (?<level>\\w+) \\[(?<thread>[^\\]]+)\\] (?<message>.*)$",
);

/** The cases, the reference first. */
export const PARSE_CASES: readonly ParseCase[] = [
  { name: "none (reference)", input: "text (ISO time, level)", options: NONE },
  { name: "none", input: "text (no time, no level)", options: NONE },
  { name: "auto", input: "text (ISO time, level)", options: AUTO },
  { name: "auto", input: "text (no time, no level)", options: AUTO },
  { name: "auto", input: "syslog", options: AUTO },
  { name: "logfmt", input: "logfmt", options: { parse: { kind: "logfmt" } } },
  {
    name: "regex",
    input: "text (ISO time, level)",
    options: { parse: { kind: "regex", regex: REGEX } },
  },
  { name: "json raw", input: "pino", options: NONE },
  { name: "json raw", input: "shipper JSON", options: NONE },
  ...["pino", "bunyan", "winston", "journald", "docker", "generic JSON", "shipper JSON"].map(
    (input) => ({ name: "json auto", input, options: AUTO }),
  ),
];

function makerOf(options: Partial<EntryConfig>) {
  const entries: EntryConfig = {
    parse: { kind: "auto" },
    jsonFormat: "auto",
    // The client's default, --timezone local: a zone whose offset is looked up.
    zone: localZone(),
    hostName: "bench-host",
    fields: [],
    ...options,
  };
  // The wall clock, read for every line that gives no time, as the client reads it.
  return lineEntryMaker({ level: "INFO", service: "bench", entries }, Date.now);
}

/** A read's size: what Node reads from a pipe at a time. */
const READ_BYTES = 64 * 1024;

/** Lines as the client hands them to the step, cut from `lines` joined. */
interface CutLines {
  readonly lines: string[];
  readonly bytes: number[];
  readonly plain: boolean[];
}

/** `lines`, each with its line feed, cut as the client cuts its input, read by read. */
function cutAsClient(lines: readonly string[]): CutLines {
  const block = Buffer.from(lines.map((line) => `${line}\n`).join(""));
  const splitter = new LineSplitter(block.length);
  const cut: CutLines = { lines: [], bytes: [], plain: [] };
  const take = () => {
    for (let line = splitter.next(); line !== undefined; line = splitter.next()) {
      cut.lines.push(line);
      cut.bytes.push(splitter.lineBytes);
      cut.plain.push(splitter.plain);
    }
  };
  for (let at = 0; at < block.length; at += READ_BYTES) {
    splitter.feed(block.subarray(at, at + READ_BYTES));
    take();
  }
  if (splitter.finish()) take();
  return cut;
}

/** Nanoseconds per line of one pass over `cut`. */
function pass(maker: ReturnType<typeof makerOf>, cut: CutLines): [number, number] {
  const { lines, bytes, plain } = cut;
  let total = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i++)
    total += maker.make(lines[i] as string, bytes[i] as number, plain[i]).bytes;
  const ns = Number(process.hrtime.bigint() - start);
  return [ns / lines.length, total];
}

export function runParse(mode: Mode): ParseResult[] {
  const { lines: count, runs } = SIZES[mode];
  const prepared = PARSE_CASES.map((c) => {
    const make = INPUTS[c.input];
    if (make === undefined) throw new Error(`no input ${c.input}`);
    const cut = cutAsClient(Array.from({ length: count }, (_, i) => make(i)));
    if (cut.lines.length !== count) throw new Error(`${c.input}: ${cut.lines.length} lines cut`);
    return { c, maker: makerOf(c.options), cut };
  });
  const timings = prepared.map(() => [] as number[]);
  let sink = 0;
  for (const p of prepared) sink += pass(p.maker, p.cut)[1]; // warm-up
  for (let run = 0; run < runs; run++) {
    prepared.forEach((p, i) => {
      const [ns, total] = pass(p.maker, p.cut);
      timings[i]?.push(ns);
      sink += total;
    });
  }
  if (sink < 0) throw new Error("unreachable");
  const reference = median(timings[0] ?? []);
  return prepared.map((p, i) => {
    const values = timings[i] ?? [];
    const ns = median(values);
    return {
      case: p.c.name,
      input: p.c.input,
      nsPerLine: ns,
      minNsPerLine: Math.min(...values),
      maxNsPerLine: Math.max(...values),
      ratio: ns / reference,
      runs: values,
    };
  });
}

export function parseTable(results: readonly ParseResult[]): string {
  const rows = results.map((r) => [
    r.case,
    r.input,
    fixed(r.nsPerLine, 0),
    `${fixed(r.minNsPerLine, 0)}..${fixed(r.maxNsPerLine, 0)}`,
    `${fixed(r.ratio, 2)}x`,
  ]);
  return table(["parser", "input", "ns/line", "spread", "vs none"], rows);
}
