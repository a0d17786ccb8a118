/**
 * Wall time of whole processes, as a user's `time` sees them: spawned, run to
 * their exit, each run its own process; medians with their spread.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { median } from "./stats.js";

export interface WallRun {
  readonly seconds: number;
  readonly code: number | null;
  readonly stderr: string;
}

/** Runs `command args` once with stdin from `stdinPath` (or nothing); its wall time to exit. */
export function timeProcess(
  command: string,
  args: readonly string[],
  stdinPath?: string,
): Promise<WallRun> {
  const stdin = stdinPath === undefined ? "ignore" : openSync(stdinPath, "r");
  const started = performance.now();
  const child = spawn(command, args, { stdio: [stdin, "ignore", "pipe"] });
  if (typeof stdin === "number") closeSync(stdin);
  const errors: Buffer[] = [];
  child.stderr?.on("data", (chunk: Buffer) => errors.push(chunk));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) =>
      resolve({
        seconds: (performance.now() - started) / 1000,
        code,
        stderr: Buffer.concat(errors).toString("utf8"),
      }),
    );
  });
}

/** `sh -c 'cat FILE | command args'`: the file piped, as `cat app.log | shipper-client` does. */
export function pipedFrom(file: string, command: readonly string[]): [string, string[]] {
  const quoted = [...command].map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(" ");
  return ["sh", ["-c", `cat '${file}' | ${quoted}`]];
}

/** The median of a figure over runs, and its spread: the lowest and the highest. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function spreadOf(values: readonly number[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
  };
}
