/**
 * shipper-client with --reliable against best effort, in the same run: the
 * same lines piped in, sent to a real shipper-server on loopback (stdout
 * counted, not stored), started afresh for each run; it acknowledges only
 * messages that ask for it. Both modes alternate run by run, so a change of
 * load hits both alike. Throughput is entries per second from spawn to exit
 * (start-up and the drain's last acknowledgements included); ack traffic is
 * the server's `ack_bytes` per entry.
 */
import { exited, HOST, spawnCommand, TextSink, writeAndEnd } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { count, fixed, percent, table } from "../lib/format.js";
import { median, perSecond, ratio } from "../lib/stats.js";

export interface ReliableRun {
  readonly reliable: boolean;
  readonly entriesPerSecond: number;
  readonly wallSeconds: number;
  readonly entries: number;
  readonly sent: number;
  readonly received: number;
  readonly retransmits: number;
  readonly ackBytesPerEntry: number;
  readonly ackDatagrams: number;
  readonly exitCode: number;
}

export interface ModeResult {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ReliableResult {
  readonly batchSize: number;
  readonly bestEffort: ModeResult;
  readonly reliable: ModeResult;
  /** Median reliable over median best effort. */
  readonly share: number;
  readonly ackBytesPerEntry: number;
  readonly runs: ReliableRun[];
}

const TIMEOUT_MS = 600_000;
export const RELIABLE_BATCH_SIZE = 100;

async function runOnce(input: Buffer, reliable: boolean, batchSize: number): Promise<ReliableRun> {
  const server = await ServerProcess.start({ args: ["--quiet"] });
  try {
    const args = ["--target-host", HOST, "--target-port", String(server.port)];
    args.push("--batch-size", String(batchSize), "--batch-interval", "3600");
    if (reliable) args.push("--reliable");
    const started = performance.now();
    const child = spawnCommand("shipper-client", args, { stdio: ["pipe", "ignore", "pipe"] });
    const stderr = new TextSink(child.stderr);
    if (child.stdin === null) throw new Error("client has no stdin");
    await writeAndEnd(child.stdin, input);
    const exit = await exited(child, TIMEOUT_MS);
    const summary = stderr.lastJson() ?? {};
    const entries = Number(summary.entries ?? 0);
    // Every line the client sent is out once stdout has that many.
    await server.until(() => server.sink.lines >= Number(summary.sent ?? 0), 10_000);
    const stopped = await server.stop();
    const acks = stopped.summary ?? {};
    const wallSeconds = (exit.at - started) / 1000;
    return {
      reliable,
      entriesPerSecond: perSecond(entries, wallSeconds),
      wallSeconds,
      entries,
      sent: Number(summary.sent ?? 0),
      received: server.sink.lines,
      retransmits: Number(summary.retransmits ?? 0),
      ackBytesPerEntry: ratio(Number(acks.ack_bytes ?? 0), entries),
      ackDatagrams: Number(acks.ack_datagrams ?? 0),
      exitCode: exit.code ?? -1,
    };
  } finally {
    if (server.child.exitCode === null) await server.stop();
  }
}

function mode(runs: readonly ReliableRun[]): ModeResult {
  const rates = runs.map((run) => run.entriesPerSecond);
  return { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
}

export async function runReliable(input: Buffer, runs: number): Promise<ReliableResult> {
  const all: ReliableRun[] = [];
  for (let i = 0; i < runs; i++) {
    all.push(await runOnce(input, false, RELIABLE_BATCH_SIZE));
    all.push(await runOnce(input, true, RELIABLE_BATCH_SIZE));
  }
  const bestEffort = mode(all.filter((run) => !run.reliable));
  const reliable = mode(all.filter((run) => run.reliable));
  return {
    batchSize: RELIABLE_BATCH_SIZE,
    bestEffort,
    reliable,
    share: ratio(reliable.median, bestEffort.median),
    ackBytesPerEntry: median(all.filter((run) => run.reliable).map((r) => r.ackBytesPerEntry)),
    runs: all,
  };
}

export function reliableTable(result: ReliableResult): string {
  const row = (name: string, m: ModeResult, runs: readonly ReliableRun[]) => [
    name,
    count(m.median),
    `${count(m.min)}..${count(m.max)}`,
    count(median(runs.map((r) => r.retransmits))),
    fixed(median(runs.map((r) => r.ackBytesPerEntry)), 3),
    count(Math.min(...runs.map((r) => r.received))),
  ];
  const by = (reliable: boolean) => result.runs.filter((run) => run.reliable === reliable);
  const header = [
    "client mode",
    "entries/s",
    "spread",
    "retransmits",
    "ack B/entry",
    "min received",
  ];
  return [
    `reliable vs best effort, batch ${result.batchSize}, to shipper-server on loopback:`,
    table(header, [
      row("best effort", result.bestEffort, by(false)),
      row("--reliable", result.reliable, by(true)),
    ]),
    `reliable / best effort: ${percent(result.share)}`,
  ].join("\n");
}
