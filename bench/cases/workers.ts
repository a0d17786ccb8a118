/**
 * shipper-server with 1 and 2 decoding workers, beside rsyslogd and a bare
 * node:dgram socket, under the same paced load from the C sender
 * (sendmmsg): framed datagrams of 100 entries on 16 streams, and syslog
 * messages one per datagram. For each receiver and load, the highest rate
 * with < 0.1 % loss: doubled until it fails, bisected, then confirmed by
 * the median of `confirmRuns` runs (stepping down a tenth while it fails).
 * The ratios are taken within the run.
 */
import { datagramTemplates } from "../lib/data.js";
import { type PacedLoad, PacedSender } from "../lib/paced-sender.js";
import { bareDgram, hasRsyslog, type Receiver, rsyslog, shipperServer } from "../lib/receivers.js";
import { MAX_LOSS } from "./server.js";
import { type CpuRow, cpuPerDatagram, cpuTable } from "./workers-cpu.js";
import { type PairedRow, pairedSaturation, pairedTable } from "./workers-paired.js";

export interface WorkersPlan {
  readonly runs: number;
  readonly warmupMs: number;
  readonly trialMs: number;
  readonly maxRates: number;
  readonly precision: number;
}

interface Load extends PacedLoad {
  readonly name: "framed" | "syslog";
  readonly entriesPerDatagram: number;
  readonly startRate: number;
}

export interface WorkersTrial {
  readonly offeredRate: number;
  readonly sentRate: number;
  readonly loss: number;
  readonly passed: boolean;
}

export interface WorkersRow {
  readonly receiver: string;
  readonly load: string;
  /** Datagrams/s whose median run lost < 0.1 %; 0: none. */
  readonly sustainedRate: number;
  readonly entriesPerSecond: number;
  /** Achieved datagrams/s of the confirmation runs: min, median, max. */
  readonly spread: readonly [number, number, number];
  readonly confirmations: WorkersTrial[];
  readonly search: WorkersTrial[];
}

export interface WorkersResult {
  readonly sender: "sendmmsg" | "node";
  readonly rows: WorkersRow[];
  readonly ratios: Record<string, number | null>;
  readonly paired: PairedRow[];
  readonly cpu: CpuRow[];
  readonly notes: string[];
}

const SYSLOG =
  "<134>1 2026-12-07T06:00:00.000Z web-1 checkout 4711 ID47 - order 12345 paid by user u123 in 87 ms";

function loads(): Load[] {
  const framed = datagramTemplates("text", 16, 100);
  const syslog = [Buffer.from(SYSLOG)];
  return [
    { name: "framed", datagrams: framed, streams: 16, entriesPerDatagram: 100, startRate: 2000 },
    { name: "syslog", datagrams: syslog, streams: 0, entriesPerDatagram: 1, startRate: 20_000 },
  ];
}

async function trial(
  sender: PacedSender,
  receiver: Receiver,
  load: Load,
  file: string,
  rate: number,
  plan: WorkersPlan,
  perDatagram: number,
): Promise<WorkersTrial> {
  const running = await receiver.start();
  const sent = await sender.run(
    running.port,
    rate,
    plan.trialMs,
    plan.warmupMs,
    load.streams,
    file,
  );
  const taken = await running.stop();
  const expected = sent.sent * perDatagram;
  const loss = expected > 0 ? Math.max(0, 1 - taken / expected) : 1;
  const senderLimited = sent.rate < 0.95 * rate;
  return {
    offeredRate: rate,
    sentRate: sent.rate,
    loss,
    passed: loss < MAX_LOSS && !senderLimited,
  };
}

function median<T>(values: T[], key: (v: T) => number): T {
  const sorted = [...values].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)] as T;
}

async function search(
  run: (rate: number) => Promise<WorkersTrial>,
  start: number,
  plan: WorkersPlan,
) {
  const trials: WorkersTrial[] = [];
  let good = 0;
  let bad = Number.POSITIVE_INFINITY;
  let rate = start;
  for (let tried = 0; tried < plan.maxRates && rate >= 1; tried++) {
    const t = await run(Math.round(rate));
    trials.push(t);
    if (t.passed) good = Math.max(good, t.offeredRate);
    else bad = Math.min(bad, t.offeredRate);
    if (good > 0 && bad <= good * (1 + plan.precision)) break;
    rate = Number.isFinite(bad) ? (good > 0 ? (good + bad) / 2 : bad / 2) : good * 2;
  }
  return { trials, good };
}

async function measureOne(
  sender: PacedSender,
  receiver: Receiver,
  load: Load,
  file: string,
  plan: WorkersPlan,
): Promise<WorkersRow> {
  const perDatagram = receiver.name.startsWith("bare") ? 1 : load.entriesPerDatagram;
  const run = (rate: number) => trial(sender, receiver, load, file, rate, plan, perDatagram);
  const found = await search(run, load.startRate, plan);
  const confirmations: WorkersTrial[] = [];
  let rate = found.good;
  let passed = false;
  for (let step = 0; step <= 3 && rate > 0 && !passed; step++) {
    const runs: WorkersTrial[] = [];
    for (let i = 0; i < plan.runs; i++) runs.push(await run(rate));
    confirmations.push(...runs);
    passed = median(runs, (t) => t.loss).loss < MAX_LOSS;
    if (!passed) rate = Math.round(rate * 0.9);
  }
  const last = confirmations.slice(-plan.runs);
  const rates = last.map((t) => t.sentRate * (1 - t.loss)).sort((a, b) => a - b);
  const sustainedRate = passed ? rate : 0;
  return {
    receiver: receiver.name,
    load: load.name,
    sustainedRate,
    entriesPerSecond: sustainedRate * load.entriesPerDatagram,
    spread: [rates[0] ?? 0, rates[Math.floor((rates.length - 1) / 2)] ?? 0, rates.at(-1) ?? 0],
    confirmations,
    search: found.trials,
  };
}

function ratio(rows: WorkersRow[], a: [string, string], b: [string, string]): number | null {
  const find = ([receiver, load]: [string, string]) =>
    rows.find((r) => r.receiver.startsWith(receiver) && r.load === load)?.sustainedRate ?? 0;
  const over = find(b);
  return over > 0 ? find(a) / over : null;
}

export async function runWorkers(
  plan: WorkersPlan,
  say: (text: string) => void,
): Promise<WorkersResult> {
  const notes: string[] = [];
  const sender = PacedSender.start((note) => {
    notes.push(note);
    say(note);
  });
  const rows: WorkersRow[] = [];
  const paired: PairedRow[] = [];
  const cpu: CpuRow[] = [];
  try {
    for (const load of loads()) {
      const file = sender.templates(load.name, load);
      const receivers = [shipperServer(1), shipperServer(2), bareDgram()];
      if (load.name === "syslog") {
        if (hasRsyslog()) receivers.push(rsyslog());
        else notes.push("rsyslogd is not on PATH: its anchor is skipped (apt-get install rsyslog)");
      }
      for (const receiver of receivers) {
        const row = await measureOne(sender, receiver, load, file, plan);
        rows.push(row);
        say(`workers: ${row.receiver}, ${row.load}: ${row.sustainedRate} datagrams/s`);
      }
      const found = rows.filter((r) => r.load === load.name && r.receiver.startsWith("shipper"));
      const top = Math.max(load.startRate, ...found.map((r) => r.sustainedRate));
      // Above what either keeps up with, even when the search found nothing.
      const offered = Math.max(2 * top, 4 * load.startRate);
      paired.push(await pairedSaturation(sender, load, file, offered, plan));
      const cpuLoad = {
        ...load,
        perDatagram: (r: Receiver) => (r.name.startsWith("bare") ? 1 : load.entriesPerDatagram),
      };
      for (const receiver of receivers) {
        cpu.push(await cpuPerDatagram(sender, receiver, cpuLoad, file, load.startRate / 2, 3));
      }
    }
  } finally {
    sender.stop();
  }
  const W1 = "shipper-server --workers 1";
  const W2 = "shipper-server --workers 2";
  const ratios: Record<string, number | null> = {
    "framed: 2 workers / 1": ratio(rows, [W2, "framed"], [W1, "framed"]),
    "syslog: 2 workers / 1": ratio(rows, [W2, "syslog"], [W1, "syslog"]),
    "syslog: 1 worker / rsyslogd": ratio(rows, [W1, "syslog"], ["rsyslogd", "syslog"]),
    "syslog: 2 workers / rsyslogd": ratio(rows, [W2, "syslog"], ["rsyslogd", "syslog"]),
    "syslog: 1 worker / bare dgram": ratio(rows, [W1, "syslog"], ["bare", "syslog"]),
    "syslog: rsyslogd / bare dgram": ratio(rows, ["rsyslogd", "syslog"], ["bare", "syslog"]),
  };
  const ceiling = (receiver: string, load: string) =>
    cpu.find((r) => r.receiver.startsWith(receiver) && r.load === load)?.ceiling ?? Number.NaN;
  const ceilingRatio = (a: [string, string], b: [string, string]) => {
    const value = ceiling(...a) / ceiling(...b);
    return Number.isFinite(value) ? value : null;
  };
  Object.assign(ratios, {
    "ceiling, framed: 2 workers / 1": ceilingRatio([W2, "framed"], [W1, "framed"]),
    "ceiling, syslog: 2 workers / 1": ceilingRatio([W2, "syslog"], [W1, "syslog"]),
    "ceiling, syslog: 1 worker / rsyslogd": ceilingRatio([W1, "syslog"], ["rsyslogd", "syslog"]),
    "ceiling, syslog: 2 workers / rsyslogd": ceilingRatio([W2, "syslog"], ["rsyslogd", "syslog"]),
    "ceiling, syslog: bare dgram / rsyslogd": ceilingRatio(
      ["bare", "syslog"],
      ["rsyslogd", "syslog"],
    ),
  });
  return { sender: sender.native ? "sendmmsg" : "node", rows, ratios, paired, cpu, notes };
}

export function workersTable(result: WorkersResult): string {
  const lines = [
    `workers: sender ${result.sender}; sustained rate with < 0.1 % loss (achieved datagrams/s of the confirmation runs: min / median / max)`,
  ];
  for (const r of result.rows) {
    const [lo, mid, hi] = r.spread.map((v) => Math.round(v));
    lines.push(
      `  ${r.load.padEnd(7)} ${r.receiver.padEnd(36)} ${String(r.sustainedRate).padStart(8)} dgram/s ${String(r.entriesPerSecond).padStart(9)} entries/s  (${lo} / ${mid} / ${hi})`,
    );
  }
  for (const [name, value] of Object.entries(result.ratios)) {
    lines.push(`  ${name}: ${value === null ? "n/a" : value.toFixed(2)}`);
  }
  lines.push(pairedTable(result.paired));
  lines.push(cpuTable(result.cpu));
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

/** Full: 5 confirmation runs of 1.5 s; quick: 3 of 0.75 s. */
export function workersPlan(mode: "full" | "quick"): WorkersPlan {
  return mode === "quick"
    ? { runs: 3, warmupMs: 250, trialMs: 750, maxRates: 6, precision: 0.15 }
    : { runs: 5, warmupMs: 300, trialMs: 1500, maxRates: 8, precision: 0.1 };
}
