/**
 * The log server: a UDP socket feeding the protocol decoder, accepted
 * entries written as lines to an output stream, counters for everything.
 * What becomes of each datagram is in datagram-handler.ts.
 */
import {
  type Clock,
  systemClock,
  systemTimers,
  systemWallClock,
  type Timers,
  type WallClock,
} from "../foundation/time.js";
import type { AcceptedKind, JsonLimits } from "../wire/index.js";
import { Decoder } from "../wire/index.js";
import {
  createDatagramHandler,
  type DatagramEvent,
  reportOncePerKind,
} from "./datagram-handler.js";
import { DEFAULT_DRAIN_TIMEOUT_MS, DRAIN_MAX_DATAGRAMS, drainSocket } from "./drain.js";
import { type KernelDrops, type KernelDropsCounter, watchKernelDrops } from "./kernel-drops.js";
import { type LineStream, OutputWriter } from "./output.js";
import { formatPretty } from "./pretty.js";
import { type Endpoint, listen, type RecvBufferReport } from "./receiver.js";
import { SourcePolicy } from "./sources.js";
import { Counters, type ServerStats, type ServerSummary, toSummary } from "./stats.js";
import { type StatsListener, startStatsReporter } from "./stats-reporter.js";

export type { DatagramEvent } from "./datagram-handler.js";

export type OutputFormat = "ndjson" | "pretty";

export interface ServerOptions {
  /** Default "0.0.0.0"; an IPv6 address binds a udp6 socket. */
  readonly host?: string;
  /** Default 9999; 0 takes any free port (see address()). */
  readonly port?: number;
  /** SO_RCVBUF to ask for; undefined or 0 keeps the system default. */
  readonly recvBufferBytes?: number;
  /** Inflating stops here; past it `too-large`. Default 4 MiB. */
  readonly maxDecompressedBytes?: number;
  /** Largest reassembled message; past it `too-large`. Default 4 MiB. */
  readonly maxMessageBytes?: number;
  /**
   * Bounds on the shape of every JSON text and syslog structured data,
   * checked before parsing (`too-deep`, `too-many-entries`,
   * `too-many-fields`). Default DEFAULT_JSON_LIMITS.
   */
  readonly limits?: JsonLimits;
  /**
   * HMAC keys; when non-empty, only datagrams signed with one of them are
   * accepted. `setKeys` replaces them while the server runs.
   */
  readonly keys?: readonly Uint8Array[];
  /** Kinds of datagram to decode; others are `unknown-format`. Default: framed, json, syslog, gelf. */
  readonly accept?: ReadonlySet<AcceptedKind>;
  /**
   * Networks (`10.0.0.0/8`, `fd00::/8`, a plain address) whose datagrams are
   * decoded; others are `not-allowed`. Undefined or empty: every source.
   */
  readonly allow?: readonly string[];
  /** Datagrams per second per source address, burst as large; past it `rate-limited`. 0: off. */
  readonly rateLimitPerSecond?: number;
  /** Reads the kernel's drops and the receive queue for the bound port; default: from /proc (Linux). */
  readonly kernelDrops?: (port: number) => KernelDropsCounter;
  /** Where entries go, one per line. */
  readonly output: LineStream;
  /** Default "ndjson". */
  readonly format?: OutputFormat;
  /** ANSI colours in the pretty format. Default false. */
  readonly color?: boolean;
  /** Output held while the stream is slow; past it entries are dropped. Default 64 MiB. */
  readonly maxPendingOutputBytes?: number;
  /** How long close() waits for the output to drain. Default 5000 ms. */
  readonly flushTimeoutMs?: number;
  /**
   * How long close() keeps reading what the kernel had queued for the socket
   * before it closes it. Default 1000 ms; 0: no drain (what is queued is
   * counted in unread_bytes).
   */
  readonly drainTimeoutMs?: number;
  /** Gap and fragment timeouts are checked this often. Default 1000 ms. */
  readonly sweepIntervalMs?: number;
  /** Monotonic milliseconds for the decoder. Default systemClock (performance.now). */
  readonly now?: Clock;
  /** For the pretty time of entries without a timestamp. Default systemWallClock (Date.now). */
  readonly wallClock?: WallClock;
  /** Sweeps, stats, drain and flush timeouts. Default systemTimers (the global timers). */
  readonly timers?: Timers;
  /** Calls onStats this often; 0 or undefined: never. */
  readonly statsIntervalMs?: number;
  /** Periodic stats: the current snapshot, the previous one, and the time between them. */
  readonly onStats?: StatsListener;
  /** Called for every datagram after it is handled. */
  readonly onDatagram?: (event: DatagramEvent) => void;
  /** Socket or output errors (and failures of the callbacks above); the server goes on. */
  readonly onError?: (error: Error, source: "socket" | "output") => void;
}

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

export const DEFAULT_HOST = "0.0.0.0";
export const DEFAULT_PORT = 9999;
export const DEFAULT_FLUSH_TIMEOUT_MS = 5000;
export const DEFAULT_SWEEP_INTERVAL_MS = 1000;

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

/** Binds the socket and starts serving; rejects with the bind error (code EADDRINUSE...). */
export async function createServer(options: ServerOptions): Promise<LogServer> {
  const timers = options.timers ?? systemTimers;
  const now = options.now ?? systemClock;
  const onError: ErrorSink = (error, source) => {
    try {
      options.onError?.(error, source);
    } catch {
      // A failing error callback must not stop the server.
    }
  };
  const decoder = new Decoder({
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

  const sweeper = timers.setInterval(() => {
    try {
      decoder.sweep();
    } catch (error) {
      onError(toError(error), "socket");
    }
  }, options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS);
  sweeper.unref?.();

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
    await drainSocket({
      queuedBytes,
      received: () => counters.datagrams,
      now,
      timers,
      timeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      maxDatagrams: DRAIN_MAX_DATAGRAMS,
    });
    lastKernelDrops = kernelDrops.read();
    unreadAtClose = { bytes: queuedBytes() };
    await receiver.close();
    decoder.finish();
    flushed = await output.end(options.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS, timers);
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
