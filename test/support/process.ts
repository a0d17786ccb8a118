/** Spawning the built commands in tests: lines of stdout and stderr, waits on them, the summary. */
import { type ChildProcess, spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export interface Run {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when `predicate` holds for the lines read so far of that stream. */
  until(stream: "stdout" | "stderr", predicate: (lines: string[]) => boolean): Promise<void>;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exited(): Promise<number | null>;
}

/** Spawns `bin/<command>.js` with a clean env (PATH plus `env`). */
export function runCommand(
  command: "shipper-server" | "shipper-client",
  args: string[],
  env: Record<string, string> = {},
  readStdout = true,
): Run {
  const child = spawn(process.execPath, [`bin/${command}.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
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

export async function listeningPort(server: Run): Promise<number> {
  await server.until("stderr", (lines) => lines.some((l) => l.includes("listening on udp://")));
  const line = server.stderr.find((l) => l.includes("listening on udp://")) ?? "";
  const match = /listening on udp:\/\/(.+):(\d+)$/.exec(line);
  expect(match).not.toBe(null);
  return Number(match?.[2]);
}

export function freePort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve) =>
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    }),
  );
}

export function summaryOf(server: Run): Record<string, unknown> {
  const last = server.stderr.at(-1) ?? "";
  return JSON.parse(last) as Record<string, unknown>;
}
