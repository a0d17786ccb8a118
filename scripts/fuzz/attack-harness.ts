/**
 * What the attack suite does to a running server beside sending: marker
 * entries spotted on its stdout with their arrival time, its peak RSS reset
 * and read, its socket's receive queue, and a UDP sender that counts.
 */
import dgram from "node:dgram";
import { writeFileSync } from "node:fs";
import { udpRows } from "../../src/server/kernel-drops.js";
import type { ServerProcess } from "../../test/support/server-process.js";

/** The marker entry sent after an attack: `{"marker":"<nonce>-<n>"}`. */
export const markerText = (nonce: string, n: number) => `{"marker":"${nonce}-${n}"}`;

type Waiter = { readonly n: number; readonly resolve: (at: number | undefined) => void };

/**
 * Spots markers on a server's stdout and stamps when each came out. Reads the
 * chunks only: nothing of stdout is kept but a short carry between chunks.
 */
export class MarkerSink {
  readonly #needle: Buffer;
  readonly #seen = new Map<number, number>();
  readonly #waiters = new Set<Waiter>();
  #carry: Buffer = Buffer.alloc(0);
  #closed = false;

  constructor(server: ServerProcess, nonce: string) {
    this.#needle = Buffer.from(`{"marker":"${nonce}-`, "latin1");
    server.child.stdout?.on("data", (chunk: Buffer) => this.#take(chunk, performance.now()));
    server.child.once("close", () => {
      this.#closed = true;
      for (const waiter of this.#waiters) waiter.resolve(this.#seen.get(waiter.n));
      this.#waiters.clear();
    });
  }

  #take(chunk: Buffer, at: number): void {
    const text = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    let found = false;
    for (let i = text.indexOf(this.#needle); i >= 0; ) {
      const start = i + this.#needle.length;
      const end = text.indexOf(0x22, start);
      if (end < 0) break;
      const n = Number(text.toString("latin1", start, end));
      if (!this.#seen.has(n)) this.#seen.set(n, at);
      found = true;
      i = text.indexOf(this.#needle, end);
    }
    this.#carry = Buffer.from(text.subarray(Math.max(0, text.length - this.#needle.length - 12)));
    if (!found) return;
    for (const waiter of [...this.#waiters]) {
      const time = this.#seen.get(waiter.n);
      if (time === undefined) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(time);
    }
  }

  /** When marker `n` came out (performance.now()); undefined on timeout or exit. */
  wait(n: number, timeoutMs: number): Promise<number | undefined> {
    const known = this.#seen.get(n);
    if (known !== undefined || this.#closed) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        resolve(this.#seen.get(n));
      }, timeoutMs);
      const waiter: Waiter = {
        n,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  get count(): number {
    return this.#seen.size;
  }
}

/**
 * Resets the process's peak RSS (VmHWM) to its current RSS (Linux:
 * `echo 5 > /proc/PID/clear_refs`); false when that is not possible.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}

/** Bytes queued in the receive queue of the UDP socket bound to `port`; undefined when unknown. */
export function queuedBytes(port: number): number | undefined {
  const rows = udpRows().filter((row) => row.localPort === port);
  if (rows.length === 0) return undefined;
  return rows.reduce((sum, row) => sum + row.rxQueueBytes, 0);
}

/** Sends datagrams to one port on 127.0.0.1 and counts what the kernel took. */
export class CountingSender {
  readonly #socket = dgram.createSocket("udp4");
  readonly #port: number;
  sent = 0;
  errors = 0;

  constructor(port: number) {
    this.#port = port;
  }

  send(bytes: Uint8Array): Promise<boolean> {
    return new Promise((resolve) => {
      this.#socket.send(bytes, this.#port, "127.0.0.1", (error) => {
        if (error) this.errors++;
        else this.sent++;
        resolve(!error);
      });
    });
  }

  /** Sends all, `parallel` at a time, in order of hand-over. */
  async sendAll(datagrams: Iterable<Uint8Array>, parallel = 64): Promise<void> {
    let batch: Promise<boolean>[] = [];
    for (const datagram of datagrams) {
      batch.push(this.send(datagram));
      if (batch.length >= parallel) {
        await Promise.all(batch);
        batch = [];
      }
    }
    await Promise.all(batch);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}
