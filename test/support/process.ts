/**
 * The built commands as processes, for the e2e tests, bench/ and
 * scripts/fuzz: spawned with node and a clean env, their stdout and stderr
 * read into lines (or left to a file), waits on them, the summary (the last
 * stderr line of both commands), stopped with SIGTERM. Long-running servers
 * with memory sampling and probes: server-process.ts.
 */
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const HOST = "127.0.0.1";
export type Command = "shipper-server" | "shipper-client" | "shipper-tail";
/** What the package's `shipper-client` runs (bin/shipper-client.js runs it too). */
export const CLIENT_BIN = `${ROOT}bin/shipper-client.cjs`;
export const SERVER_BIN = `${ROOT}bin/shipper-server.js`;

export interface SpawnOptions {
  /** Variables the command sees besides PATH (nothing else of this process's env). */
  readonly env?: Readonly<Record<string, string>>;
  /** stdin, stdout, stderr; all piped by default. */
  readonly stdio?: StdioOptions;
  /** Node's own flags, before the script (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
}

/** Spawns `bin/<command>.js` with node, in the repository, with a clean env (PATH plus `env`). */
export function spawnCommand(
  command: Command,
  args: readonly string[],
  options: SpawnOptions = {},
): ChildProcess {
  const { env = {}, stdio = "pipe", nodeArgs = [] } = options;
  return spawn(process.execPath, [...nodeArgs, `${ROOT}bin/${command}.js`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio,
  });
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen. */
  readonly at: number;
}

/** Resolves when the child exits; past `timeoutMs` it is killed (SIGKILL). */
export function exited(child: ChildProcess, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ code: child.exitCode, signal: child.signalCode, at: performance.now() });
      return;
    }
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, at: performance.now() });
    });
  });
}

/** The last line that parses as a JSON object (a command's summary), or undefined. */
export function lastJson(lines: readonly string[]): Record<string, unknown> | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const value: unknown = JSON.parse(lines[i] ?? "");
      if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
    } catch {}
  }
  return undefined;
}

/** Everything a stream gives, as text, with a callback on each chunk. */
export class TextSink {
  text = "";
  constructor(stream: Readable | null, onChunk?: (text: string) => void) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      this.text += chunk;
      onChunk?.(this.text);
    });
  }

  /** The last line that parses as a JSON object (a command's summary), or undefined. */
  lastJson(): Record<string, unknown> | undefined {
    return lastJson(this.text.trimEnd().split("\n"));
  }
}

/** Writes a buffer to a stream and ends it; resolves when written (or the reader went away). */
export function writeAndEnd(stream: Writable, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.end(data, () => resolve());
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Run {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when `predicate` holds for the lines read so far; rejects if the process exits first. */
  until(stream: "stdout" | "stderr", predicate: (lines: string[]) => boolean): Promise<void>;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited(): Promise<number | null>;
}

export interface RunOptions {
  /** Variables the command sees besides PATH (nothing else of this process's env). */
  readonly env?: Readonly<Record<string, string>>;
  /** `ignore` (the default) or `pipe`: open for the test to write to `child.stdin`. */
  readonly stdin?: "ignore" | "pipe";
  /** Piped to stdin, which then ends (stdin is a pipe whatever `stdin` says). */
  readonly input?: string;
  /** Read stdout into lines (the default); `false` leaves it unread, so a full pipe stalls it. */
  readonly readStdout?: boolean;
  /** An open file descriptor to give the command as its stdout (a file, a FIFO); not read. */
  readonly stdoutFd?: number;
}

/** Spawns `bin/<command>.js` with a clean env (PATH plus `options.env`), its output read into lines. */
export function runCommand(
  command: Command,
  args: readonly string[],
  options: RunOptions = {},
): Run {
  const { env = {}, input, stdoutFd } = options;
  const readStdout = stdoutFd === undefined && (options.readStdout ?? true);
  const stdin = input === undefined ? (options.stdin ?? "ignore") : "pipe";
  const child = spawnCommand(command, args, { env, stdio: [stdin, stdoutFd ?? "pipe", "pipe"] });
  if (input !== undefined) child.stdin?.end(input);
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: { stream: "stdout" | "stderr"; check: () => boolean; resolve: () => void }[] = [];
  const closed: Promise<void>[] = [];
  for (const stream of readStdout ? (["stdout", "stderr"] as const) : (["stderr"] as const)) {
    const reader = createInterface({ input: child[stream] as NodeJS.ReadableStream });
    closed.push(once(reader, "close").then(() => undefined));
    reader.on("line", (line) => {
      lines[stream].push(line);
      for (const waiter of waiters.filter((w) => w.stream === stream && w.check())) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }
  const exit = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    stdout: lines.stdout,
    stderr: lines.stderr,
    until(stream, predicate) {
      const check = () => predicate(lines[stream]);
      if (check()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ stream, check, resolve });
        void exit.then((code) =>
          reject(new Error(`exited (${code}) first; stderr: ${lines.stderr.join("\n")}`)),
        );
      });
    },
    async exited() {
      const code = await exit;
      await Promise.all(closed);
      return code;
    },
  };
}

const LISTENING = /listening on udp:\/\/(.+):(\d+)\s*$/;

/** The port in a server's `listening on udp://host:port` line; undefined when no line has it. */
export function portOf(stderr: readonly string[]): number | undefined {
  for (const line of stderr) {
    const match = LISTENING.exec(line);
    if (match) return Number(match[2]);
  }
  return undefined;
}

/** The port of the server's `listening on udp://host:port` line, once it is printed. */
export async function listeningPort(server: Run): Promise<number> {
  await server.until("stderr", (lines) => lines.some((l) => l.includes("listening on udp://")));
  const port = portOf(server.stderr);
  if (port === undefined) throw new Error(`no port in: ${server.stderr.join("\n")}`);
  return port;
}

/** Starts a server on 127.0.0.1, port 0; resolves with it and its port once it listens. */
export async function startServer(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ server: Run; port: number }> {
  const server = runCommand("shipper-server", ["--host", HOST, "--port", "0", ...args], { env });
  return { server, port: await listeningPort(server) };
}

/** Resolves once a `--verbose` server has written a line for `count` datagrams. */
export function handled(server: Run, count: number): Promise<void> {
  const event = /^shipper-server: (batch of|rejected|duplicate|fragment held) /;
  return server.until("stderr", (lines) => lines.filter((l) => event.test(l)).length >= count);
}

/** The last stderr line, read as JSON: the summary of both commands. */
export function summaryOf(run: Run): Record<string, unknown> {
  const last = run.stderr.at(-1) ?? "";
  return JSON.parse(last) as Record<string, unknown>;
}

/** Sends SIGTERM; resolves with the exit code and the summary once the process has exited. */
export async function stop(
  run: Run,
): Promise<{ code: number | null; summary: Record<string, unknown> }> {
  run.child.kill("SIGTERM");
  const code = await run.exited();
  return { code, summary: summaryOf(run) };
}
