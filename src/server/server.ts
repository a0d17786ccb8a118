import {
  type Clock,
  systemClock,
  systemTimers,
  type TimerHandle,
  type Timers,
} from "../foundation/time.js";
import { Acker } from "./acks/acker.js";
import { type KernelDrops, watchKernelDrops } from "./kernel-drops.js";
import { DEFAULT_OUTPUT_DRAIN_TIMEOUT_MS } from "./outputs/definition.js";
import type { StaticFields } from "./outputs/fields.js";
import type { Outputs } from "./outputs/setup.js";
import { type Endpoint, listen, type Receiver, type RecvBufferReport } from "./receiver.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_SWEEP_INTERVAL_MS,
  type ServerOptions,
} from "./server-options.js";
import { type ErrorSink, errorSink, makeOutputs, outputCounts, toError } from "./server-parts.js";
import { shutDown } from "./shutdown.js";
import { SourcePolicy } from "./sources.js";
import { Counters, type ServerStats, type ServerSummary, toSummary } from "./stats.js";
import { startStatsReporter } from "./stats-reporter.js";
import { createIntake, type DecodingStage } from "./workers/intake.js";

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
  /** Replaces the static fields from the next message on. */
  setFields(fields: StaticFields): void;
  /** SIGHUP: every output reopens what it can (a file after logrotate). */
  reopenOutputs(): Promise<void>;
  /** The outputs, for settings a reload may change. */
  readonly outputs: Outputs;
  /**
   * Reads what the kernel had queued for the socket (bounded by
   * drainTimeoutMs), counts what is left in unread_bytes and closes the
   * socket, counts open gaps and partial messages as lost, flushes
   * the output (bounded by flushTimeoutMs; what is not written by then is
   * counted in output_dropped), drains every output (bounded by
   * outputDrainTimeoutMs; what is left goes to the spool, or is dropped) and
   * resolves with the summary. Idempotent.
   */
  close(): Promise<ServerSummary>;
  /** False when close() gave up waiting for the output. */
  readonly outputFlushed: boolean;
}

/** Binds the socket and starts serving; rejects with the bind error (code EADDRINUSE...). */
export async function createServer(options: ServerOptions): Promise<LogServer> {
  const timers = options.timers ?? systemTimers;
  const now = options.now ?? systemClock;
  const onError = errorSink(options.onError);
  let socket: Receiver | undefined;
  const acker = new Acker({
    timers,
    now,
    keys: options.keys,
    send: (datagram, to, done) =>
      socket === undefined ? done(false) : socket.send(datagram, to, done),
  });
  const counters = new Counters();
  const sources = new SourcePolicy({
    now,
    allow: options.allow,
    rateLimitPerSecond: options.rateLimitPerSecond,
  });
  const outputs = makeOutputs(options, timers, now, onError);
  const intake = createIntake({
    options,
    now,
    onError,
    counters,
    sources,
    outputs: outputs.set,
    acker,
  });

  // The socket is bound once the workers can decode: no burst waits for them to start.
  await intake.ready();
  const receiver = await listen({
    host: options.host ?? DEFAULT_HOST,
    port: options.port ?? DEFAULT_PORT,
    recvBufferBytes: options.recvBufferBytes,
    onMessage: intake.onMessage,
    onError: (error) => onError(error, "socket"),
  }).catch(async (error: unknown) => {
    // The workers must not keep a server that could not bind alive.
    await intake.decoding.finish();
    throw error;
  });
  socket = receiver;
  outputs.set.start();
  return serve({
    options,
    timers,
    now,
    onError,
    decoder: intake.decoding,
    settle: intake.settle,
    acker,
    counters,
    sources,
    outputs,
    receiver,
  });
}

/** What a bound server is made of. */
interface Parts {
  readonly options: ServerOptions;
  readonly timers: Timers;
  readonly now: Clock;
  readonly onError: ErrorSink;
  readonly decoder: DecodingStage;
  /** Resolves once every datagram received so far is decoded and handed to the outputs. */
  readonly settle: () => Promise<void>;
  readonly acker: Acker;
  readonly counters: Counters;
  readonly sources: SourcePolicy;
  readonly outputs: Outputs;
  readonly receiver: Receiver;
}

/** Starts the sweeps and the stats of a bound server; stops them on close. */
function serve(parts: Parts): LogServer {
  const { options, timers, now, onError, decoder, acker, counters, sources, outputs, receiver } =
    parts;
  const sweeper = startSweeper(parts);
  const kernelDrops = (options.kernelDrops ?? watchKernelDrops)(receiver.address.port);
  const queuedBytes = () => kernelDrops.queuedBytes?.() ?? null;
  // Read once more before the socket closes; its row in /proc goes with it.
  let lastKernelDrops: KernelDrops | undefined;
  let unreadAtClose: { readonly bytes: number | null } | undefined;
  const stats = () => {
    const held = outputCounts(outputs);
    return counters.snapshot(decoder.stats, held.dropped, held.pendingBytes, {
      kernelDrops: lastKernelDrops ?? kernelDrops.read(),
      unreadBytes: unreadAtClose === undefined ? queuedBytes() : unreadAtClose.bytes,
      topSources: sources.top(),
      outputs: outputs.set.summary(),
      acks: acker.counts,
    });
  };
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
    await shutDown(parts, queuedBytes, () => {
      acker.flush();
      lastKernelDrops = kernelDrops.read();
      unreadAtClose = { bytes: queuedBytes() };
    });
    await outputs.set.close(options.outputDrainTimeoutMs ?? DEFAULT_OUTPUT_DRAIN_TIMEOUT_MS);
    flushed = outputs.stdout?.flushed ?? true;
    return toSummary(stats());
  };

  return {
    address: () => receiver.address,
    recvBuffer: receiver.recvBuffer,
    stats,
    setKeys: (keys) => {
      decoder.setKeys(keys);
      acker.setKeys(keys);
    },
    setFields: (fields) => {
      outputs.set.fields = fields;
    },
    reopenOutputs: () => outputs.set.reopen(),
    outputs,
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
function startSweeper({ options, timers, decoder, acker, onError }: Parts): TimerHandle {
  const sweeper = timers.setInterval(() => {
    try {
      decoder.sweep();
      acker.sweep();
    } catch (error) {
      onError(toError(error), "socket");
    }
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  sweeper.unref?.();
  return sweeper;
}
