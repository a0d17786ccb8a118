/**
 * The whole server with one output at a time: the sender agent offers the
 * same paced load (datagrams of 100 entries) while the built server writes
 * to stdout (/dev/null, the reference), a file, a local HTTP endpoint in
 * another process, JetStream R1 and JetStream R3 (a 3-node loopback
 * cluster). The figure is the output's entries over the time from the first
 * datagram to the output having them all, read from the server's metrics
 * every 20 ms. Each run measures every output in turn, stdout first, so
 * each figure has a stdout figure of the same run beside it; each figure is
 * the median of the runs, with the lowest and highest. The outputs keep
 * their default batches; their memory queue is raised so a slow output
 * holds the whole load instead of dropping it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  NatsServer,
  natsServerPath,
  SKIP_LINE,
  startCluster,
} from "../../test/support/nats-server.js";
import { sleep } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { count, fixed, table } from "../lib/format.js";
import { HttpReceiverProcess } from "../lib/http-receiver.js";
import { outputTotals } from "../lib/metrics.js";
import { ENTRIES_PER_DATAGRAM, type Sender } from "../lib/sender.js";
import { median, ratio } from "../lib/stats.js";
import { deleteStream } from "./sinks.js";

export interface OutputsPlan {
  readonly runs: number;
  /** Datagrams of 100 entries offered per trial. */
  readonly datagrams: number;
  /** Datagrams per second offered. */
  readonly rate: number;
}

export interface OutputTrial {
  readonly sentEntries: number;
  /** Entries the output's destination accepted. */
  readonly delivered: number;
  /** From the first datagram to the output having every entry the server accepted. */
  readonly seconds: number;
  readonly entriesPerSecond: number;
  /** Entries the output dropped, every reason. */
  readonly dropped: number;
  /** The stdout trial of the same run, entries per second. */
  readonly stdoutEntriesPerSecond: number;
}

export interface OutputResult {
  readonly output: string;
  readonly medianEntriesPerSecond: number;
  readonly minEntriesPerSecond: number;
  readonly maxEntriesPerSecond: number;
  /** Median over the runs of this output's figure over stdout's in the same run. */
  readonly medianRatioToStdout: number;
  /** The most entries one run did not deliver (kernel drops or output drops). */
  readonly worstUndelivered: number;
  readonly runs: OutputTrial[];
}

/** One output of the comparison: its server arguments, made fresh for each trial. */
interface Destination {
  readonly name: string;
  /** Arguments for one trial, and what to clean after it. */
  prepare(): Promise<{ args: string[]; cleanup?: () => void }>;
}

const SETTLE_MS = 300;
const POLL_MS = 20;
const MAX_WAIT_MS = 120_000;

/** Waits until the output holds what the server accepted and the count stops moving. */
async function deliveredAt(metricsUrl: string, sentEntries: number) {
  const deadline = performance.now() + MAX_WAIT_MS;
  let last = { accepted: -1, delivered: -1, dropped: 0 };
  let stillSince = performance.now();
  for (;;) {
    const now = performance.now();
    const t = await outputTotals(metricsUrl);
    const done = t.delivered + t.dropped;
    if (done >= sentEntries) return { at: now, ...t };
    if (t.accepted !== last.accepted || t.delivered !== last.delivered) stillSince = now;
    // Past a kernel drop the total never comes: stop once the output has all
    // the server accepted and nothing moved for 0.5 s.
    if (done >= t.accepted && now - stillSince > 500) return { at: stillSince, ...t };
    if (now > deadline) return { at: now, ...t };
    last = t;
    await sleep(POLL_MS);
  }
}

async function trial(sender: Sender, d: Destination, p: OutputsPlan) {
  const { args, cleanup } = await d.prepare();
  const server = await ServerProcess.start({
    args: ["--metrics-port", "0", "--output-queue-bytes", "1GiB", ...args],
    stdout: { file: "/dev/null" },
  });
  try {
    const line = server.stderr.find((l) => l.includes("metrics on http://"));
    const metricsUrl = line?.slice(line.indexOf("http://"));
    if (metricsUrl === undefined) throw new Error(`no metrics line: ${server.stderr.join("\n")}`);
    // Lets a remote output connect (and create its stream) before the load.
    await sleep(SETTLE_MS);
    const start = performance.now();
    const sent = await sender.send(server.port, p.rate, (p.datagrams / p.rate) * 1000);
    const sentEntries = sent.sent * ENTRIES_PER_DATAGRAM;
    const end = await deliveredAt(metricsUrl, sentEntries);
    const seconds = (end.at - start) / 1000;
    return { sentEntries, delivered: end.delivered, seconds, dropped: end.dropped };
  } finally {
    await server.stop();
    cleanup?.();
  }
}

function summarize(output: string, runs: OutputTrial[]): OutputResult {
  const rates = runs.map((r) => r.entriesPerSecond);
  return {
    output,
    medianEntriesPerSecond: median(rates),
    minEntriesPerSecond: Math.min(...rates),
    maxEntriesPerSecond: Math.max(...rates),
    medianRatioToStdout: median(
      runs.map((r) => ratio(r.entriesPerSecond, r.stdoutEntriesPerSecond)),
    ),
    worstUndelivered: Math.max(...runs.map((r) => r.sentEntries - r.delivered)),
    runs,
  };
}

/** Every run measures each destination in turn, stdout first. */
async function measureAll(
  sender: Sender,
  destinations: readonly Destination[],
  p: OutputsPlan,
  say: (text: string) => void,
): Promise<OutputResult[]> {
  const trials = destinations.map(() => [] as OutputTrial[]);
  for (let run = 0; run < p.runs; run++) {
    let stdoutRate = Number.NaN;
    for (const [i, d] of destinations.entries()) {
      const t = await trial(sender, d, p);
      const entriesPerSecond = t.delivered / t.seconds;
      if (i === 0) stdoutRate = entriesPerSecond;
      trials[i]?.push({ ...t, entriesPerSecond, stdoutEntriesPerSecond: stdoutRate });
    }
    say(`outputs: run ${run + 1} of ${p.runs} done`);
  }
  return destinations.map((d, i) => summarize(d.name, trials[i] ?? []));
}

function fileDestination(): Destination {
  return {
    name: "file",
    async prepare() {
      const dir = mkdtempSync(join(tmpdir(), "shipper-bench-out-"));
      return {
        args: ["--output", `file:${join(dir, "out.ndjson")}`],
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

function natsDestination(name: string, servers: readonly NatsServer[]): Destination {
  const urls = servers.map((s) => s.url);
  const spec = `nats://${servers.map((s) => `127.0.0.1:${s.port}`).join(",")}`;
  return {
    name,
    async prepare() {
      // A fresh stream: the sender's message ids repeat from one trial to the next.
      await deleteStream(urls);
      return { args: ["--output", spec, "--nats-replicas", String(servers.length)] };
    },
  };
}

export async function runOutputs(
  sender: Sender,
  p: OutputsPlan,
  say: (text: string) => void,
): Promise<OutputResult[]> {
  const receiver = await HttpReceiverProcess.start();
  const started: NatsServer[] = [];
  try {
    const destinations: Destination[] = [
      { name: "stdout", prepare: async () => ({ args: ["--output", "stdout"] }) },
      fileDestination(),
      {
        name: "http",
        prepare: async () => ({ args: ["--output", `http://127.0.0.1:${receiver.port}/ingest`] }),
      },
    ];
    if (natsServerPath === undefined) {
      say(SKIP_LINE);
    } else {
      const single = await NatsServer.start();
      const cluster = await startCluster("shipper-bench-outputs");
      started.push(single, ...cluster);
      destinations.push(natsDestination("nats R1", [single]), natsDestination("nats R3", cluster));
    }
    return await measureAll(sender, destinations, p, say);
  } finally {
    await receiver.stop();
    await Promise.all(started.map((s) => s.dispose()));
  }
}

export function outputsTable(results: readonly OutputResult[]): string {
  const rows = results.map((r) => [
    r.output,
    count(r.medianEntriesPerSecond),
    `${count(r.minEntriesPerSecond)}..${count(r.maxEntriesPerSecond)}`,
    fixed(r.medianRatioToStdout, 2),
    count(r.worstUndelivered),
  ]);
  return table(["output", "entries/s", "range", "x stdout", "undelivered"], rows);
}
