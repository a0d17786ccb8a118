/**
 * Sample log entries, like the original shipper's generator: a random level
 * weighted toward INFO, everyday messages, the service name and metadata with
 * a user id, a request id and a duration. Paced at a fixed rate against an
 * injected clock: entry i is due at start + i / rate, so pacing does not
 * drift however long each step takes; when behind, entries are produced at
 * once until caught up.
 */
import { setTimeout as sleepFor } from "node:timers/promises";
import type { Level } from "../../../client/levels.js";

export interface GeneratorOptions {
  /** Entries per second (> 0). */
  readonly logsPerSecond: number;
  /** How long to generate, in seconds; 0 = until aborted. */
  readonly runTimeSeconds: number;
  readonly service: string;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Monotonic milliseconds, for pacing. */
  readonly now: () => number;
  /** Wall clock, for timestamps. */
  readonly wallClock: () => Date;
  /** Waits `ms`; resolves early (or rejects) when `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Ends the run early. */
  readonly signal?: AbortSignal;
}

const LEVEL_WEIGHTS: readonly (readonly [Level, number])[] = [
  ["DEBUG", 15],
  ["INFO", 60],
  ["WARNING", 15],
  ["ERROR", 8],
  ["CRITICAL", 2],
];
const TOTAL_WEIGHT = LEVEL_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);

const MESSAGES: Readonly<Record<Level, readonly string[]>> = {
  DEBUG: ["Cache lookup", "Query plan chosen", "Feature flag evaluated"],
  INFO: ["User logged in", "User logged out", "Payment processed", "Order created", "Email sent"],
  WARNING: ["Slow database query", "Retrying upstream request", "Cache miss rate high"],
  ERROR: ["Payment declined", "Upstream request failed", "Database connection lost"],
  CRITICAL: ["Disk full", "Service unavailable"],
};

/** Entries that `generate` yields for the given rate and run time; undefined = unbounded. */
export function plannedCount(logsPerSecond: number, runTimeSeconds: number): number | undefined {
  if (runTimeSeconds === 0) return undefined;
  return Math.ceil(logsPerSecond * runTimeSeconds - 1e-9);
}

/** One sample entry. */
export function sampleEntry(
  random: () => number,
  at: Date,
  service: string,
): Record<string, unknown> {
  const level = pickLevel(random);
  const messages = MESSAGES[level];
  return {
    timestamp: at.toISOString(),
    level,
    message: messages[pickIndex(random, messages.length)] ?? "",
    service,
    metadata: {
      "user.id": `user-${1000 + pickIndex(random, 9000)}`,
      "request.id": requestId(random),
      duration_ms: 1 + pickIndex(random, 1000),
    },
  };
}

function pickIndex(random: () => number, size: number): number {
  return Math.min(size - 1, Math.floor(random() * size));
}

function pickLevel(random: () => number): Level {
  let roll = random() * TOTAL_WEIGHT;
  for (const [level, weight] of LEVEL_WEIGHTS) {
    if (roll < weight) return level;
    roll -= weight;
  }
  return "INFO";
}

function requestId(random: () => number): string {
  let id = "";
  for (let i = 0; i < 16; i++) id += pickIndex(random, 16).toString(16);
  return id;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleepFor(ms, undefined, signal ? { signal } : {});

/** Sample entries at `logsPerSecond` for `runTimeSeconds`; ends early when `signal` aborts. */
export async function* generate(
  options: GeneratorOptions,
): AsyncGenerator<Record<string, unknown>> {
  const sleep = options.sleep ?? defaultSleep;
  const { signal } = options;
  const intervalMs = 1000 / options.logsPerSecond;
  const count = plannedCount(options.logsPerSecond, options.runTimeSeconds) ?? Infinity;
  const start = options.now();
  for (let i = 0; i < count; i++) {
    const wait = start + i * intervalMs - options.now();
    if (wait > 0) {
      try {
        await sleep(wait, signal);
      } catch {
        return; // aborted
      }
    }
    if (signal?.aborted) return;
    yield sampleEntry(options.random, options.wallClock(), options.service);
  }
}
