/**
 * The server's output definitions from the command's config: a sink per
 * output (stdout, a FileSink, or the remote sinks' builders) with its batch,
 * queue and spool settings.
 */
import { systemClock } from "../../foundation/time.js";
import type { OutputDefinition } from "../../server/outputs/definition.js";
import { FileSink } from "../../server/outputs/file-sink.js";
import { createHttpSink, createNatsSink } from "../../server/outputs/remote-sinks.js";
import type { Sink } from "../../server/outputs/types.js";
import type { OutputConfig, OutputsConfig } from "./outputs-options.js";

function sinkFor(output: OutputConfig): Sink | "stdout" {
  const { spec } = output;
  if (spec.kind === "file" && output.file !== undefined) {
    return new FileSink({ path: spec.path, ...output.file, now: systemClock });
  }
  if (spec.kind === "http" && output.http !== undefined) return createHttpSink(output.http);
  if (spec.kind === "nats" && output.nats !== undefined) return createNatsSink(output.nats);
  return "stdout";
}

/** Throws when a remote sink cannot be built. */
export function outputDefinitions(config: OutputsConfig): OutputDefinition[] {
  return config.outputs.map((output) => {
    const sink = sinkFor(output);
    // stdout never refuses a batch (its writer bounds what it holds): it has no spool.
    const spooled = config.spoolDir !== undefined && sink !== "stdout";
    return {
      sink,
      batch: output.batch,
      maxQueueBytes: output.maxQueueBytes,
      ...(spooled ? { spool: { dir: config.spoolDir, maxBytes: output.spoolMaxBytes } } : {}),
    };
  });
}
