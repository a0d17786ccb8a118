/**
 * Latency at a low rate: a numbered line written to shipper-client's stdin
 * until its entry appears on shipper-server's stdout (a pipe read by the
 * harness, on the harness's clock). The batch size is 1000, so only the
 * interval or the level sends a batch. A few warm-up lines go first and
 * are not counted.
 */

import { exited, HOST, sleep, spawnCommand } from "../../test/support/process.js";
import { ServerProcess } from "../../test/support/server-process.js";
import { idOf, textLine } from "../lib/data.js";
import { percentile } from "../lib/stats.js";

export interface LatencyCase {
  readonly name: string;
  readonly args: readonly string[];
  /** Lines per second. */
  readonly rate: number;
  readonly durationMs: number;
  /** Wait after the last line before closing stdin: longer than the interval. */
  readonly tailMs: number;
}

export interface LatencyResult {
  readonly name: string;
  readonly args: readonly string[];
  readonly rate: number;
  readonly samples: number;
  readonly missing: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

const WARM_UP = 5;
const WARM_UP_TIMEOUT_MS = 15_000;

export async function runLatency(c: LatencyCase): Promise<LatencyResult> {
  const server = await ServerProcess.start({ args: ["--format", "ndjson"], stdout: "pipe" });
  const count = WARM_UP + Math.round((c.rate * c.durationMs) / 1000);
  const writtenAt = new Float64Array(count).fill(Number.NaN);
  const seenAt = new Float64Array(count).fill(Number.NaN);
  let rest = "";
  server.child.stdout?.setEncoding("utf8");
  server.child.stdout?.on("data", (chunk: string) => {
    const now = performance.now();
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) {
      const id = idOf(line);
      if (id >= 0 && id < count && Number.isNaN(seenAt[id] ?? 0)) seenAt[id] = now;
    }
  });
  const args = ["--target-host", HOST, "--target-port", String(server.port)];
  args.push("--batch-size", "1000", ...c.args);
  const client = spawnCommand("shipper-client", args, { stdio: ["pipe", "ignore", "ignore"] });
  const stdin = client.stdin;
  if (stdin === null) throw new Error("client has no stdin");
  const write = (id: number) => {
    writtenAt[id] = performance.now();
    stdin.write(`${textLine(id)}\n`);
  };
  for (let id = 0; id < WARM_UP; id++) write(id);
  const warmStart = performance.now();
  while (seenAt.subarray(0, WARM_UP).some(Number.isNaN)) {
    if (performance.now() - warmStart > WARM_UP_TIMEOUT_MS) break;
    await sleep(10);
  }
  const start = performance.now();
  for (let id = WARM_UP; id < count; id++) {
    const due = start + ((id - WARM_UP) * 1000) / c.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    write(id);
  }
  await sleep(c.tailMs);
  stdin.end();
  await exited(client, 60_000);
  await server.stop();
  const latencies: number[] = [];
  for (let id = WARM_UP; id < count; id++) {
    const ms = (seenAt[id] ?? Number.NaN) - (writtenAt[id] ?? Number.NaN);
    if (Number.isFinite(ms)) latencies.push(ms);
  }
  return {
    name: c.name,
    args: c.args,
    rate: c.rate,
    samples: latencies.length,
    missing: count - WARM_UP - latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: Math.max(...latencies),
  };
}
