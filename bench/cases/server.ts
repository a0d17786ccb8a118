/**
 * shipper-server alone: a sender process offers datagrams of 100 entries
 * at a paced rate while the server writes NDJSON to a file. The search
 * doubles the rate until it fails, then bisects; a rate fails when the
 * median of its trials loses 0.1 % or more (or the sender could not keep
 * the pace). The best rate is then run `confirmRuns` more times, stepping
 * down a tenth while their median fails, and those runs' median is reported.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerProcess } from "../../test/support/server-process.js";
import { countLines, settled } from "../lib/output-file.js";
import { ENTRIES_PER_DATAGRAM, type Sender } from "../lib/sender.js";
import { medianOf } from "../lib/stats.js";

/** Loss that fails a trial. */
export const MAX_LOSS = 0.001;
/** Times the confirmation steps the rate down when its median run fails. */
const MAX_STEPS_DOWN = 3;
/** A sender below this share of the offered rate means the rate was not really offered. */
const MIN_SENDER_SHARE = 0.95;

export interface ServerTrial {
  /** Datagrams per second offered. */
  readonly offeredRate: number;
  readonly sentDatagrams: number;
  /** Datagrams per second the sender achieved. */
  readonly sentRate: number;
  readonly entriesWritten: number;
  /** Entries per second the sender offered after the warm-up, times the share written. */
  readonly entriesPerSecond: number;
  /** Share of the sent entries not in the file. */
  readonly loss: number;
  readonly kernelDrops: number;
  readonly serverLost: number;
  readonly outputDropped: number;
  readonly peakRssBytes: number;
  readonly passed: boolean;
  readonly senderLimited: boolean;
}

export interface SearchOptions extends TrialTiming {
  readonly startRate: number;
  /** Stop bisecting when the bad rate is within this share above the good one. */
  readonly precision: number;
  /** Rates tried at most while searching. */
  readonly maxRates: number;
  /** Trials per rate while searching; the rate passes when their median does. */
  readonly runsPerRate: number;
  readonly confirmRuns: number;
}

export interface ServerResult {
  /** Datagrams per second whose median confirmation run lost under 0.1 %; 0: none. */
  readonly sustainedRate: number;
  readonly median: ServerTrial | undefined;
  readonly confirmations: ServerTrial[];
  readonly search: ServerTrial[];
}

/** How long one trial sends: warm-up at half the rate, then the rate. */
export interface TrialTiming {
  readonly warmupMs: number;
  readonly trialMs: number;
}

export async function serverTrial(
  sender: Sender,
  rate: number,
  timing: TrialTiming,
): Promise<ServerTrial> {
  const dir = mkdtempSync(join(tmpdir(), "shipper-bench-"));
  const path = join(dir, "out.ndjson");
  try {
    const server = await ServerProcess.start({
      args: ["--format", "ndjson"],
      stdout: { file: path },
    });
    const sent = await sender.send(server.port, rate, timing.trialMs, timing.warmupMs);
    await settled(path, 300, 30_000);
    const stop = await server.stop();
    const written = await countLines(path);
    const offeredEntries = sent.sent * ENTRIES_PER_DATAGRAM;
    const loss = offeredEntries > 0 ? 1 - written / offeredEntries : 1;
    const senderLimited = sent.rate < MIN_SENDER_SHARE * rate;
    return {
      offeredRate: rate,
      sentDatagrams: sent.sent,
      sentRate: sent.rate,
      entriesWritten: written,
      entriesPerSecond: sent.rate * ENTRIES_PER_DATAGRAM * (1 - loss),
      loss,
      kernelDrops: stop.udp?.drops ?? Number.NaN,
      serverLost: Number(stop.summary?.lost ?? Number.NaN),
      outputDropped: Number(stop.summary?.output_dropped ?? Number.NaN),
      peakRssBytes: stop.peakRssBytes,
      passed: loss < MAX_LOSS && !senderLimited,
      senderLimited,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `runs` trials at one rate, and their median (which passes or not). */
async function atRate(sender: Sender, rate: number, runs: number, timing: TrialTiming) {
  const trials: ServerTrial[] = [];
  for (let i = 0; i < runs; i++) trials.push(await serverTrial(sender, rate, timing));
  const middle = medianOf(trials);
  const senderLimited = trials.filter((t) => t.senderLimited).length * 2 > trials.length;
  const median: ServerTrial = {
    ...middle,
    passed: middle.loss < MAX_LOSS && !senderLimited,
    senderLimited,
  };
  return { trials, median };
}

export async function searchServer(sender: Sender, o: SearchOptions): Promise<ServerResult> {
  const search: ServerTrial[] = [];
  let good = 0;
  let bad = Number.POSITIVE_INFINITY;
  let rate = o.startRate;
  for (let tried = 0; tried < o.maxRates && rate >= 1; tried++) {
    const step = await atRate(sender, Math.round(rate), o.runsPerRate, o);
    search.push(...step.trials);
    if (step.median.passed) good = Math.max(good, step.median.offeredRate);
    else bad = Math.min(bad, step.median.offeredRate);
    if (good > 0 && bad <= good * (1 + o.precision)) break;
    rate = Number.isFinite(bad) ? (good > 0 ? (good + bad) / 2 : bad / 2) : good * 2;
  }
  const confirmed = await confirm(sender, good, o);
  return { search, ...confirmed };
}

/** Runs the rate found again, a tenth lower each time its median fails (at most MAX_STEPS_DOWN). */
async function confirm(sender: Sender, found: number, o: SearchOptions) {
  const confirmations: ServerTrial[] = [];
  let rate = found;
  let median: ServerTrial | undefined;
  for (let step = 0; step <= MAX_STEPS_DOWN && rate > 0; step++) {
    const result = await atRate(sender, rate, o.confirmRuns, o);
    confirmations.push(...result.trials);
    median = result.median;
    if (median.passed) break;
    rate = Math.round(rate * 0.9);
  }
  const sustainedRate = median?.passed === true ? median.offeredRate : 0;
  return { sustainedRate, median, confirmations };
}
