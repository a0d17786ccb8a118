/** What a full and a quick run measure, and how many times. */
import type { ClientCase } from "./cases/client.js";
import type { LatencyCase } from "./cases/latency.js";
import type { PerDatagramPlan } from "./cases/per-datagram.js";
import type { SearchOptions } from "./cases/server.js";

export type Mode = "full" | "quick";

export interface Plan {
  readonly mode: Mode;
  /** Runs of which each figure is the median. */
  readonly runs: number;
  /** Lines piped into the client per run. */
  readonly clientEntries: number;
  readonly clientCases: readonly ClientCase[];
  readonly server: SearchOptions;
  readonly endToEndEntries: number;
  /** The server's CPU per datagram under a paced load (bench/cases/per-datagram.ts). */
  readonly perDatagram: PerDatagramPlan;
  readonly latency: readonly LatencyCase[];
  /** Duration of one bare-socket run, and of one codec run. */
  readonly socketLimitMs: number;
  readonly codecMs: number;
  /** Bytes piped in the large-input memory case; 0 skips it. */
  readonly bigInputBytes: number;
  readonly bigInputRuns: number;
}

function perDatagram(runs: number, measureMs: number): PerDatagramPlan {
  const cases = [
    { shape: "syslog-3164", rate: 10_000 },
    { shape: "syslog-5424", rate: 10_000 },
    { shape: "json", rate: 10_000 },
    { shape: "framed", rate: 1000 },
    { shape: "framed-10", rate: 10_000 },
  ] as const;
  return { cases, runs, warmupMs: 1000, measureMs };
}

const BATCH_SIZES = [10, 100, 1000] as const;

function allClientCases(): ClientCase[] {
  const cases: ClientCase[] = [];
  for (const kind of ["text", "json"] as const) {
    for (const compress of [true, false]) {
      for (const batchSize of BATCH_SIZES) cases.push({ kind, batchSize, compress });
    }
    cases.push({ kind, batchSize: 100, compress: true, thread: false });
  }
  return cases;
}

function latencyCases(durationMs: number, withDefault: boolean): LatencyCase[] {
  const cases: LatencyCase[] = [
    {
      name: "interval 0.05 s",
      args: ["--batch-interval", "0.05"],
      rate: 50,
      durationMs,
      tailMs: 500,
    },
    {
      name: "flush-level ERROR",
      // The bench's lines name their own levels; without parsing, every
      // line takes --level's, so each one is flushed at once.
      args: ["--parse", "none", "--level", "ERROR", "--flush-level", "ERROR"],
      rate: 50,
      durationMs,
      tailMs: 300,
    },
  ];
  if (withDefault) {
    cases.push({
      name: "interval 5 s (default)",
      args: [],
      rate: 20,
      durationMs: 30_000,
      tailMs: 6000,
    });
  }
  return cases;
}

export function plan(mode: Mode): Plan {
  if (mode === "quick") {
    return {
      mode,
      runs: 3,
      clientEntries: 100_000,
      clientCases: allClientCases().filter(
        (c) => c.batchSize === 100 || (c.kind === "text" && c.compress),
      ),
      server: {
        startRate: 4000,
        warmupMs: 250,
        trialMs: 750,
        precision: 0.5,
        maxRates: 5,
        runsPerRate: 1,
        confirmRuns: 3,
      },
      endToEndEntries: 100_000,
      perDatagram: perDatagram(3, 1500),
      latency: latencyCases(2000, false),
      socketLimitMs: 500,
      codecMs: 200,
      bigInputBytes: 0,
      bigInputRuns: 0,
    };
  }
  return {
    mode,
    runs: 5,
    clientEntries: 1_000_000,
    clientCases: allClientCases(),
    server: {
      startRate: 2000,
      warmupMs: 1000,
      trialMs: 3000,
      precision: 0.1,
      maxRates: 8,
      runsPerRate: 3,
      confirmRuns: 5,
    },
    endToEndEntries: 1_000_000,
    perDatagram: perDatagram(5, 3000),
    latency: latencyCases(20_000, true),
    socketLimitMs: 2000,
    codecMs: 500,
    bigInputBytes: 1_000_000_000,
    bigInputRuns: 3,
  };
}
