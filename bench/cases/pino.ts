/**
 * A pino app logging N lines, then exiting at once, to: the shipper's pino
 * transport (`transport`), the transport beside `pino/file` to /dev/null in
 * one worker (`transport-targets`, pino.transport({ targets })), the
 * transport with nothing listening at its port (`transport-down`),
 * `pino/file` to /dev/null, and pino-socket in UDP mode, all on loopback,
 * run by turns in one bench run. Time is from the first log call to the end of pino's exit
 * handler (the transport flushed and ended); CPU is the whole process's
 * (app and worker threads) over the same span, and of it the app's own
 * thread's (pino formatting lines) and the rest's (pino's worker thread,
 * where a transport runs, and V8's helper threads). A UDP receiver here
 * holds what arrives and, once the app has exited, counts it: datagrams,
 * bytes and entries (the shipper's datagrams decoded, pino-socket's lines
 * counted). Counting later keeps the receiver's own work (inflating and
 * parsing, for the shipper) off the cores the app runs on, as a server on
 * another host would be. The transport's own report line (stderr) gives
 * what it dropped and the datagrams refused. Each run also gives the
 * destination's start-up, from pino.transport() to its "ready".
 */
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { ROOT } from "../../test/support/process.js";
import { median, perSecond } from "../lib/stats.js";

export const PINO_KINDS = [
  "transport",
  "transport-targets",
  "transport-down",
  "pino-file",
  "pino-socket",
] as const;
export type PinoKind = (typeof PINO_KINDS)[number];

export interface PinoRun {
  readonly seconds: number;
  readonly entriesPerSecond: number;
  /** The app's logging loop alone, before its exit. */
  readonly loopSeconds: number;
  /**
   * From pino.transport() to its "ready": the worker's start and the
   * destination's load. Absent from results made before it was timed.
   */
  readonly readyMs?: number;
  /** CPU time of the app's process (all threads) per entry, µs. */
  readonly cpuUsPerEntry: number;
  /** Of it, the app's own thread's (pino formatting lines), and the other threads'. */
  readonly mainCpuUsPerEntry: number;
  readonly otherCpuUsPerEntry: number;
  /** Entries that reached the receiver (pino/file: none sent). */
  readonly received: number;
  /** Entries the transport reported dropped; datagrams it reported refused. */
  readonly dropped: number;
  readonly refused: number;
  readonly datagrams: number;
  readonly bytesPerEntry: number;
}

export interface PinoResult {
  readonly kind: PinoKind;
  readonly entries: number;
  readonly median: PinoRun;
  readonly runs: PinoRun[];
}

const SETTLE_MS = 300;
const OURS: ReadonlySet<PinoKind> = new Set(["transport", "transport-targets", "transport-down"]);

class Receiver {
  datagrams = 0;
  bytes = 0;
  entries = 0;
  last = 0;
  readonly #socket = dgram.createSocket("udp4");
  readonly #decoder = createDecoder({ now: () => performance.now() });
  readonly #held: Buffer[] = [];

  constructor(private readonly kind: PinoKind) {}

  async start(): Promise<number> {
    this.#socket.on("message", (datagram) => {
      this.#held.push(datagram);
      this.last = performance.now();
    });
    this.#socket.bind(0, "127.0.0.1");
    await once(this.#socket, "listening");
    this.#socket.setRecvBufferSize(32 * 1024 * 1024);
    return this.#socket.address().port;
  }

  async settled(): Promise<void> {
    while (performance.now() - this.last < SETTLE_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.#socket.close();
    for (const datagram of this.#held) this.#count(datagram);
    this.#held.length = 0;
  }

  /** Counts a datagram's entries: after the app has exited, so as not to compete with it for CPU. */
  #count(datagram: Buffer): void {
    this.datagrams++;
    this.bytes += datagram.length;
    if (OURS.has(this.kind)) this.entries += this.#decoder.decode(datagram).entries.length;
    else
      this.entries += datagram
        .toString("utf8")
        .split("\n")
        .filter((l) => l !== "").length;
  }
}

/** A loopback UDP port that was just bound and closed: nothing listens there. */
async function closedPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  socket.bind(0, "127.0.0.1");
  await once(socket, "listening");
  const { port } = socket.address();
  socket.close();
  return port;
}

/** Dropped entries and refused datagrams from the transport's report line; 0 without one. */
export function reportCounts(stderr: string): { dropped: number; refused: number } {
  const dropped = /: (\d+) of \d+ entries dropped/.exec(stderr)?.[1];
  const refused = /; (\d+) datagrams refused/.exec(stderr)?.[1];
  return { dropped: Number(dropped ?? 0), refused: Number(refused ?? 0) };
}

async function runOnce(kind: PinoKind, entries: number): Promise<PinoRun> {
  const receiver = new Receiver(kind);
  const listening = await receiver.start();
  const port = kind === "transport-down" ? await closedPort() : listening;
  const app = spawn(
    process.execPath,
    [`${ROOT}bench/cases/pino-app.mjs`, kind, String(port), String(entries)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  app.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  app.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  await once(app, "exit");
  receiver.last = performance.now();
  await receiver.settled();
  const last = out.trim().split("\n").at(-1) ?? "{}";
  const { ms, loopMs, cpuMs, mainCpuMs, readyMs } = JSON.parse(last) as Record<string, number>;
  if (ms === undefined || loopMs === undefined || cpuMs === undefined) {
    throw new Error(`pino app ${kind}: no figures in ${JSON.stringify(out)}`);
  }
  const mainMs = mainCpuMs ?? Number.NaN;
  if (!/^udp-log-shipper\/pino: \d+ of/.test(err) && err.trim() !== "") process.stderr.write(err);
  const seconds = ms / 1000;
  return {
    seconds,
    entriesPerSecond: perSecond(entries, seconds),
    loopSeconds: loopMs / 1000,
    readyMs: readyMs ?? Number.NaN,
    cpuUsPerEntry: (cpuMs * 1000) / entries,
    mainCpuUsPerEntry: (mainMs * 1000) / entries,
    otherCpuUsPerEntry: ((cpuMs - mainMs) * 1000) / entries,
    received: receiver.entries,
    ...reportCounts(err),
    datagrams: receiver.datagrams,
    bytesPerEntry: receiver.entries > 0 ? receiver.bytes / receiver.entries : Number.NaN,
  };
}

function medianRun(list: readonly PinoRun[]): PinoRun {
  const pick = (key: Exclude<keyof PinoRun, "readyMs">) => median(list.map((run) => run[key]));
  return {
    seconds: pick("seconds"),
    entriesPerSecond: pick("entriesPerSecond"),
    loopSeconds: pick("loopSeconds"),
    readyMs: median(list.map((run) => run.readyMs ?? Number.NaN)),
    cpuUsPerEntry: pick("cpuUsPerEntry"),
    mainCpuUsPerEntry: pick("mainCpuUsPerEntry"),
    otherCpuUsPerEntry: pick("otherCpuUsPerEntry"),
    received: pick("received"),
    dropped: pick("dropped"),
    refused: pick("refused"),
    datagrams: pick("datagrams"),
    bytesPerEntry: pick("bytesPerEntry"),
  };
}

/** Each kind `runs` times, by turns, so that load drifts touch all alike. */
export async function runPino(entries: number, runs: number): Promise<PinoResult[]> {
  const all = new Map<PinoKind, PinoRun[]>(PINO_KINDS.map((kind) => [kind, []]));
  for (let i = 0; i < runs; i++) {
    for (const kind of PINO_KINDS) all.get(kind)?.push(await runOnce(kind, entries));
  }
  return PINO_KINDS.map((kind) => {
    const list = all.get(kind) ?? [];
    return { kind, entries, median: medianRun(list), runs: list };
  });
}
