/**
 * Processes as a user runs them: the built commands spawned with node, the
 * bench's own agents forked with tsx, their peak memory read from /proc, and
 * their last stderr line read as the summary.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CLIENT_BIN = `${ROOT}bin/shipper-client.js`;
export const SERVER_BIN = `${ROOT}bin/shipper-server.js`;
export const HOST = "127.0.0.1";
const RSS_POLL_MS = 25;

/** VmHWM (peak resident set) of a live process in bytes, or undefined once it is gone. */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

/** Polls a process's VmHWM until stopped; `bytes` is the last reading taken while it lived. */
export class RssProbe {
  bytes = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(readonly pid: number) {
    this.#read();
    this.#timer = setInterval(() => this.#read(), RSS_POLL_MS);
  }

  #read(): void {
    const bytes = peakRssBytes(this.pid);
    if (bytes !== undefined && bytes > this.bytes) this.bytes = bytes;
  }

  stop(): number {
    this.#read();
    clearInterval(this.#timer);
    return this.bytes;
  }
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
    const lines = this.text.trimEnd().split("\n");
    for (let i = lines.length - 1; i >= 0; i--) {
      try {
        const value: unknown = JSON.parse(lines[i] ?? "");
        if (typeof value === "object" && value !== null) return value as Record<string, unknown>;
      } catch {}
    }
    return undefined;
  }
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

/** Writes a buffer to a stream and ends it; resolves when written (or the reader went away). */
export function writeAndEnd(stream: Writable, data: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    stream.once("error", () => resolve());
    stream.end(data, () => resolve());
  });
}

/** Resolves with the first match of `pattern` in the text, or rejects after `timeoutMs`. */
export function waitFor(
  sink: TextSink,
  stream: Readable | null,
  pattern: RegExp,
  timeoutMs: number,
) {
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(sink.text);
      if (match === null) return false;
      clearTimeout(timer);
      stream?.off("data", check);
      resolve(match);
      return true;
    };
    const timer = setTimeout(() => {
      stream?.off("data", check);
      reject(new Error(`timed out waiting for ${pattern}: ${sink.text.slice(-500)}`));
    }, timeoutMs);
    if (!check()) stream?.on("data", check);
  });
}

/** Spawns a built command with node. */
export function spawnCommand(
  bin: string,
  args: readonly string[],
  stdio: ["pipe" | "ignore", "pipe" | "ignore" | number, "pipe" | "ignore"],
  nodeArgs: readonly string[] = [],
): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, bin, ...args], { cwd: ROOT, stdio });
}

/** Forks one of the bench agents (TypeScript, run by tsx) with an IPC channel. */
export function forkAgent(path: string, args: readonly string[] = []): ChildProcess {
  return fork(path, [...args], {
    cwd: ROOT,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** Sends a request to an agent and resolves with its next message of type `reply`. */
export function ask<T>(child: ChildProcess, request: object, reply: string, timeoutMs = 60_000) {
  return new Promise<T>((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== reply) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as T);
    };
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error(`agent gave no ${reply} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on("message", onMessage);
    if (Object.keys(request).length > 0) child.send(request);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
