/**
 * shipper-server as a user runs it: spawned with node, NDJSON on stdout
 * (redirected to a file, or piped to the harness), stopped with SIGTERM,
 * its summary read from the last stderr line.
 */
import type { ChildProcess } from "node:child_process";
import { closeSync, createReadStream, openSync, statSync } from "node:fs";
import {
  exited,
  HOST,
  RssProbe,
  SERVER_BIN,
  sleep,
  spawnCommand,
  TextSink,
  waitFor,
} from "./proc.js";
import { type UdpSocketCounters, udpCounters } from "./udp-table.js";

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 30_000;

export interface ServerStop {
  readonly summary: Record<string, unknown>;
  readonly peakRssBytes: number;
  /** Kernel counters of the server's socket just before it stopped. */
  readonly udp: UdpSocketCounters | undefined;
  readonly exitCode: number;
}

export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly stderr: TextSink,
    private readonly probe: RssProbe,
  ) {}

  /** Starts the server; its stdout goes to `outputPath`, or to a pipe when undefined. */
  static async start(
    outputPath: string | undefined,
    nodeArgs: string[] = [],
  ): Promise<ServerProcess> {
    const fd = outputPath === undefined ? undefined : openSync(outputPath, "w");
    const args = ["--host", HOST, "--port", "0", "--format", "ndjson"];
    const child = spawnCommand(SERVER_BIN, args, ["ignore", fd ?? "pipe", "pipe"], nodeArgs);
    if (fd !== undefined) closeSync(fd);
    const stderr = new TextSink(child.stderr);
    const match = await waitFor(
      stderr,
      child.stderr,
      /listening on udp:\/\/[^\s]*:(\d+)/,
      START_TIMEOUT_MS,
    );
    return new ServerProcess(child, Number(match[1]), stderr, new RssProbe(child.pid ?? 0));
  }

  /** Reads the socket counters, sends SIGTERM and waits for the summary. */
  async stop(): Promise<ServerStop> {
    const udp = udpCounters(this.port);
    const peakRssBytes = this.probe.stop();
    this.child.kill("SIGTERM");
    const exit = await exited(this.child, STOP_TIMEOUT_MS);
    return { summary: this.stderr.lastJson() ?? {}, peakRssBytes, udp, exitCode: exit.code ?? -1 };
  }
}

/**
 * Waits until the file stops growing for `quietMs` (at most `maxMs`);
 * resolves with performance.now() of the last growth seen.
 */
export async function settled(path: string, quietMs: number, maxMs: number): Promise<number> {
  const start = performance.now();
  let size = -1;
  let grewAt = start;
  while (performance.now() - start < maxMs) {
    const now = performance.now();
    const current = statSync(path).size;
    if (current !== size) {
      size = current;
      grewAt = now;
    } else if (now - grewAt >= quietMs) {
      break;
    }
    await sleep(20);
  }
  return grewAt;
}

/** Calls `onLine` for each line of a file, read in chunks. */
export async function eachLine(path: string, onLine: (line: string) => void): Promise<void> {
  let rest = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  }
  if (rest !== "") onLine(rest);
}

/** LF bytes in a file. */
export async function countLines(path: string): Promise<number> {
  let count = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  }
  return count;
}
