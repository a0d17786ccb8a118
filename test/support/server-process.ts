/**
 * A long-running `shipper-server` for load: the fuzzer, the bench and the
 * server-memory e2e test. Its stdout is counted by a sink that spots probe
 * entries (never stored), written to a file, or left to the caller; stderr is
 * kept as a bounded list of lines; memory is polled from /proc. Stopped with
 * SIGTERM (SIGKILL past a timeout), with its summary and the kernel's
 * counters of its socket.
 */
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { MemoryMonitor, readUdpCounters, type UdpSocketCounters } from "./linux-proc.js";
import { HOST, lastJson, portOf, spawnCommand } from "./process.js";

const STDERR_LINES_KEPT = 200;
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 30_000;

/** The probe entry: a bare JSON object the fuzzer sends and looks for on stdout. */
export function probeText(nonce: string, n: number): string {
  return `{"fuzz-probe":"${nonce}","n":${n}}`;
}

/** Counts stdout lines and bytes, and remembers the highest probe number seen. */
export class StdoutSink {
  lines = 0;
  bytes = 0;
  highestProbe = -1;
  readonly #marker: Buffer;
  /** The end of the previous chunk, so a probe cut between two chunks is still found. */
  #carry: Buffer = Buffer.alloc(0);

  constructor(nonce: string) {
    this.#marker = Buffer.from(`{"fuzz-probe":"${nonce}","n":`, "latin1");
  }

  take(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let at = chunk.indexOf(0x0a); at >= 0; at = chunk.indexOf(0x0a, at + 1)) this.lines++;
    const text = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
    for (let at = text.indexOf(this.#marker); at >= 0; ) {
      const start = at + this.#marker.length;
      const end = text.indexOf(0x7d, start);
      if (end < 0) break;
      this.highestProbe = Math.max(this.highestProbe, Number(text.toString("latin1", start, end)));
      at = text.indexOf(this.#marker, end);
    }
    this.#carry = Buffer.from(text.subarray(Math.max(0, text.length - this.#marker.length - 16)));
  }
}

export interface ServerOptions {
  /** Arguments after `--host 127.0.0.1 --port 0`. */
  readonly args?: readonly string[];
  /**
   * Where stdout goes: counted by `sink` (the default; `nonce` names the
   * probes it spots), written to the file at `file`, or a pipe the caller reads
   * from `child.stdout`.
   */
  readonly stdout?: { readonly nonce: string } | { readonly file: string } | "pipe";
  /** Node's own flags (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

export interface StopResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last stderr line that parses as a JSON object; undefined when there is none. */
  readonly summary: Record<string, unknown> | undefined;
  readonly lastLine: string | undefined;
  /** The highest VmHWM read before SIGTERM (the drain not included); 0 without /proc. */
  readonly peakRssBytes: number;
  /** The kernel's counters of the server's socket just before SIGTERM. */
  readonly udp: UdpSocketCounters | undefined;
}

type Waiter = { readonly check: () => boolean; readonly resolve: () => void };

export class ServerProcess {
  readonly child: ChildProcess;
  readonly sink: StdoutSink;
  readonly memory: MemoryMonitor;
  readonly stderr: string[] = [];
  port = 0;
  /** Set when the process exited before stop() was called. */
  exitedEarly = false;
  #stopping = false;
  #partial = "";
  readonly #waiters: Waiter[] = [];
  readonly #exit: Promise<[number | null, NodeJS.Signals | null]>;

  /** Spawns the built server on 127.0.0.1, port 0; `start` also waits until it listens. */
  constructor(options: ServerOptions = {}) {
    const { args = [], stdout = { nonce: "" }, nodeArgs = [] } = options;
    const fd =
      typeof stdout === "object" && "file" in stdout ? openSync(stdout.file, "w") : undefined;
    this.child = spawnCommand("shipper-server", ["--host", HOST, "--port", "0", ...args], {
      stdio: ["ignore", fd ?? "pipe", "pipe"],
      nodeArgs,
    });
    if (fd !== undefined) closeSync(fd);
    this.sink = new StdoutSink(typeof stdout === "object" && "nonce" in stdout ? stdout.nonce : "");
    this.memory = new MemoryMonitor(this.child.pid ?? 0);
    if (stdout !== "pipe") {
      this.child.stdout?.on("data", (chunk: Buffer) => {
        this.sink.take(chunk);
        this.#wake();
      });
    }
    this.child.stderr?.on("data", (chunk: Buffer) => this.#stderr(chunk.toString("utf8")));
    this.#exit = new Promise((resolve) =>
      this.child.once("close", (code, signal) => {
        if (!this.#stopping) this.exitedEarly = true;
        this.#wake();
        resolve([code, signal]);
      }),
    );
  }

  /** Spawns the server and waits until it listens. */
  static async start(options: ServerOptions = {}): Promise<ServerProcess> {
    const server = new ServerProcess(options);
    await server.listening();
    return server;
  }

  #stderr(text: string): void {
    const parts = (this.#partial + text).split("\n");
    this.#partial = parts.pop() ?? "";
    this.stderr.push(...parts);
    if (this.stderr.length > STDERR_LINES_KEPT) this.stderr.splice(0, this.stderr.length - 100);
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) {
      if (!waiter.check() && !this.exitedEarly) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  /** Resolves true once `check` holds, false when the process exits first or time runs out. */
  until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    if (this.exitedEarly) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        resolve(check());
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve(check());
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Waits for the `listening on udp://HOST:PORT` line and returns the port. */
  async listening(timeoutMs = START_TIMEOUT_MS): Promise<number> {
    if (!(await this.until(() => portOf(this.stderr) !== undefined, timeoutMs))) {
      throw new Error(`the server did not start: ${this.stderr.join("\n")}`);
    }
    this.port = portOf(this.stderr) ?? 0;
    this.memory.markBaseline();
    return this.port;
  }

  /**
   * The receive buffer the kernel granted, from the server's warning when it
   * got less than it asked for; undefined when there was no warning.
   */
  get grantedRecvBufferBytes(): number | undefined {
    for (const line of this.stderr) {
      const match = /receive buffer (\d+) bytes granted/.exec(line);
      if (match) return Number(match[1]);
    }
    return undefined;
  }

  /** Reads the socket's counters, sends SIGTERM, waits for exit (SIGKILL after `timeoutMs`). */
  async stop(timeoutMs = STOP_TIMEOUT_MS): Promise<StopResult> {
    this.#stopping = true;
    const udp = readUdpCounters(this.port);
    this.memory.sample();
    const peakRssBytes = this.memory.peak?.hwmBytes ?? 0;
    this.child.kill("SIGTERM");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const [code, signal] = await this.#exit;
    clearTimeout(killer);
    this.memory.stop();
    if (this.#partial !== "") this.stderr.push(this.#partial);
    const lastLine = this.stderr.at(-1);
    const summary = lastLine === undefined ? undefined : lastJson([lastLine]);
    return { code, signal, summary, lastLine, peakRssBytes, udp };
  }
}
