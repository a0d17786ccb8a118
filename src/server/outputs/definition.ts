/**
 * What the server is told about each output, and the batch defaults of each
 * kind. The command builds these from flags and the config file; a library
 * caller builds them directly.
 */
import { KIB, MIB } from "../../foundation/limits.js";
import type { BatchSettings } from "./batcher.js";
import type { Sink } from "./types.js";

export type OutputKind = "stdout" | "file" | "http" | "nats";

/** Memory charged for batches waiting per output, when not told. */
export const DEFAULT_OUTPUT_QUEUE_BYTES = 64 * MIB;
/** Spool files per output, when not told. */
export const DEFAULT_SPOOL_MAX_BYTES = 1024 * MIB;
/** How long shutdown delivers what waits, when not told. */
export const DEFAULT_OUTPUT_DRAIN_TIMEOUT_MS = 10_000;

/**
 * Batch defaults by kind: stdout hands each message to its writer at once
 * (the writer gathers what one event-loop turn brings into writes of about
 * 64 KiB); a file is written the same way, at the end of each turn or
 * every 64 KiB, so what was decoded is written and let go of at once (held
 * for longer, the entries outlive the young generation and cost far more
 * to collect); HTTP posts up to 1,000 entries or 1 MiB, at least once a
 * second; NATS publishes up to 1,000 entries every 200 ms.
 */
export const DEFAULT_BATCH: Readonly<Record<OutputKind, BatchSettings>> = Object.freeze({
  stdout: { maxEntries: 10_000, maxBytes: MIB, intervalMs: 0 },
  file: { maxEntries: 10_000, maxBytes: 64 * KIB, intervalMs: 0 },
  http: { maxEntries: 1000, maxBytes: MIB, intervalMs: 1000 },
  nats: { maxEntries: 1000, maxBytes: MIB, intervalMs: 200 },
});

export interface OutputDefinition {
  /** The destination; "stdout" writes to the server's `output` stream, in its `format`. */
  readonly sink: Sink | "stdout";
  /** Default DEFAULT_BATCH.stdout. */
  readonly batch?: BatchSettings;
  /** Default DEFAULT_OUTPUT_QUEUE_BYTES. */
  readonly maxQueueBytes?: number;
  /** A spool directory (a subdirectory per output is made in it) and its bound per output. */
  readonly spool?: { readonly dir: string; readonly maxBytes: number };
}

/** What an output says while it runs, for the one stderr line each deserves. */
export type OutputEvent =
  | {
      readonly type: "down";
      readonly output: string;
      readonly reason: string;
      readonly error?: Error;
    }
  | { readonly type: "recovered"; readonly output: string }
  | { readonly type: "spool-error"; readonly output: string; readonly error: Error };
