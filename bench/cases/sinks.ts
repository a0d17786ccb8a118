/**
 * The remote sinks alone, in this process, each batch delivered after the
 * one before (as an output does): JetStream with one message per entry
 * against one NDJSON message per protocol message, on a real nats-server
 * (R1, and R3 on a 3-node loopback cluster), and the HTTP sink in each
 * format to a local endpoint in another process. Entries per second from
 * the first deliver() to the last acknowledgement; each figure the median
 * of the runs, with the lowest and highest beside it.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { createHttpSink } from "../../src/server/outputs/http-sink.js";
import { createNatsSink } from "../../src/server/outputs/nats-sink.js";
import type { HttpFormat, NatsMode } from "../../src/server/outputs/sink-options.js";
import type { OutputBatch, Sink } from "../../src/server/outputs/types.js";
import {
  NatsServer,
  natsServerPath,
  SKIP_LINE,
  startCluster,
} from "../../test/support/nats-server.js";
import { sleep } from "../../test/support/process.js";
import { count, table } from "../lib/format.js";
import { HttpReceiverProcess } from "../lib/http-receiver.js";
import { median } from "../lib/stats.js";

export interface SinkCase {
  readonly sink: string;
  readonly mode: string;
  /** Entries of one protocol message. */
  readonly perMessage: number;
  /** Entries handed to one deliver(). */
  readonly perBatch: number;
}

export interface SinkResult {
  readonly case: SinkCase;
  readonly entries: number;
  readonly medianEntriesPerSecond: number;
  readonly minEntriesPerSecond: number;
  readonly maxEntriesPerSecond: number;
  readonly runs: number[];
}

export interface SinksPlan {
  readonly runs: number;
  readonly entries: number;
}

const SERVICES = ["api", "web", "db", "auth"];

/** `total` entries of about 200 bytes as batches of `perBatch`, messages of `perMessage`. */
export function makeBatches(
  run: string,
  total: number,
  perMessage: number,
  perBatch: number,
): OutputBatch[] {
  const batches: OutputBatch[] = [];
  let seq = 0;
  for (let done = 0; done < total; done += perBatch) {
    const messages = [];
    for (let inBatch = 0; inBatch < perBatch; inBatch += perMessage) {
      const entries = Array.from({ length: perMessage }, (_, i) =>
        JSON.stringify({
          timestamp: "2026-12-07T03:00:00.000Z",
          level: "INFO",
          message: `GET /api/v1/items/${seq}/${i} 200 in 12 ms`,
          service: SERVICES[seq % SERVICES.length],
          host: "web-1",
          metadata: { request_id: `${run}-${seq}-${i}`, bytes: 5120 },
        }),
      );
      messages.push({ id: `${run.padStart(16, "0").slice(-16)}-${seq++}`, entries });
    }
    const bytes = messages.reduce((sum, m) => sum + m.entries.reduce((s, e) => s + e.length, 0), 0);
    batches.push({ messages, entries: perBatch, bytes });
  }
  return batches;
}

const never = new AbortController().signal;

/** Delivers every batch in turn (a failure is tried again); entries per second. */
async function timeDeliveries(sink: Sink, batches: readonly OutputBatch[]): Promise<number> {
  const start = performance.now();
  let entries = 0;
  for (const batch of batches) {
    for (let attempt = 0; ; attempt++) {
      const result = await sink.deliver(batch, never);
      if (result.ok) break;
      if (attempt > 50 || !result.retry) throw new Error(`${sink.name}: ${result.reason}`);
      await sleep(100);
    }
    entries += batch.entries;
  }
  return entries / ((performance.now() - start) / 1000);
}

function summarize(c: SinkCase, entries: number, runs: number[]): SinkResult {
  return {
    case: c,
    entries,
    medianEntriesPerSecond: median(runs),
    minEntriesPerSecond: Math.min(...runs),
    maxEntriesPerSecond: Math.max(...runs),
    runs,
  };
}

export async function deleteStream(servers: string[]): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete("LOGS").catch(() => false);
  } finally {
    await nc.close();
  }
}

/** Times `p.runs` deliveries of `p.entries` entries, each to a fresh sink, after a warm-up batch. */
async function timeRuns(
  makeSink: () => Promise<Sink>,
  c: SinkCase,
  p: SinksPlan,
): Promise<SinkResult> {
  const runs: number[] = [];
  for (let run = 0; run < p.runs; run++) {
    const sink = await makeSink();
    try {
      await timeDeliveries(sink, makeBatches(`${run}0`, c.perBatch, c.perMessage, c.perBatch));
      runs.push(
        await timeDeliveries(sink, makeBatches(`${run}1`, p.entries, c.perMessage, c.perBatch)),
      );
    } finally {
      await sink.close();
    }
  }
  return summarize(c, p.entries, runs);
}

function natsCase(
  servers: string[],
  replicas: number,
  c: SinkCase,
  p: SinksPlan,
): Promise<SinkResult> {
  return timeRuns(
    async () => {
      await deleteStream(servers);
      return createNatsSink({
        servers,
        stream: "LOGS",
        createStream: true,
        replicas,
        subject: "logs.{service}",
        mode: c.mode as NatsMode,
        timeoutMs: 10_000,
      });
    },
    c,
    p,
  );
}

function httpCase(port: number, c: SinkCase, p: SinksPlan): Promise<SinkResult> {
  return timeRuns(
    async () =>
      createHttpSink({
        url: `http://127.0.0.1:${port}/ingest`,
        format: c.mode as HttpFormat,
        headers: [],
        timeoutMs: 10_000,
      }),
    c,
    p,
  );
}

const NATS_SHAPES = [
  { perMessage: 1, perBatch: 100 },
  { perMessage: 10, perBatch: 1000 },
  { perMessage: 100, perBatch: 1000 },
] as const;

export async function runSinks(p: SinksPlan, say: (text: string) => void): Promise<SinkResult[]> {
  const results: SinkResult[] = [];
  const receiver = await HttpReceiverProcess.start();
  try {
    for (const format of ["json-array", "ndjson", "otlp"]) {
      const c = { sink: "http", mode: format, perMessage: 100, perBatch: 1000 };
      results.push(await httpCase(receiver.port, c, p));
    }
  } finally {
    await receiver.stop();
  }
  if (natsServerPath === undefined) {
    say(SKIP_LINE);
    return results;
  }
  const single = await NatsServer.start();
  try {
    for (const shape of NATS_SHAPES) {
      for (const mode of ["entry", "batch"]) {
        results.push(await natsCase([single.url], 1, { sink: "nats R1", mode, ...shape }, p));
      }
    }
  } finally {
    await single.dispose();
  }
  const cluster = await startCluster("shipper-bench");
  try {
    for (const mode of ["entry", "batch"]) {
      const c = { sink: "nats R3", mode, perMessage: 100, perBatch: 1000 };
      results.push(
        await natsCase(
          cluster.map((n) => n.url),
          3,
          c,
          p,
        ),
      );
    }
  } finally {
    await Promise.all(cluster.map((n) => n.dispose()));
  }
  return results;
}

export function sinksTable(results: readonly SinkResult[]): string {
  const rows = results.map((r) => [
    r.case.sink,
    r.case.mode,
    String(r.case.perMessage),
    String(r.case.perBatch),
    count(r.medianEntriesPerSecond),
    `${count(r.minEntriesPerSecond)}..${count(r.maxEntriesPerSecond)}`,
  ]);
  return table(["sink", "mode/format", "entries/msg", "entries/batch", "entries/s", "range"], rows);
}
