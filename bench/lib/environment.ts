/** The machine and the code a run measured, and how busy the machine was. */
import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { ROOT, sleep } from "../../test/support/process.js";

export interface Environment {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly rmemMaxBytes: number | undefined;
  readonly commit: string;
  /** Paths with uncommitted changes under src/ and bin/ when the run started. */
  readonly uncommitted: string[];
  /** When the measured build (dist/) of each command was written. */
  readonly builtAt: { readonly client: string; readonly server: string };
}

function modified(path: string): string {
  try {
    return statSync(path).mtime.toISOString();
  } catch {
    return "missing";
  }
}

function gitLines(args: string[]): string[] {
  try {
    const text = execFileSync("git", args, { cwd: ROOT, encoding: "utf8" });
    return text.split("\n").filter((line) => line.trim() !== "");
  } catch {
    return [];
  }
}

function readNumber(path: string): number | undefined {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return undefined;
  }
}

export function environment(): Environment {
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryBytes: totalmem(),
    rmemMaxBytes: readNumber("/proc/sys/net/core/rmem_max"),
    commit: gitLines(["rev-parse", "HEAD"])[0] ?? "",
    uncommitted: gitLines(["status", "--porcelain", "--", "src", "bin"]),
    builtAt: {
      client: modified(`${ROOT}dist/commands/client/run.js`),
      server: modified(`${ROOT}dist/commands/server/serve.js`),
    },
  };
}

/** Load averages over 1, 5 and 15 minutes. */
export function load(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return [one, five, fifteen];
}

/**
 * Waits until the 1-minute load average is at most `max`, polling every
 * 15 s for at most `maxWaitMs`; resolves with the seconds waited.
 */
export async function waitForLowLoad(max: number, maxWaitMs: number, say: (text: string) => void) {
  const start = performance.now();
  while (load()[0] > max && performance.now() - start < maxWaitMs) {
    say(`load ${load()[0].toFixed(2)} > ${max}: waiting`);
    await sleep(15_000);
  }
  return (performance.now() - start) / 1000;
}

/** Samples the 1-minute load average every few seconds until stopped. */
export class LoadSampler {
  readonly samples: number[] = [];
  readonly #timer = setInterval(() => this.samples.push(load()[0]), 5000);

  constructor() {
    this.samples.push(load()[0]);
    this.#timer.unref();
  }

  stop(): { min: number; max: number; samples: number } {
    clearInterval(this.#timer);
    this.samples.push(load()[0]);
    return {
      min: Math.min(...this.samples),
      max: Math.max(...this.samples),
      samples: this.samples.length,
    };
  }
}
