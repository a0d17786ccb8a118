/** The built commands as processes: lines of stdout and stderr, waits on them, exit codes. */
import { type ChildProcess, spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Spawned {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when `predicate` holds for the lines read so far; rejects if the process exits first. */
  until(stream: "stdout" | "stderr", predicate: (lines: string[]) => boolean): Promise<void>;
  /** The exit code, once the process has exited and its output is read. */
  exited(): Promise<number | null>;
}

/** Spawns `bin/<command>.js` with PATH plus `env`; stdin is a pipe when `stdin` is given. */
export function spawnCommand(
  command: "shipper-server" | "shipper-client",
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: string,
): Spawned {
  const child = spawn(process.execPath, [`bin/${command}.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: { stream: "stdout" | "stderr"; check: () => boolean; resolve: () => void }[] = [];
  const closed: Promise<unknown>[] = [];
  for (const stream of ["stdout", "stderr"] as const) {
    const reader = createInterface({ input: child[stream] as NodeJS.ReadableStream });
    closed.push(once(reader, "close"));
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

/** Starts a server on 127.0.0.1, port 0; resolves with it and its port once it listens. */
export async function startServer(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ server: Spawned; port: number }> {
  const server = spawnCommand(
    "shipper-server",
    ["--host", "127.0.0.1", "--port", "0", ...args],
    env,
  );
  await server.until("stderr", (lines) => lines.some((l) => l.includes("listening on udp://")));
  const line = server.stderr.find((l) => l.includes("listening on udp://")) ?? "";
  const port = Number(/:(\d+)$/.exec(line)?.[1]);
  return { server, port };
}

/** Resolves once a `--verbose` server has written a line for `count` datagrams. */
export function handled(server: Spawned, count: number): Promise<void> {
  const event = /^shipper-server: (batch of|rejected|duplicate|fragment held) /;
  return server.until("stderr", (lines) => lines.filter((l) => event.test(l)).length >= count);
}

/** Stops a process with SIGTERM; resolves with its exit code and its last stderr line as JSON. */
export async function stop(
  spawned: Spawned,
): Promise<{ code: number | null; summary: Record<string, unknown> }> {
  spawned.child.kill("SIGTERM");
  const code = await spawned.exited();
  return { code, summary: lastJson(spawned) };
}

/** The last stderr line, read as JSON (the summary of both commands). */
export function lastJson(spawned: Spawned): Record<string, unknown> {
  return JSON.parse(spawned.stderr.at(-1) ?? "null") as Record<string, unknown>;
}

/** Sends each datagram in order from one socket bound to `from`; resolves once all are sent. */
export async function sendFrom(
  datagrams: readonly Uint8Array[],
  port: number,
  from = "127.0.0.1",
): Promise<void> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, from, resolve));
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, "127.0.0.1", (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}
