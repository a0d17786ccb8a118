/**
 * shipper-client alone: N lines piped into its stdin, its datagrams counted
 * by the sink. Only the batch size triggers sends (the interval is an hour).
 */

import { MemoryMonitor } from "../../test/support/linux-proc.js";
import { exited, HOST, spawnCommand, TextSink, writeAndEnd } from "../../test/support/process.js";
import type { LineKind } from "../lib/data.js";
import type { Sink } from "../lib/sink.js";
import { perSecond } from "../lib/stats.js";

export interface ClientCase {
  readonly kind: LineKind;
  readonly batchSize: number;
  readonly compress: boolean;
  /** false: with --no-compress-thread; default: the client's default, the compression thread. */
  readonly thread?: boolean;
}

/** How a case names its compression: "zlib", "zlib, main thread" or "no". */
export function compressionLabel(c: ClientCase): string {
  if (!c.compress) return "no";
  return c.thread === false ? "zlib, main thread" : "zlib";
}

export interface ClientRun {
  /** Entries per second from the first datagram to the last, at the sink. */
  readonly entriesPerSecond: number;
  readonly datagramsPerSecond: number;
  /** Entries per second from spawn to exit, start-up included. */
  readonly wallEntriesPerSecond: number;
  readonly wallSeconds: number;
  /** UDP payload bytes per entry. */
  readonly bytesPerEntry: number;
  /** The same with 28 bytes of IPv4 and UDP header per datagram. */
  readonly wireBytesPerEntry: number;
  readonly peakRssBytes: number;
  readonly entries: number;
  readonly datagrams: number;
  /** Datagrams the client sent that the sink did not count. */
  readonly sinkMissing: number;
  readonly dropped: number;
  readonly exitCode: number;
}

const IP_UDP_HEADER_BYTES = 28;
const CLIENT_TIMEOUT_MS = 600_000;

export function clientArgs(port: number, c: ClientCase): string[] {
  const args = ["--target-host", HOST, "--target-port", String(port)];
  args.push("--batch-size", String(c.batchSize), "--batch-interval", "3600");
  if (!c.compress) args.push("--no-compress");
  if (c.thread === false) args.push("--no-compress-thread");
  return args;
}

export async function runClient(c: ClientCase, input: Buffer, sink: Sink): Promise<ClientRun> {
  await sink.reset();
  const started = performance.now();
  const child = spawnCommand("shipper-client", clientArgs(sink.port, c), {
    stdio: ["pipe", "ignore", "pipe"],
  });
  const probe = new MemoryMonitor(child.pid ?? 0);
  const stderr = new TextSink(child.stderr);
  const stdin = child.stdin;
  if (stdin === null) throw new Error("client has no stdin");
  await writeAndEnd(stdin, input);
  const exit = await exited(child, CLIENT_TIMEOUT_MS);
  const peakRssBytes = probe.stop()?.hwmBytes ?? 0;
  const received = await sink.take(100);
  const summary = stderr.lastJson() ?? {};
  const entries = Number(summary.entries ?? 0);
  const datagrams = Number(summary.datagrams ?? 0);
  const bytes = Number(summary.bytes ?? 0);
  const wallSeconds = (exit.at - started) / 1000;
  const spanShare = received.datagrams > 1 ? (received.datagrams - 1) / received.datagrams : 0;
  return {
    entriesPerSecond: perSecond(entries * spanShare, received.spanSeconds),
    datagramsPerSecond: perSecond(received.datagrams - 1, received.spanSeconds),
    wallEntriesPerSecond: perSecond(entries, wallSeconds),
    wallSeconds,
    bytesPerEntry: bytes / entries,
    wireBytesPerEntry: (bytes + IP_UDP_HEADER_BYTES * datagrams) / entries,
    peakRssBytes,
    entries,
    datagrams,
    sinkMissing: datagrams - received.datagrams,
    dropped: Number(summary.dropped ?? 0),
    exitCode: exit.code ?? -1,
  };
}
