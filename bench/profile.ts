/**
 * CPU profiles of the commands at their limits, summarized by function:
 * the client piping lines as fast as it can into a counting sink (batch
 * 100, compressed), the server taking datagrams of 100 entries at a given
 * rate while writing NDJSON to a file. The .cpuprofile files stay in a
 * temporary directory (open them in Chrome DevTools); this prints the top
 * functions by self time and by total time.
 *
 *   tsx bench/profile.ts client [--entries 1000000] [--kind text|json] [--main-thread] [--top 25]
 *   tsx bench/profile.ts server [--rate 12000] [--seconds 5] [--top 25]
 *                               [--shape framed|framed-10|syslog-3164|syslog-5424|json]
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exited, spawnCommand, TextSink, writeAndEnd } from "../test/support/process.js";
import { ServerProcess } from "../test/support/server-process.js";
import { clientArgs } from "./cases/client.js";
import { functionTimes } from "./lib/cpuprofile.js";
import { type DatagramShape, type LineKind, linesBlock } from "./lib/data.js";
import { fixed, percent, table } from "./lib/format.js";
import { settled } from "./lib/output-file.js";
import { Sender } from "./lib/sender.js";
import { Sink } from "./lib/sink.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    entries: { type: "string", default: "1000000" },
    kind: { type: "string", default: "text" },
    "main-thread": { type: "boolean", default: false },
    rate: { type: "string", default: "12000" },
    shape: { type: "string", default: "framed" },
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "25" },
  },
});

async function profileClient(dir: string): Promise<string> {
  const sink = await Sink.start();
  const input = linesBlock(values.kind as LineKind, 0, Number(values.entries));
  const thread = !values["main-thread"];
  const args = clientArgs(sink.port, { kind: "text", batchSize: 100, compress: true, thread });
  const child = spawnCommand("shipper-client", args, {
    stdio: ["pipe", "ignore", "pipe"],
    nodeArgs: ["--cpu-prof", "--cpu-prof-dir", dir],
  });
  const stderr = new TextSink(child.stderr);
  if (child.stdin === null) throw new Error("client has no stdin");
  await writeAndEnd(child.stdin, input);
  await exited(child, 600_000);
  const got = await sink.take(100);
  sink.stop();
  return `client summary: ${stderr.lastJson()?.entries} entries, sink ${got.datagrams} datagrams`;
}

async function profileServer(dir: string): Promise<string> {
  const sender = await Sender.start();
  const path = join(dir, "out.ndjson");
  const server = await ServerProcess.start({
    args: ["--format", "ndjson"],
    stdout: { file: path },
    nodeArgs: ["--cpu-prof", "--cpu-prof-dir", dir],
  });
  const seconds = Number(values.seconds);
  const shape = values.shape as DatagramShape;
  const sent = await sender.send(server.port, Number(values.rate), seconds * 1000, 1000, shape);
  await settled(path, 300, 30_000);
  const stop = await server.stop();
  sender.stop();
  return `sent ${sent.sent} datagrams at ${Math.round(sent.rate)}/s; server entries ${stop.summary?.entries}, lost ${stop.summary?.lost}, kernel drops ${stop.udp?.drops}`;
}

const target = positionals[0];
if (target !== "client" && target !== "server") throw new Error("usage: profile.ts client|server");
const dir = mkdtempSync(join(tmpdir(), `shipper-profile-${target}-`));
console.log(target === "client" ? await profileClient(dir) : await profileServer(dir));
const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
if (file === undefined) throw new Error(`no .cpuprofile written in ${dir}`);
const { totalMs, functions } = functionTimes(join(dir, file));
const top = Number(values.top);
const rows = (list: typeof functions) =>
  list
    .slice(0, top)
    .map((f) => [
      fixed(f.selfMs, 0),
      percent(f.selfShare),
      fixed(f.totalMs, 0),
      percent(f.totalShare),
      f.name,
    ]);
console.log(`\n${join(dir, file)}: ${fixed(totalMs, 0)} ms sampled\n\nby self time`);
console.log(table(["self ms", "self", "total ms", "total", "function"], rows(functions)));
console.log("\nby total time");
const byTotal = [...functions].sort((a, b) => b.totalMs - a.totalMs);
console.log(table(["self ms", "self", "total ms", "total", "function"], rows(byTotal)));
