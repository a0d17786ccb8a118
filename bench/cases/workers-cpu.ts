/**
 * The workers case's third figure, the one a busy machine disturbs least:
 * CPU time per datagram. Each receiver takes a steady load it keeps up
 * with, and the CPU its threads used (from /proc) is divided by the
 * datagrams it took in: the busiest thread's share (the receiving thread:
 * node's main thread, rsyslogd's imudp thread) and all threads'. On 2 cores
 * a receiver can take at most 1 s / busiest and 2 s / all (the sender and
 * everything else shares those cores too): the lower of the two is its
 * estimated ceiling, and the ceilings' ratios say what a second worker and
 * rsyslogd's design are worth, and where the time goes.
 */
import type { PacedSender } from "../lib/paced-sender.js";
import type { Receiver } from "../lib/receivers.js";
import { median } from "../lib/stats.js";
import { cpuBetween, threadCpu } from "../lib/thread-cpu.js";

export interface CpuRow {
  readonly receiver: string;
  readonly load: string;
  readonly rate: number;
  /** Median over the runs, microseconds of CPU per datagram taken in. */
  readonly busiestUs: number;
  readonly totalUs: number;
  /** Datagrams/s: min(1e6 / busiestUs, 2e6 / totalUs). */
  readonly ceiling: number;
  /** Each run's busiest and total, for the spread. */
  readonly runs: { readonly busiestUs: number; readonly totalUs: number }[];
}

export interface CpuLoad {
  readonly name: string;
  readonly streams: number;
  /** Units a receiver counts per datagram: entries for the servers, 1 for the bare socket. */
  readonly perDatagram: (receiver: Receiver) => number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function cpuRun(
  sender: PacedSender,
  receiver: Receiver,
  load: CpuLoad,
  file: string,
  rate: number,
) {
  const running = await receiver.start();
  await sleep(300);
  const before = threadCpu(running.pid);
  await sender.run(running.port, rate, 3000, 0, load.streams, file);
  await sleep(300);
  const after = threadCpu(running.pid);
  const datagrams = (await running.stop()) / load.perDatagram(receiver);
  const used = cpuBetween(before, after);
  return datagrams > 0
    ? { busiestUs: used.busiestUs / datagrams, totalUs: used.totalUs / datagrams }
    : { busiestUs: Number.NaN, totalUs: Number.NaN };
}

export async function cpuPerDatagram(
  sender: PacedSender,
  receiver: Receiver,
  load: CpuLoad,
  file: string,
  rate: number,
  runs: number,
): Promise<CpuRow> {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await cpuRun(sender, receiver, load, file, rate));
  const busiestUs = median(all.map((r) => r.busiestUs));
  const totalUs = median(all.map((r) => r.totalUs));
  return {
    receiver: receiver.name,
    load: load.name,
    rate,
    busiestUs,
    totalUs,
    ceiling: Math.round(Math.min(1e6 / busiestUs, 2e6 / totalUs)),
    runs: all,
  };
}

export function cpuTable(rows: readonly CpuRow[]): string {
  const lines = [
    "  CPU per datagram at a steady rate (µs, median; busiest thread / all threads) and the 2-core ceiling it gives:",
  ];
  for (const r of rows) {
    lines.push(
      `  ${r.load.padEnd(7)} ${r.receiver.padEnd(36)} at ${String(r.rate).padStart(6)}/s: ${r.busiestUs.toFixed(1).padStart(6)} / ${r.totalUs.toFixed(1).padStart(6)} µs  ceiling ${r.ceiling} dgram/s`,
    );
  }
  return lines.join("\n");
}
