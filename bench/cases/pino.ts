/**
 * A pino app logging N lines, then exiting at once, to: the shipper's pino
 * transport, `pino/file` to /dev/null, and pino-socket in UDP mode, all on
 * loopback, run by turns in one bench run; and the transport once more
 * with nothing listening at its port (`transport-down`). Time is from the first log call
 * to the end of pino's exit handler (the transport flushed and ended);
 * a UDP receiver here counts what arrives: datagrams, bytes and entries
 * (the shipper's datagrams decoded, pino-socket's lines counted).
 */
import { spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { ROOT } from "../../test/support/process.js";
import { median, perSecond } from "../lib/stats.js";

export const PINO_KINDS = ["transport", "transport-down", "pino-file", "pino-socket"] as const;
export type PinoKind = (typeof PINO_KINDS)[number];

export interface PinoRun {
  readonly seconds: number;
  readonly entriesPerSecond: number;
  /** Entries that reached the receiver (pino/file: none sent). */
  readonly received: number;
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

class Receiver {
  datagrams = 0;
  bytes = 0;
  entries = 0;
  last = 0;
  readonly #socket = dgram.createSocket("udp4");
  readonly #decoder = createDecoder({ now: () => performance.now() });

  async start(kind: PinoKind): Promise<number> {
    this.#socket.on("message", (datagram) => {
      this.datagrams++;
      this.bytes += datagram.length;
      this.last = performance.now();
      if (kind === "transport") this.entries += this.#decoder.decode(datagram).entries.length;
      else
        this.entries += datagram
          .toString("utf8")
          .split("\n")
          .filter((l) => l !== "").length;
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

async function runOnce(kind: PinoKind, entries: number): Promise<PinoRun> {
  const receiver = new Receiver();
  const listening = await receiver.start(kind);
  const port = kind === "transport-down" ? await closedPort() : listening;
  const app = spawn(
    process.execPath,
    [`${ROOT}bench/cases/pino-app.mjs`, kind, String(port), String(entries)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  app.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  await once(app, "exit");
  receiver.last = performance.now();
  await receiver.settled();
  const { ms } = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { ms: number };
  const seconds = ms / 1000;
  return {
    seconds,
    entriesPerSecond: perSecond(entries, seconds),
    received: receiver.entries,
    datagrams: receiver.datagrams,
    bytesPerEntry: receiver.entries > 0 ? receiver.bytes / receiver.entries : Number.NaN,
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
    const pick = (key: keyof PinoRun) => median(list.map((run) => run[key]));
    return {
      kind,
      entries,
      median: {
        seconds: pick("seconds"),
        entriesPerSecond: pick("entriesPerSecond"),
        received: pick("received"),
        datagrams: pick("datagrams"),
        bytesPerEntry: pick("bytesPerEntry"),
      },
      runs: list,
    };
  });
}

function spread(values: readonly number[]): string {
  const k = (v: number) => `${(v / 1000).toFixed(0)}k`;
  return `${k(Math.min(...values))}..${k(Math.max(...values))}`;
}

export function pinoTable(results: readonly PinoResult[]): string {
  const rows = results.map((r) => {
    const rates = r.runs.map((run) => run.entriesPerSecond);
    const bytes = Number.isNaN(r.median.bytesPerEntry) ? "-" : r.median.bytesPerEntry.toFixed(1);
    return `| ${r.kind} | ${(r.median.entriesPerSecond / 1000).toFixed(0)}k | ${spread(rates)} | ${r.median.received}/${r.entries} | ${r.median.datagrams} | ${bytes} |`;
  });
  return [
    "| pino app, exit at once | entries/s (median) | min..max | received | datagrams | bytes/entry |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
