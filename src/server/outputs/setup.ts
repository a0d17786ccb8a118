/**
 * Builds the server's outputs from their definitions: the stdout sink over
 * the server's writer, a pipeline per output, the set that fans out to them.
 */
import type { Clock, Timers } from "../../foundation/time.js";
import type { OutputWriter } from "../output.js";
import {
  DEFAULT_BATCH,
  DEFAULT_OUTPUT_QUEUE_BYTES,
  type OutputDefinition,
  type OutputEvent,
} from "./definition.js";
import { OutputSet } from "./fan-out.js";
import type { StaticFields } from "./fields.js";
import { MessageIds } from "./ids.js";
import { OutputPipeline } from "./pipeline.js";
import { StdoutSink } from "./stdout-sink.js";
import type { DeliveryResult } from "./types.js";

export interface OutputsContext {
  readonly definitions: readonly OutputDefinition[];
  /** Makes the writer of the stdout output, once, when there is one. */
  readonly stdout: () => OutputWriter;
  readonly flushTimeoutMs: number;
  readonly fields: StaticFields;
  readonly instanceId: string | undefined;
  readonly timers: Timers;
  readonly now: Clock;
  readonly random: () => number;
  readonly onEvent: (event: OutputEvent) => void;
  readonly onAttempt:
    | ((output: string, seconds: number, result: DeliveryResult) => void)
    | undefined;
}

export interface Outputs {
  readonly set: OutputSet;
  /** The stdout sink, when stdout is an output. */
  readonly stdout: StdoutSink | undefined;
}

/** The outputs cannot start: two have one name, or a spool directory cannot be opened. */
export class OutputSetupError extends Error {
  override readonly name = "OutputSetupError";
}

/** Throws an OutputSetupError when two outputs have one name, or a spool cannot be opened. */
export function createOutputs(context: OutputsContext): Outputs {
  try {
    return buildOutputs(context);
  } catch (error) {
    if (error instanceof OutputSetupError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new OutputSetupError(`cannot open the spool: ${why}`, { cause: error });
  }
}

function buildOutputs(context: OutputsContext): Outputs {
  const { timers, now, random, onEvent, onAttempt } = context;
  let stdout: StdoutSink | undefined;
  const names = new Set<string>();
  const pipelines = context.definitions.map((definition) => {
    let sink = definition.sink;
    if (sink === "stdout") {
      stdout ??= new StdoutSink(context.stdout(), context.flushTimeoutMs, timers);
      sink = stdout;
    }
    const name = sink.name;
    if (names.has(name)) throw new OutputSetupError(`two outputs named ${name}`);
    names.add(name);
    return new OutputPipeline({
      sink,
      batch: definition.batch ?? DEFAULT_BATCH.stdout,
      maxQueueBytes: definition.maxQueueBytes ?? DEFAULT_OUTPUT_QUEUE_BYTES,
      spool: definition.spool,
      timers,
      now,
      random,
      onOutage: (failure) =>
        onEvent({
          type: "down",
          output: name,
          reason: failure.reason,
          ...(failure.error === undefined ? {} : { error: failure.error }),
        }),
      onRecovered: () => onEvent({ type: "recovered", output: name }),
      onSpoolError: (error) => onEvent({ type: "spool-error", output: name, error }),
      ...(onAttempt === undefined
        ? {}
        : {
            onAttempt: (seconds: number, result: DeliveryResult) =>
              onAttempt(name, seconds, result),
          }),
    });
  });
  const set = new OutputSet(pipelines, new MessageIds(context.instanceId), context.fields);
  return { set, stdout };
}
