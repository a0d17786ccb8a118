/**
 * The workers case's second figure, steadier on a busy machine than the
 * lossless search: 1 and 2 workers take turns under one offered rate above
 * what either keeps up with, and each run's intake (datagrams/s written) is
 * kept. Load that comes and goes then hits both alike, and the ratio of
 * the medians says what the second worker adds at saturation.
 */
import type { PacedSender } from "../lib/paced-sender.js";
import { type Receiver, shipperServer } from "../lib/receivers.js";
import { median } from "../lib/stats.js";

export interface PairedRow {
  readonly load: string;
  /** Datagrams/s offered to every run. */
  readonly offeredRate: number;
  /** Datagrams/s taken in, each run, in turn order. */
  readonly oneWorker: number[];
  readonly twoWorkers: number[];
  /** Median of two workers over median of one. */
  readonly ratio: number | null;
}

export interface PairedLoad {
  readonly name: string;
  readonly streams: number;
  readonly entriesPerDatagram: number;
}

async function intake(
  sender: PacedSender,
  receiver: Receiver,
  load: PairedLoad,
  file: string,
  rate: number,
  timing: { readonly trialMs: number; readonly warmupMs: number },
): Promise<number> {
  const running = await receiver.start();
  const sent = await sender.run(
    running.port,
    rate,
    timing.trialMs,
    timing.warmupMs,
    load.streams,
    file,
  );
  const taken = (await running.stop()) / load.entriesPerDatagram;
  return sent.sent > 0 ? (sent.rate * taken) / sent.sent : 0;
}

export async function pairedSaturation(
  sender: PacedSender,
  load: PairedLoad,
  file: string,
  rate: number,
  plan: { readonly runs: number; readonly trialMs: number; readonly warmupMs: number },
): Promise<PairedRow> {
  const one: number[] = [];
  const two: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    one.push(await intake(sender, shipperServer(1), load, file, rate, plan));
    two.push(await intake(sender, shipperServer(2), load, file, rate, plan));
  }
  const base = median(one);
  return {
    load: load.name,
    offeredRate: rate,
    oneWorker: one.map(Math.round),
    twoWorkers: two.map(Math.round),
    ratio: base > 0 ? median(two) / base : null,
  };
}

export function pairedTable(rows: readonly PairedRow[]): string {
  const lines = ["  at saturation, 1 and 2 workers in turn (datagrams/s taken in, each run):"];
  for (const r of rows) {
    lines.push(
      `  ${r.load.padEnd(7)} offered ${r.offeredRate}: 1 worker ${r.oneWorker.join(" ")}; 2 workers ${r.twoWorkers.join(" ")}; ratio of medians ${r.ratio === null ? "n/a" : r.ratio.toFixed(2)}`,
    );
  }
  return lines.join("\n");
}
