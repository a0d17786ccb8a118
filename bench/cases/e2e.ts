/**
 * Client and server together: N numbered text lines piped into
 * shipper-client (batch 100, compressed), shipper-server writing NDJSON to a
 * file through its file output (`--output file:PATH`). Every line of the file is matched to its id: ids never seen are
 * lost, ids seen twice are duplicated. Each run is paired with a run of the
 * client alone on the same input into the counting sink, so the two rates
 * compare within the same minute of the same machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exited, spawnCommand, TextSink, writeAndEnd } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { idOf } from "../lib/data.js";
import { eachLine, settled } from "../lib/output-file.js";
import type { Sink } from "../lib/sink.js";
import { median, medianOf, perSecond, ratio } from "../lib/stats.js";
import { type ClientCase, type ClientRun, clientArgs, runClient } from "./client.js";

export const E2E_BATCH_SIZE = 100;
/** The client's settings in both halves of a pair. */
export const E2E_CLIENT: ClientCase = { kind: "text", batchSize: E2E_BATCH_SIZE, compress: true };

export interface EndToEndRun {
  readonly entries: number;
  /** Seconds from starting the client until the server wrote its last line. */
  readonly wallSeconds: number;
  readonly entriesPerSecond: number;
  /** Ids missing from the file. */
  readonly lost: number;
  /** Lines of the file beyond the first for their id. */
  readonly duplicated: number;
  /** Lines of the file with no id of the input. */
  readonly foreign: number;
  readonly serverLost: number;
  readonly serverDuplicates: number;
  readonly kernelDrops: number;
  readonly clientDropped: number;
  readonly clientExitCode: number;
}

interface Tally {
  readonly seen: Uint8Array;
  distinct: number;
  duplicated: number;
  foreign: number;
}

async function tally(path: string, entries: number): Promise<Tally> {
  const result: Tally = { seen: new Uint8Array(entries), distinct: 0, duplicated: 0, foreign: 0 };
  await eachLine(path, (line) => {
    const id = idOf(line);
    if (id < 0 || id >= entries) result.foreign += 1;
    else if (result.seen[id] === 0) {
      result.seen[id] = 1;
      result.distinct += 1;
    } else result.duplicated += 1;
  });
  return result;
}

export async function runEndToEnd(input: Buffer, entries: number): Promise<EndToEndRun> {
  const dir = mkdtempSync(join(tmpdir(), "shipper-bench-"));
  const path = join(dir, "out.ndjson");
  try {
    writeFileSync(path, ""); // the file output appends to it
    const server = await ServerProcess.start({ args: ["--output", `file:${path}`] });
    const args = clientArgs(server.port, E2E_CLIENT);
    const started = performance.now();
    const client = spawnCommand("shipper-client", args, { stdio: ["pipe", "ignore", "pipe"] });
    const clientErr = new TextSink(client.stderr);
    if (client.stdin === null) throw new Error("client has no stdin");
    await writeAndEnd(client.stdin, input);
    const clientExit = await exited(client, 600_000);
    const lastLineAt = await settled(path, 300, 60_000);
    const stop = await server.stop();
    const counted = await tally(path, entries);
    const wallSeconds = (Math.max(lastLineAt, clientExit.at) - started) / 1000;
    return {
      entries,
      wallSeconds,
      entriesPerSecond: perSecond(counted.distinct, wallSeconds),
      lost: entries - counted.distinct,
      duplicated: counted.duplicated,
      foreign: counted.foreign,
      serverLost: Number(stop.summary?.lost ?? Number.NaN),
      serverDuplicates: Number(stop.summary?.duplicates ?? Number.NaN),
      kernelDrops: stop.udp?.drops ?? Number.NaN,
      clientDropped: Number(clientErr.lastJson()?.dropped ?? Number.NaN),
      clientExitCode: clientExit.code ?? -1,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface EndToEndPair {
  readonly endToEnd: EndToEndRun;
  /** The client alone, the same input, just before. */
  readonly client: ClientRun;
  /** End to end entries/s (wall) over the client alone's (wall: spawn to exit). */
  readonly wallRatio: number;
}

export interface EndToEndSection {
  readonly entries: number;
  readonly median: EndToEndRun;
  readonly clientMedian: ClientRun;
  /** Median, lowest and highest of the pairs' wall ratios. */
  readonly wallRatio: number;
  readonly minWallRatio: number;
  readonly maxWallRatio: number;
  readonly worstLost: number;
  readonly worstDuplicated: number;
  readonly runs: EndToEndRun[];
  readonly pairs: EndToEndPair[];
}

/** `runs` pairs of the client alone, then client and server, on the same input. */
export async function runEndToEndPairs(
  input: Buffer,
  entries: number,
  runs: number,
  sink: Sink,
): Promise<EndToEndSection> {
  const pairs: EndToEndPair[] = [];
  for (let i = 0; i < runs; i++) {
    const client = await runClient(E2E_CLIENT, input, sink);
    const endToEnd = await runEndToEnd(input, entries);
    pairs.push({
      endToEnd,
      client,
      wallRatio: ratio(endToEnd.entriesPerSecond, client.wallEntriesPerSecond),
    });
  }
  const e2eRuns = pairs.map((p) => p.endToEnd);
  const wallRatios = pairs.map((p) => p.wallRatio);
  return {
    entries,
    median: medianOf(e2eRuns),
    clientMedian: medianOf(pairs.map((p) => p.client)),
    wallRatio: median(wallRatios),
    minWallRatio: Math.min(...wallRatios),
    maxWallRatio: Math.max(...wallRatios),
    worstLost: Math.max(...e2eRuns.map((r) => r.lost + r.foreign)),
    worstDuplicated: Math.max(...e2eRuns.map((r) => r.duplicated)),
    runs: e2eRuns,
    pairs,
  };
}
