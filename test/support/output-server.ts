/**
 * The built server with outputs, for the e2e tests: start it with `--output`
 * specs (or a config file), send numbered entries paced so the kernel never
 * drops, and stop it to read the summary's `outputs`. The spool's files can
 * be read from here too, to count what reached the spool.
 */
import dgram from "node:dgram";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { OutputSummary } from "../../src/server/outputs/output-stats.js";
import { readHeader } from "../../src/server/outputs/spool-format.js";
import { type Run, startServer, stop } from "./process.js";

export type { OutputSummary };

/** `count` datagrams of bare JSON, `perDatagram` entries of about 100 bytes each, numbered from `first`. */
export function numberedDatagrams(count: number, perDatagram = 100, first = 0): Buffer[] {
  const pad = "p".repeat(80);
  return Array.from({ length: count }, (_, d) =>
    Buffer.from(
      JSON.stringify(
        Array.from({ length: perDatagram }, (_, i) => ({ n: first + d * perDatagram + i, pad })),
      ),
    ),
  );
}

/** Sends `datagrams` to 127.0.0.1:`port`, pausing `pauseMs` after every `every` datagrams. */
export async function sendPaced(
  port: number,
  datagrams: readonly Uint8Array[],
  every = 10,
  pauseMs = 5,
): Promise<void> {
  const socket = dgram.createSocket("udp4");
  try {
    for (const [i, datagram] of datagrams.entries()) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, "127.0.0.1", (error) => (error ? reject(error) : resolve())),
      );
      if ((i + 1) % every === 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    socket.close();
  }
}

export interface OutputServer {
  readonly server: Run;
  readonly port: number;
}

/** Starts `shipper-server` on 127.0.0.1, port 0, `--quiet`, with `args` (its outputs among them). */
export function startOutputServer(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<OutputServer> {
  return startServer(["--quiet", ...args], env);
}

export interface Stopped {
  readonly code: number | null;
  readonly summary: Record<string, unknown>;
  /** The summary's `outputs`. */
  readonly outputs: Record<string, OutputSummary>;
  /** stderr lines before the summary. */
  readonly stderr: readonly string[];
}

/** SIGTERM, then the exit code, the summary and its outputs. */
export async function stopOutputServer(run: Run): Promise<Stopped> {
  const { code, summary } = await stop(run);
  const outputs = (summary.outputs ?? {}) as Record<string, OutputSummary>;
  return { code, summary, outputs, stderr: run.stderr.slice(0, -1) };
}

/** The spool directories under `spoolDir`, each with the entries its batch files hold. */
export function spooledEntries(spoolDir: string): number {
  if (!existsSync(spoolDir)) return 0;
  let entries = 0;
  for (const output of readdirSync(spoolDir)) {
    const dir = join(spoolDir, output);
    for (const name of readdirSync(dir)) {
      if (!name.endsWith(".batch")) continue;
      entries += readHeader(readIfThere(join(dir, name)))?.entries ?? 0;
    }
  }
  return entries;
}

/** A file's bytes, or none when the server removed it (replayed) since the listing. */
function readIfThere(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return Buffer.alloc(0);
    throw error;
  }
}

/** Polls `check` every 20 ms until it holds or `timeoutMs` passes; answers whether it held. */
export async function eventually(check: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}
