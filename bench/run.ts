/**
 * The benchmark: shipper-client, shipper-server and both together, each
 * beside the machine's limits, measured with the built commands on
 * loopback. Prints tables and writes the results as JSON.
 *
 *   npm run bench              # full: 1M entries, median of 5 (about 30 min)
 *   npm run bench:quick        # 100k entries, median of 3 (under a minute)
 *   tsx bench/run.ts [--quick] [--only startup,whole,levels,limits,client,parse,reliable,server,
 *                     per-datagram,e2e,latency,big,sinks,outputs,pino,workers]
 *                    [--wait-load 0.5] [--out FILE]
 *
 * Nothing here fails on timing: the figures are reported, never asserted.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { CLIENT_BIN, ROOT, SERVER_BIN } from "../test/support/process.js";
import { runBigInput } from "./cases/big-input.js";
import { runClient } from "./cases/client.js";
import { runEndToEndPairs } from "./cases/e2e.js";
import { runLatency } from "./cases/latency.js";
import { levelsSection } from "./cases/levels.js";
import { codecLimits, socketLimit } from "./cases/limits.js";
import { outputsTable, runOutputs } from "./cases/outputs.js";
import { parseTable, runParse } from "./cases/parse.js";
import { perDatagramTable, runPerDatagram } from "./cases/per-datagram.js";
import { runPino } from "./cases/pino.js";
import { pinoTable } from "./cases/pino-table.js";
import { recoveryTable, runRecovery } from "./cases/recovery.js";
import { reliableTable, runReliable } from "./cases/reliable.js";
import { searchServer } from "./cases/server.js";
import { runSinks, sinksTable } from "./cases/sinks.js";
import { startupSection } from "./cases/startup.js";
import { wholeProcessSection } from "./cases/whole-process.js";
import { runWorkers, workersPlan, workersTable } from "./cases/workers.js";
import { CpuAccount, type CpuShares } from "./lib/cpu-share.js";
import { linesBlock } from "./lib/data.js";
import { environment, LoadSampler, load, waitForLowLoad } from "./lib/environment.js";
import { Sender } from "./lib/sender.js";
import { Sink } from "./lib/sink.js";
import { medianOf } from "./lib/stats.js";
import { type Plan, plan } from "./plan.js";
import * as report from "./report.js";
import type { AllMeasurements } from "./section-tables.js";
import * as tables from "./tables.js";

const SECTIONS = [
  "startup",
  "whole",
  "levels",
  "limits",
  "client",
  "parse",
  "reliable",
  "server",
  "per-datagram",
  "e2e",
  "latency",
  "big",
  "sinks",
  "outputs",
  "pino",
  "workers",
] as const;
type Section = (typeof SECTIONS)[number];
const MAX_LOAD_WAIT_MS = 20 * 60 * 1000;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      "wait-load": { type: "string" },
      out: { type: "string" },
    },
  });
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--only: unknown section ${unknown.join(", ")}`);
  const waitLoad = values["wait-load"] === undefined ? undefined : Number(values["wait-load"]);
  return { quick: values.quick, sections: new Set(only as Section[]), waitLoad, out: values.out };
}

const say = (text: string) => console.log(text);

async function measure(p: Plan, sections: Set<Section>, failures: string[]) {
  const m: AllMeasurements = {};
  const cpu = new CpuAccount();
  let shares: CpuShares | undefined;
  const sink = await Sink.start();
  const sender = await Sender.start();
  try {
    if (sections.has("startup")) m.startup = await startupSection(sink, p.mode, say);
    if (sections.has("whole")) m.whole = await wholeProcessSection(sink, p.mode, say);
    if (sections.has("levels")) m.levels = levelsSection(p.mode, say);
    if (sections.has("limits")) {
      say("limits: bare sender and receiver, codec");
      m.socket = await socketLimit(sender, sink, p.socketLimitMs, p.runs);
      m.codec = [
        ...codecLimits("text", p.codecMs, p.runs),
        ...codecLimits("json", p.codecMs, p.runs),
      ];
      say(`${tables.limitsTable(m)}\n`);
    }
    if (sections.has("client")) {
      m.client = [];
      const inputs = {
        text: linesBlock("text", 0, p.clientEntries),
        json: linesBlock("json", 0, p.clientEntries),
      };
      for (const c of p.clientCases) {
        const runs = [];
        for (let i = 0; i < p.runs; i++) runs.push(await runClient(c, inputs[c.kind], sink));
        m.client.push({ case: c, median: medianOf(runs), runs });
        say(`client ${c.kind} batch ${c.batchSize}${c.compress ? " zlib" : ""}: done`);
      }
      say(`${tables.clientTable(m.client)}\n`);
    }
    if (sections.has("parse")) {
      say("parse: ns per line of the line -> entry step, per parser and input");
      m.parse = runParse(p.mode);
      say(`${parseTable(m.parse)}\n`);
    }
    if (sections.has("reliable")) {
      m.reliable = await runReliable(linesBlock("json", 0, p.clientEntries), p.runs);
      say(`${reliableTable(m.reliable)}\n`);
      m.recovery = await runRecovery(p.runs);
      say(`${recoveryTable(m.recovery)}\n`);
    }
    if (sections.has("server")) {
      say("server: searching the highest rate with < 0.1 % loss");
      m.server = await searchServer(sender, p.server);
      say(`${tables.serverTable(m.server)}\n`);
    }
    if (sections.has("per-datagram")) {
      say("per-datagram: the server's CPU per datagram under a paced load");
      m.perDatagram = await runPerDatagram(sender, p.perDatagram, say);
      say(`${perDatagramTable(m.perDatagram)}\n`);
    }
    if (sections.has("e2e")) {
      const input = linesBlock("text", 0, p.endToEndEntries);
      m.endToEnd = await runEndToEndPairs(input, p.endToEndEntries, p.runs, sink);
      say(`${tables.endToEndTable(m.endToEnd)}\n`);
      if (m.endToEnd.worstLost > 0 || m.endToEnd.worstDuplicated > 0) failures.push("e2e");
    }
    if (sections.has("latency")) {
      say("latency: cases run side by side at a low rate");
      m.latency = await Promise.all(p.latency.map((c) => runLatency(c)));
      say(`${tables.latencyTable(m.latency)}\n`);
    }
    if (sections.has("big") && p.bigInputBytes > 0) {
      say(`client: ${(p.bigInputBytes / 1e9).toFixed(1)} GB of lines through stdin`);
      for (const thread of [true, false]) {
        const runs = [];
        for (let i = 0; i < p.bigInputRuns; i++) {
          runs.push(await runBigInput(sink, p.bigInputBytes, thread));
        }
        const result = {
          thread,
          median: medianOf(runs),
          maxPeakRssBytes: Math.max(...runs.map((r) => r.peakRssBytes)),
          runs,
        };
        if (thread) m.bigInput = result;
        else m.bigInputMainThread = result;
        say(`${tables.bigInputTable(result)}\n`);
      }
    }
    if (sections.has("sinks")) {
      say("sinks: the HTTP and NATS JetStream sinks alone, batch after batch");
      const sinksPlan =
        p.mode === "quick" ? { runs: 3, entries: 20_000 } : { runs: 5, entries: 100_000 };
      m.sinks = await runSinks(sinksPlan, say);
      say(`${sinksTable(m.sinks)}\n`);
    }
    if (sections.has("outputs")) {
      say("outputs: the whole server to each output under the same paced load, beside stdout");
      const outputsPlan =
        p.mode === "quick"
          ? { runs: 3, datagrams: 2000, rate: 5000 }
          : { runs: 5, datagrams: 5000, rate: 5000 };
      m.outputs = await runOutputs(sender, outputsPlan, say);
      say(`${outputsTable(m.outputs)}\n`);
    }
    if (sections.has("pino")) {
      say("pino: an app logging to the transport, pino/file (/dev/null) and pino-socket (UDP)");
      // A short burst, where V8's start-up work weighs, and a long one, nearer a service's steady rate.
      const sizes = p.mode === "quick" ? [20_000] : [100_000, 1_000_000];
      m.pino = [];
      for (const entries of sizes) {
        m.pino.push(...(await runPino(entries, p.mode === "quick" ? 3 : 5)));
      }
      say(`${pinoTable(m.pino)}\n`);
    }
    if (sections.has("workers")) {
      say("workers: 1 and 2 decoding workers beside rsyslogd and a bare socket, sendmmsg load");
      m.workers = await runWorkers(workersPlan(p.mode), say);
      say(`${workersTable(m.workers)}\n`);
    }
  } finally {
    shares = cpu.finish([sink.pid, sender.pid]);
    sink.stop();
    sender.stop();
  }
  return { m, shares };
}

function resultPath(quick: boolean, startedAt: Date): string {
  const date = startedAt.toISOString().slice(0, 10);
  return `${ROOT}bench/results/${quick ? "quick-" : ""}${date}.json`;
}

async function main(): Promise<void> {
  const o = options();
  for (const bin of [CLIENT_BIN, SERVER_BIN]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run npm run build first`);
  }
  const p = plan(o.quick ? "quick" : "full");
  const waitedSeconds =
    o.waitLoad === undefined ? 0 : await waitForLowLoad(o.waitLoad, MAX_LOAD_WAIT_MS, say);
  const startedAt = new Date();
  const machine = environment();
  const loadAtStart = load();
  say(
    `${p.mode} run, node ${process.version}, load ${loadAtStart.map((l) => l.toFixed(2)).join(" ")}`,
  );
  const sampler = new LoadSampler();
  const failures: string[] = [];
  const { m: measurements, shares } = await measure(p, o.sections, failures);
  const during = sampler.stop();
  const finishedAt = new Date();
  const results = {
    mode: p.mode,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    command: `tsx bench/run.ts ${process.argv.slice(2).join(" ")}`.trim(),
    environment: machine,
    /** True when dist/ was rebuilt while the run went on: its figures mix two builds. */
    rebuiltDuringRun: JSON.stringify(environment().builtAt) !== JSON.stringify(machine.builtAt),
    /** Load averages; the ones taken during the run count the bench's own processes too. */
    load: { atStart: loadAtStart, atEnd: load(), oneMinuteDuring: during, waitedSeconds },
    /** Shares of all cores over the run: busy, used by the bench, used by everything else. */
    cpu: shares,
    plan: p,
    ratios: report.ratios(measurements),
    targets: report.targets(measurements),
    ...measurements,
  };
  say(report.summaryTable(measurements));
  const out = o.out ?? resultPath(o.quick, startedAt);
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  say(
    `\nwritten: ${out} (${results.seconds.toFixed(0)} s, load ${during.min.toFixed(2)}..${during.max.toFixed(2)})`,
  );
  if (failures.includes("e2e")) {
    const e = measurements.endToEnd;
    console.error(
      `FAILED: end to end lost ${e?.worstLost} and duplicated ${e?.worstDuplicated} entries in its worst run`,
    );
    process.exitCode = 1;
  }
}

await main();
