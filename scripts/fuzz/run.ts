/**
 * One fuzz run: start the built server, send the corpus paced by probes,
 * stop the server, then replay the same corpus through the reference decoder
 * and check the server's summary, stdout and memory against it.
 */

import { readUdpCounters } from "../../test/support/linux-proc.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { type Bomb, buildBombs, describeBomb } from "./bombs.js";
import {
  accountedCheck,
  type Check,
  decodedCheck,
  memoryCheck,
  outputCheck,
  receivedCheck,
  type Summary,
  summaryAccounting,
} from "./checks.js";
import { type CorpusOptions, corpus, ENUMERATED } from "./corpus.js";
import { Prng } from "./prng.js";
import { Reference, type Tally } from "./reference.js";
import { PacedSender, type PacingOptions } from "./sender.js";

const MIB = 1024 * 1024;
/** Peak RSS allowed to the server; docs/security.md explains the figure. */
export const DEFAULT_RSS_BOUND_MIB = 256;

export interface FuzzOptions {
  readonly seed: number;
  /** Fuzz datagrams to send (probes come on top). */
  readonly count: number;
  readonly rssBoundMiB?: number;
  /** Messages in the held-fragment flood sent once at mid-run; 0: none. Default 1200. */
  readonly floodMessages?: number;
  readonly pacing?: PacingOptions;
  /** Progress lines (to stderr in the command). */
  readonly log?: (line: string) => void;
}

export interface FuzzReport {
  readonly ok: boolean;
  readonly seed: number;
  readonly count: number;
  readonly duration_ms: number;
  readonly sent: Record<string, number>;
  readonly server: Record<string, unknown>;
  readonly expected: Tally;
  readonly accounting: ReturnType<typeof summaryAccounting> | undefined;
  readonly memory: Record<string, number | null>;
  readonly checks: readonly Check[];
  readonly categories: Record<string, Tally>;
  readonly bombs: ReturnType<typeof describeBomb>[];
  readonly enumerated: typeof ENUMERATED;
}

const mib = (bytes: number | undefined) =>
  bytes === undefined ? null : Math.round((bytes / MIB) * 10) / 10;

async function send(options: FuzzOptions, corpusOptions: CorpusOptions, sender: PacedSender) {
  const failed = new Set<number>();
  let index = 0;
  for (const datagram of corpus(corpusOptions)) {
    if (!(await sender.send(datagram.bytes))) failed.add(index);
    index++;
    if (sender.stuck !== undefined) break;
    if (index % 10_000 === 0) options.log?.(`fuzz: ${index}/${options.count} sent`);
  }
  return { failed, attempted: index };
}

function expect(
  corpusOptions: CorpusOptions,
  attempted: number,
  failed: Set<number>,
  probes: number,
) {
  const reference = new Reference();
  let index = 0;
  for (const datagram of corpus(corpusOptions)) {
    if (index >= attempted) break;
    if (!failed.has(index)) reference.add(datagram.category, datagram.bytes);
    index++;
  }
  reference.addProbes(probes);
  return reference;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const bombs: Bomb[] = buildBombs(new Prng(options.seed ^ 0x5eed));
  const corpusOptions: CorpusOptions = {
    seed: options.seed,
    count: options.count,
    bombs,
    floodMessages: options.floodMessages ?? 1200,
  };
  const nonce = `fz${options.seed >>> 0}`;
  const server = await ServerProcess.start({ stdout: { nonce } });
  const sender = new PacedSender(server, nonce, options.pacing);
  const { failed, attempted } = await send(options, corpusOptions, sender);
  const finished = await sender.finish();
  const drops = readUdpCounters(server.port);
  const stopped = await server.stop();
  const duration = performance.now() - started;
  options.log?.("fuzz: server stopped; replaying the corpus through the reference decoder");
  const reference = expect(corpusOptions, attempted, failed, sender.probesSent);
  const summary: Summary = stopped.summary ?? {};
  const ownDrops = summary.kernel_drops_source === "socket" ? summary.kernel_drops : undefined;
  const summaryDrops = typeof ownDrops === "number" ? ownDrops : undefined;
  const kernelDrops = drops?.drops ?? summaryDrops;
  const peak = server.memory.peak;
  const boundBytes = (options.rssBoundMiB ?? DEFAULT_RSS_BOUND_MIB) * MIB;
  const up = finished && !server.exitedEarly;
  const checks: Check[] = [
    {
      name: "server-up",
      ok: up,
      detail: up
        ? `all ${sender.probes} probes came out on stdout`
        : (sender.stuck ?? "the server exited before it was stopped"),
    },
    {
      name: "clean-exit",
      ok: stopped.code === 0 && stopped.summary !== undefined,
      detail: `exit code ${stopped.code}, signal ${stopped.signal}, last stderr line ${stopped.summary === undefined ? `not JSON: ${stopped.lastLine}` : "is the summary"}`,
    },
  ];
  if (stopped.summary !== undefined) {
    checks.push(
      receivedCheck(summary, sender.sent, kernelDrops),
      decodedCheck(summary),
      accountedCheck(summary, reference.total, kernelDrops),
      outputCheck(summary, server.sink.lines),
    );
  }
  checks.push(memoryCheck(peak?.hwmBytes, boundBytes));
  return {
    ok: checks.every((check) => check.ok),
    seed: options.seed,
    count: options.count,
    duration_ms: Math.round(duration),
    sent: {
      fuzz: sender.sent - sender.probesSent,
      probes: sender.probesSent,
      total: sender.sent,
      bytes: sender.sentBytes,
      send_errors: sender.sendErrors,
      per_second: Math.round((sender.sent * 1000) / duration),
    },
    server: {
      exit_code: stopped.code,
      signal: stopped.signal,
      kernel_drops: kernelDrops ?? null,
      kernel_drops_source:
        drops === undefined ? (summaryDrops === undefined ? null : "summary") : "/proc/net/udp",
      stdout_lines: server.sink.lines,
      stdout_bytes: server.sink.bytes,
      summary: stopped.summary ?? null,
    },
    expected: reference.total,
    accounting: stopped.summary === undefined ? undefined : summaryAccounting(summary),
    memory: {
      baseline_rss_mib: mib(server.memory.baseline?.rssBytes),
      peak_rss_polled_mib: mib(peak?.rssBytes),
      peak_hwm_mib: mib(peak?.hwmBytes),
      bound_mib: mib(boundBytes),
    },
    checks,
    categories: Object.fromEntries(reference.byCategory),
    bombs: bombs.map(describeBomb),
    enumerated: ENUMERATED,
  };
}
