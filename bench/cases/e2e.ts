/**
 * Client and server together: N numbered text lines piped into
 * shipper-client (batch 100, compressed), shipper-server writing NDJSON to a
 * file. Every line of the file is matched to its id: ids never seen are
 * lost, ids seen twice are duplicated.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exited, HOST, spawnCommand, TextSink, writeAndEnd } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { idOf } from "../lib/data.js";
import { eachLine, settled } from "../lib/output-file.js";
import { perSecond } from "../lib/stats.js";

export const E2E_BATCH_SIZE = 100;

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
    const server = await ServerProcess.start({
      args: ["--format", "ndjson"],
      stdout: { file: path },
    });
    const args = ["--target-host", HOST, "--target-port", String(server.port)];
    args.push("--batch-size", String(E2E_BATCH_SIZE));
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
