/** The built commands as processes in tests: lines of stdout and stderr, waits on them, the summary. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const root = fileURLToPath(new URL("../..", import.meta.url));

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

/** Spawns `bin/<command>.js` with a clean env (PATH plus `options.env`). */
export function runCommand(
  command: "shipper-server" | "shipper-client",
  args: readonly string[],
  options: RunOptions = {},
): Run {
  const { env = {}, input, stdoutFd } = options;
  const readStdout = stdoutFd === undefined && (options.readStdout ?? true);
  const stdin = input === undefined ? (options.stdin ?? "ignore") : "pipe";
  const child = spawn(process.execPath, [`bin/${command}.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: [stdin, stdoutFd ?? "pipe", "pipe"],
  });
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

/** The port of the server's `listening on udp://host:port` line, once it is printed. */
export async function listeningPort(server: Run): Promise<number> {
  await server.until("stderr", (lines) => lines.some((l) => l.includes("listening on udp://")));
  const line = server.stderr.find((l) => l.includes("listening on udp://")) ?? "";
  const match = /listening on udp:\/\/(.+):(\d+)$/.exec(line);
  expect(match).not.toBe(null);
  return Number(match?.[2]);
}

/** Starts a server on 127.0.0.1, port 0; resolves with it and its port once it listens. */
export async function startServer(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ server: Run; port: number }> {
  const server = runCommand("shipper-server", ["--host", "127.0.0.1", "--port", "0", ...args], {
    env,
  });
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
