/**
 * The parts createServer builds from its options: the decoder, the outputs
 * (the stdout writer among them), and the error callback made safe to call.
 */
import { createDecoder } from "../formats/create-decoder.js";
import { type Clock, systemWallClock, type Timers } from "../foundation/time.js";
import type { Decoder } from "../wire/index.js";
import { reportOncePerKind } from "./datagram-handler.js";
import { OutputWriter } from "./output.js";
import { createOutputs, type Outputs } from "./outputs/setup.js";
import { formatPretty } from "./pretty.js";
import { DEFAULT_FLUSH_TIMEOUT_MS, type ServerOptions } from "./server-options.js";
import type { WorkerSetup } from "./workers/messages.js";

export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export type ErrorSink = (error: Error, source: "socket" | "output") => void;

function makeOutput(options: ServerOptions, onError: ErrorSink): OutputWriter {
  const wallClock = options.wallClock ?? systemWallClock;
  const color = options.color ?? false;
  const format =
    options.format === "pretty"
      ? (line: string) => formatPretty(line, wallClock(), { color })
      : undefined;
  return new OutputWriter(options.output, {
    ...(options.maxPendingOutputBytes === undefined
      ? {}
      : { maxPendingBytes: options.maxPendingOutputBytes }),
    ...(format === undefined ? {} : { format }),
    onError: (error) => onError(error, "output"),
  });
}

/** The options' error callback, made safe to call: a throw from it is swallowed. */
export function errorSink(onError: ServerOptions["onError"]): ErrorSink {
  return (error, source) => {
    try {
      onError?.(error, source);
    } catch {
      // A failing error callback must not stop the server.
    }
  };
}

export function makeOutputs(
  options: ServerOptions,
  time: Timers,
  now: Clock,
  onError: ErrorSink,
): Outputs {
  return createOutputs({
    definitions: options.outputs ?? [{ sink: "stdout" }],
    stdout: () => makeOutput(options, onError),
    flushTimeoutMs: options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS,
    fields: options.fields ?? [],
    instanceId: options.instanceId,
    timers: time,
    now,
    random: options.random ?? Math.random,
    onEvent: (event) => {
      try {
        options.onOutputEvent?.(event);
      } catch {
        // A failing callback must not stop the outputs.
      }
    },
    onAttempt: options.onDeliveryAttempt,
  });
}

/**
 * The decoder settings of `options` that a decoder takes as they are, the
 * same in process and on a decoding worker (every one of them cloneable).
 */
export function decoderSettings(options: ServerOptions): WorkerSetup {
  return {
    ...(options.maxDecompressedBytes === undefined
      ? {}
      : { maxDecompressedBytes: options.maxDecompressedBytes }),
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.keys === undefined ? {} : { keys: options.keys }),
    ...(options.accept === undefined ? {} : { accept: options.accept }),
  };
}

export function makeDecoder(
  options: ServerOptions,
  now: Clock,
  onError: ErrorSink,
  redeliver?: (stream: string, seq: number) => boolean,
): Decoder {
  return createDecoder({
    now,
    ...(redeliver === undefined ? {} : { redeliver }),
    ...decoderSettings(options),
    onInternalError: reportOncePerKind((error) => onError(error, "socket")),
  });
}

/** What the stdout writer dropped and holds, and what every output dropped and holds. */
export function outputCounts(outputs: Outputs) {
  const writer = outputs.stdout?.writer;
  return {
    dropped: (writer?.dropped ?? 0) + outputs.set.dropped,
    pendingBytes: (writer?.pendingBytes ?? 0) + outputs.set.queuedBytes,
  };
}
