/**
 * What Linux shows about a process and a UDP socket: resident memory (VmRSS,
 * and its high-water mark VmHWM) from /proc/PID/status, and the kernel's
 * counters of the socket bound to a port from /proc/net/udp and udp6.
 * Elsewhere every reading is undefined.
 */
import { readFileSync } from "node:fs";
import { udpRows } from "../../src/server/kernel-drops.js";

export interface MemoryReading {
  readonly rssBytes: number;
  /** The peak resident size since the process started. */
  readonly hwmBytes: number;
}

function kilobytes(status: string, field: string): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
}

/** The process's memory now; undefined when /proc does not show it (not Linux, or exited). */
export function readMemory(pid: number): MemoryReading | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const rssBytes = kilobytes(status, "VmRSS");
  const hwmBytes = kilobytes(status, "VmHWM");
  if (rssBytes === undefined || hwmBytes === undefined) return undefined;
  return { rssBytes, hwmBytes };
}

/** Polls a process's memory and keeps the highest figures seen. */
export class MemoryMonitor {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  #first: MemoryReading | undefined;
  #maxRss = 0;
  #maxHwm = 0;

  constructor(pid: number, intervalMs = 20) {
    this.#pid = pid;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  sample(): MemoryReading | undefined {
    const reading = readMemory(this.#pid);
    if (reading === undefined) return undefined;
    this.#first ??= reading;
    this.#maxRss = Math.max(this.#maxRss, reading.rssBytes);
    this.#maxHwm = Math.max(this.#maxHwm, reading.hwmBytes);
    return reading;
  }

  /** Takes the reading that `baseline` reports (e.g. once the process is ready). */
  markBaseline(): void {
    this.#first = undefined;
    this.sample();
  }

  /** The first reading, or the one taken by markBaseline(); undefined without /proc. */
  get baseline(): MemoryReading | undefined {
    return this.#first;
  }

  /** The highest VmRSS polled and the highest VmHWM read (the true peak). */
  get peak(): MemoryReading | undefined {
    if (this.#first === undefined) return undefined;
    return { rssBytes: this.#maxRss, hwmBytes: this.#maxHwm };
  }

  /** Takes a last reading while the process may still live, stops polling, returns the peak. */
  stop(): MemoryReading | undefined {
    this.sample();
    clearInterval(this.#timer);
    return this.peak;
  }
}

export interface UdpSocketCounters {
  /** Bytes waiting in the receive queue. */
  readonly rxQueueBytes: number;
  /** Datagrams the kernel dropped for this socket (receive buffer full, mostly). */
  readonly drops: number;
}

/** The counters of the socket(s) bound to `port`, summed; undefined when none is shown. */
export function readUdpCounters(port: number): UdpSocketCounters | undefined {
  const rows = udpRows().filter((r) => r.localPort === port && r.drops !== undefined);
  if (rows.length === 0) return undefined;
  return {
    rxQueueBytes: rows.reduce((sum, r) => sum + r.rxQueueBytes, 0),
    drops: rows.reduce((sum, r) => sum + (r.drops ?? 0), 0),
  };
}
