/**
 * The server's CPU per datagram: shipper-server writing NDJSON to a file
 * takes a paced load well below what one core handles (one-message syslog
 * in RFC 3164 and RFC 5424, one-message JSON, our framed datagrams of 100
 * entries and of 10, the client's default batch); the CPU time of the server process (user + system, from
 * /proc/PID/stat, every thread counted) over the measured stretch, divided by
 * the datagrams it handled (the lines it wrote in that stretch, over the
 * entries per datagram). A warm-up at the same rate comes first, so the
 * server's code is compiled. The rate is far below saturation; what the
 * kernel dropped anyway (a busy machine) is reported as the run's loss, and
 * a run that wrote nothing throws.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerProcess } from "../../test/support/server-process.js";
import { type DatagramShape, entriesPerDatagramOf } from "../lib/data.js";
import { fixed, percent, table } from "../lib/format.js";
import { countLines, settled } from "../lib/output-file.js";
import { ownTicks, procStatFields, TICKS_PER_SECOND } from "../lib/proc-stat.js";
import type { Sender } from "../lib/sender.js";
import { median } from "../lib/stats.js";

export interface PerDatagramCase {
  readonly shape: DatagramShape;
  /** Datagrams per second offered. */
  readonly rate: number;
}

export interface PerDatagramPlan {
  readonly cases: readonly PerDatagramCase[];
  readonly runs: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

export interface PerDatagramRun {
  /** Datagrams sent in the measured stretch. */
  readonly datagrams: number;
  /** Datagrams whose entries the server wrote in it. */
  readonly handled: number;
  readonly cpuSeconds: number;
  /** µs of server CPU per datagram handled in the measured stretch. */
  readonly microsPerDatagram: number;
  /** Share of the entries sent in the measured stretch that are not in the file. */
  readonly loss: number;
}

export interface PerDatagramResult extends PerDatagramCase {
  readonly entriesPerDatagram: number;
  readonly microsPerDatagram: number;
  readonly minMicros: number;
  readonly maxMicros: number;
  readonly runs: PerDatagramRun[];
}

/** utime + stime of a process in seconds. */
function cpuSecondsOf(pid: number): number {
  return ownTicks(procStatFields(`/proc/${pid}/stat`)) / TICKS_PER_SECOND;
}

async function onePerDatagramRun(
  sender: Sender,
  c: PerDatagramCase,
  p: PerDatagramPlan,
): Promise<PerDatagramRun> {
  const dir = mkdtempSync(join(tmpdir(), "shipper-bench-"));
  const path = join(dir, "out.ndjson");
  try {
    const server = await ServerProcess.start({
      args: ["--format", "ndjson"],
      stdout: { file: path },
    });
    const pid = server.child.pid ?? 0;
    await sender.send(server.port, c.rate, p.warmupMs, 0, c.shape);
    await settled(path, 200, 30_000);
    const before = cpuSecondsOf(pid);
    const linesBefore = await countLines(path);
    const sent = await sender.send(server.port, c.rate, p.measureMs, 0, c.shape);
    await settled(path, 200, 30_000);
    const cpuSeconds = cpuSecondsOf(pid) - before;
    await server.stop();
    const per = entriesPerDatagramOf(c.shape);
    const handled = ((await countLines(path)) - linesBefore) / per;
    return {
      datagrams: sent.sent,
      handled,
      cpuSeconds,
      microsPerDatagram: (cpuSeconds * 1e6) / handled,
      loss: 1 - handled / sent.sent,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPerDatagram(
  sender: Sender,
  p: PerDatagramPlan,
  say: (text: string) => void,
): Promise<PerDatagramResult[]> {
  const results: PerDatagramResult[] = [];
  for (const c of p.cases) {
    const runs: PerDatagramRun[] = [];
    for (let i = 0; i < p.runs; i++) {
      const run = await onePerDatagramRun(sender, c, p);
      if (!(run.handled > 0)) {
        throw new Error(
          `per-datagram ${c.shape} at ${c.rate}/s: ${run.handled} of ${run.datagrams} datagrams written`,
        );
      }
      runs.push(run);
    }
    const micros = runs.map((r) => r.microsPerDatagram);
    results.push({
      ...c,
      entriesPerDatagram: entriesPerDatagramOf(c.shape),
      microsPerDatagram: median(micros),
      minMicros: Math.min(...micros),
      maxMicros: Math.max(...micros),
      runs,
    });
    say(`per-datagram ${c.shape} at ${c.rate}/s: ${median(micros).toFixed(1)} µs`);
  }
  return results;
}

export function perDatagramTable(results: readonly PerDatagramResult[]): string {
  const rows = results.map((r) => [
    r.shape,
    String(r.entriesPerDatagram),
    String(r.rate),
    fixed(r.microsPerDatagram),
    `${fixed(r.minMicros)}..${fixed(r.maxMicros)}`,
    fixed(r.microsPerDatagram / r.entriesPerDatagram, 2),
    percent(Math.max(...r.runs.map((run) => run.loss)), 2),
    String(r.runs.length),
  ]);
  const head = [
    "datagram",
    "entries",
    "rate/s",
    "µs CPU/datagram",
    "spread",
    "µs/entry",
    "worst loss",
    "runs",
  ];
  return table(head, rows);
}
