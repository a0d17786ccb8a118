/**
 * Memory while piping a large input: about 1 GB of text lines, generated
 * as the client reads them (never stored on disk), into shipper-client
 * (batch 100, compressed) and its counting sink. Blocks of distinct lines
 * are built once and cycled; the pipe's backpressure paces the writing.
 */
import type { Writable } from "node:stream";
import { MemoryMonitor } from "../../test/support/linux-proc.js";
import { exited, spawnCommand, TextSink } from "../../test/support/process.js";
import { linesBlock } from "../lib/data.js";
import type { Sink } from "../lib/sink.js";
import { perSecond } from "../lib/stats.js";
import { clientArgs } from "./client.js";

export interface BigInputRun {
  readonly inputBytes: number;
  readonly lines: number;
  readonly entries: number;
  readonly wallSeconds: number;
  readonly entriesPerSecond: number;
  readonly megabytesPerSecond: number;
  readonly peakRssBytes: number;
  readonly sinkDatagrams: number;
  readonly dropped: number;
  readonly exitCode: number;
}

const BLOCKS = 8;
const LINES_PER_BLOCK = 40_000;

async function pump(stdin: Writable, blocks: readonly Buffer[], totalBytes: number) {
  let written = 0;
  let lines = 0;
  stdin.on("error", () => {});
  for (let i = 0; written < totalBytes && !stdin.destroyed; i++) {
    const block = blocks[i % blocks.length] as Buffer;
    written += block.length;
    lines += LINES_PER_BLOCK;
    if (!stdin.write(block)) await new Promise((resolve) => stdin.once("drain", resolve));
  }
  await new Promise<void>((resolve) => stdin.end(resolve));
  return { written, lines };
}

/** `thread` false: with --no-compress-thread. */
export async function runBigInput(
  sink: Sink,
  totalBytes: number,
  thread: boolean,
): Promise<BigInputRun> {
  const blocks = Array.from({ length: BLOCKS }, (_, b) =>
    linesBlock("text", b * LINES_PER_BLOCK, LINES_PER_BLOCK),
  );
  await sink.reset();
  const args = clientArgs(sink.port, { kind: "text", batchSize: 100, compress: true, thread });
  const started = performance.now();
  const child = spawnCommand("shipper-client", args, { stdio: ["pipe", "ignore", "pipe"] });
  const probe = new MemoryMonitor(child.pid ?? 0);
  const stderr = new TextSink(child.stderr);
  if (child.stdin === null) throw new Error("client has no stdin");
  const input = await pump(child.stdin, blocks, totalBytes);
  const exit = await exited(child, 900_000);
  const peakRssBytes = probe.stop()?.hwmBytes ?? 0;
  const got = await sink.take(100);
  const summary = stderr.lastJson() ?? {};
  const wallSeconds = (exit.at - started) / 1000;
  const entries = Number(summary.entries ?? 0);
  return {
    inputBytes: input.written,
    lines: input.lines,
    entries,
    wallSeconds,
    entriesPerSecond: perSecond(entries, wallSeconds),
    megabytesPerSecond: perSecond(input.written / 1e6, wallSeconds),
    peakRssBytes,
    sinkDatagrams: got.datagrams,
    dropped: Number(summary.dropped ?? 0),
    exitCode: exit.code ?? -1,
  };
}
