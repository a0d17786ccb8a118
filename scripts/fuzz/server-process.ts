/**
 * The built `shipper-server` as a child process: stdout read into a sink that
 * only counts lines and spots probe entries (never stored), stderr kept as a
 * bounded list of lines, memory polled from /proc, stopped with SIGTERM and
 * its summary (the last stderr line) parsed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MemoryMonitor } from "./proc.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const SERVER_BIN = "bin/shipper-server.js";
const STDERR_LINES_KEPT = 200;

/** The probe entry: a bare JSON object the fuzzer sends and looks for on stdout. */
export function probeText(nonce: string, n: number): string {
  return `{"fuzz-probe":"${nonce}","n":${n}}`;
}

type Waiter = { readonly check: () => boolean; readonly resolve: () => void };

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

export interface StopResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last stderr line parsed as JSON; undefined when it is not JSON. */
  readonly summary: Record<string, unknown> | undefined;
  readonly lastLine: string | undefined;
}

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

  constructor(args: readonly string[], nonce: string) {
    this.child = spawn(process.execPath, [SERVER_BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.sink = new StdoutSink(nonce);
    this.memory = new MemoryMonitor(this.child.pid ?? 0);
    this.child.stdout?.on("data", (chunk: Buffer) => {
      this.sink.take(chunk);
      this.#wake();
    });
    this.child.stderr?.on("data", (chunk: Buffer) => this.#stderr(chunk.toString("utf8")));
    this.#exit = new Promise((resolve) =>
      this.child.once("close", (code, signal) => {
        if (!this.#stopping) this.exitedEarly = true;
        this.#wake();
        resolve([code, signal]);
      }),
    );
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
  async listening(timeoutMs = 20_000): Promise<number> {
    const find = () => this.stderr.find((line) => line.includes("listening on udp://"));
    if (!(await this.until(() => find() !== undefined, timeoutMs))) {
      throw new Error(`the server did not start: ${this.stderr.join("\n")}`);
    }
    this.port = Number(/:(\d+)\s*$/.exec(find() ?? "")?.[1]);
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

  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`) and parses the summary. */
  async stop(timeoutMs = 30_000): Promise<StopResult> {
    this.#stopping = true;
    this.memory.sample();
    this.child.kill("SIGTERM");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const [code, signal] = await this.#exit;
    clearTimeout(killer);
    this.memory.stop();
    if (this.#partial !== "") this.stderr.push(this.#partial);
    const lastLine = this.stderr.at(-1);
    let summary: Record<string, unknown> | undefined;
    try {
      summary = JSON.parse(lastLine ?? "") as Record<string, unknown>;
    } catch {
      summary = undefined;
    }
    return { code, signal, summary, lastLine };
  }
}

/** Spawns the built server on 127.0.0.1, a free port, and waits until it listens. */
export async function startServer(
  extraArgs: readonly string[],
  nonce: string,
): Promise<ServerProcess> {
  const server = new ServerProcess(["--host", "127.0.0.1", "--port", "0", ...extraArgs], nonce);
  await server.listening();
  return server;
}
