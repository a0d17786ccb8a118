/**
 * The log server: a UDP socket feeding the protocol decoder, accepted
 * entries written as lines to an output stream, counters for everything.
 * Its options are in server-options.ts, its close sequence in shutdown.ts;
 * what becomes of each datagram is in datagram-handler.ts.
 */

import { createDecoder } from "../formats/create-decoder.js";
import {
  type Clock,
  systemClock,
  systemTimers,
  systemWallClock,
  type TimerHandle,
  type Timers,
} from "../foundation/time.js";
import type { Decoder } from "../wire/index.js";
import { createDatagramHandler, reportOncePerKind } from "./datagram-handler.js";
import { type KernelDrops, watchKernelDrops } from "./kernel-drops.js";
import { OutputWriter } from "./output.js";
import { formatPretty } from "./pretty.js";
import { type Endpoint, listen, type Receiver, type RecvBufferReport } from "./receiver.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_MS,
  type ServerOptions,
} from "./server-options.js";
import { shutDown } from "./shutdown.js";
import { SourcePolicy } from "./sources.js";
import { Counters, type ServerStats, type ServerSummary, toSummary } from "./stats.js";
import { startStatsReporter } from "./stats-reporter.js";

export type { DatagramEvent } from "./datagram-handler.js";
export {
  DEFAULT_FLUSH_TIMEOUT_MS,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_MS,
  type OutputFormat,
  type ServerOptions,
} from "./server-options.js";

export interface LogServer {
  /** The bound address and port. */
  address(): Endpoint;
  /** What the kernel granted for the receive buffer. */
  readonly recvBuffer: RecvBufferReport;
  /** A live snapshot of the counters. */
  stats(): ServerStats;
  /**
   * Replaces the HMAC keys from the next datagram on, as `keys` of the
   * options (empty: no signature needed). The socket, the counters, the
   * streams and the fragments held are kept.
   */
  setKeys(keys: readonly Uint8Array[]): void;
  /**
   * Reads what the kernel had queued for the socket (bounded by
   * drainTimeoutMs), counts what is left in unread_bytes and closes the
   * socket, counts open gaps and partial messages as lost, flushes
   * the output (bounded by flushTimeoutMs; what is not written by then is
   * counted in output_dropped), and resolves with the summary. Idempotent.
   */
  close(): Promise<ServerSummary>;
  /** False when close() gave up waiting for the output. */
  readonly outputFlushed: boolean;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

type ErrorSink = (error: Error, source: "socket" | "output") => void;

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
function errorSink(onError: ServerOptions["onError"]): ErrorSink {
  return (error, source) => {
    try {
      onError?.(error, source);
    } catch {
      // A failing error callback must not stop the server.
    }
  };
}

function makeDecoder(options: ServerOptions, now: Clock, onError: ErrorSink): Decoder {
  return createDecoder({
    now,
    ...(options.maxDecompressedBytes === undefined
      ? {}
      : { maxDecompressedBytes: options.maxDecompressedBytes }),
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.keys === undefined ? {} : { keys: options.keys }),
    ...(options.accept === undefined ? {} : { accept: options.accept }),
    onInternalError: reportOncePerKind((error) => onError(error, "socket")),
  });
}

/** Binds the socket and starts serving; rejects with the bind error (code EADDRINUSE...). */
export async function createServer(options: ServerOptions): Promise<LogServer> {
  const timers = options.timers ?? systemTimers;
  const now = options.now ?? systemClock;
  const onError = errorSink(options.onError);
  const decoder = makeDecoder(options, now, onError);
  const counters = new Counters();
  const sources = new SourcePolicy({
    now,
    allow: options.allow,
    rateLimitPerSecond: options.rateLimitPerSecond,
  });
  const output = makeOutput(options, onError);

  const receiver = await listen({
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    recvBufferBytes: options.recvBufferBytes,
    onMessage: createDatagramHandler({
      counters,
      sources,
      decoder,
      output,
      onDatagram: options.onDatagram,
    }),
    onError: (error) => onError(error, "socket"),
  });
  return serve({ options, timers, now, onError, decoder, counters, sources, output, receiver });
}

/** What a bound server is made of. */
interface Parts {
  readonly options: ServerOptions;
  readonly timers: Timers;
  readonly now: Clock;
  readonly onError: ErrorSink;
  readonly decoder: Decoder;
  readonly counters: Counters;
  readonly sources: SourcePolicy;
  readonly output: OutputWriter;
  readonly receiver: Receiver;
}

/** Starts the sweeps and the stats of a bound server; stops them on close. */
function serve(parts: Parts): LogServer {
  const { options, timers, now, onError, decoder, counters, sources, output, receiver } = parts;
  const sweeper = startSweeper(parts);
  const kernelDrops = (options.kernelDrops ?? watchKernelDrops)(receiver.address.port);
  const queuedBytes = () => kernelDrops.queuedBytes?.() ?? null;
  // Read once more before the socket closes; its row in /proc goes with it.
  let lastKernelDrops: KernelDrops | undefined;
  let unreadAtClose: { readonly bytes: number | null } | undefined;
  const stats = () =>
    counters.snapshot(decoder.stats, output.dropped, output.pendingBytes, {
      kernelDrops: lastKernelDrops ?? kernelDrops.read(),
      unreadBytes: unreadAtClose === undefined ? queuedBytes() : unreadAtClose.bytes,
      topSources: sources.top(),
    });
  const reporter = startStatsReporter({
    onStats: options.onStats,
    intervalMs: options.statsIntervalMs,
    timers,
    now,
    stats,
    onError: (error) => onError(error, "socket"),
  });
  let closing: Promise<ServerSummary> | undefined;
  let flushed = true;

  const close = async (): Promise<ServerSummary> => {
    timers.clearInterval(sweeper);
    if (reporter !== undefined) timers.clearInterval(reporter);
    flushed = await shutDown(parts, queuedBytes, () => {
      lastKernelDrops = kernelDrops.read();
      unreadAtClose = { bytes: queuedBytes() };
    });
    return toSummary(stats());
  };

  return {
    address: () => receiver.address,
    recvBuffer: receiver.recvBuffer,
    stats,
    setKeys: (keys) => decoder.setKeys(keys),
    close() {
      closing ??= close();
      return closing;
    },
    get outputFlushed() {
      return flushed;
    },
  };
}

/** Checks gap and fragment timeouts every sweepIntervalMs. */
function startSweeper({ options, timers, decoder, onError }: Parts): TimerHandle {
  const sweeper = timers.setInterval(() => {
    try {
      decoder.sweep();
    } catch (error) {
      onError(toError(error), "socket");
    }
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  sweeper.unref?.();
  return sweeper;
}
