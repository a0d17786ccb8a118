/**
 * The options of the log server, each with its default, and the defaults
 * createServer fills in.
 */
import type { Clock, Timers, WallClock } from "../foundation/time.js";
import type { AcceptedKind, JsonLimits } from "../wire/index.js";
import type { DatagramEvent } from "./datagram-handler.js";
import type { KernelDropsCounter } from "./kernel-drops.js";
import type { LineStream } from "./output.js";
import type { OutputDefinition, OutputEvent } from "./outputs/definition.js";
import type { StaticFields } from "./outputs/fields.js";
import type { DeliveryResult } from "./outputs/types.js";
import type { StatsListener } from "./stats-reporter.js";

export const DEFAULT_HOST = "0.0.0.0";
export const DEFAULT_PORT = 9999;
export const DEFAULT_FLUSH_TIMEOUT_MS = 5000;
export const DEFAULT_SWEEP_INTERVAL_MS = 1000;

export type OutputFormat = "ndjson" | "pretty";

export interface ServerOptions {
  /** Default "0.0.0.0"; an IPv6 address binds a udp6 socket. */
  readonly host?: string;
  /** Default 9999; 0 takes any free port (see address()). */
  readonly port?: number;
  /** SO_RCVBUF to ask for; undefined or 0 keeps the system default. */
  readonly recvBufferBytes?: number;
  /** The largest payload, inflated or as sent; inflating stops here; past it `too-large`. Default 1 MiB. */
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
   * Decoding threads (default 1: decoded on the main thread, no worker).
   * Above 1, the main thread receives and hands datagrams over, each stream
   * to one worker (docs/server.md, Workers).
   */
  readonly workers?: number;
  /**
   * Networks (`10.0.0.0/8`, `fd00::/8`, a plain address) whose datagrams are
   * decoded; others are `not-allowed`. Undefined or empty: every source.
   */
  readonly allow?: readonly string[];
  /** Datagrams per second per source address, burst as large; past it `rate-limited`. 0: off. */
  readonly rateLimitPerSecond?: number;
  /** Reads the kernel's drops and the receive queue for the bound port; default: from /proc (Linux). */
  readonly kernelDrops?: (port: number) => KernelDropsCounter;
  /** The stream of the `stdout` output: entries one per line. */
  readonly output: LineStream;
  /**
   * Where entries go: every accepted entry goes to every output, each with
   * its own batches, queue and retries. Default: stdout alone.
   */
  readonly outputs?: readonly OutputDefinition[];
  /** Fields added at the top level of every entry that lacks them. Default none. */
  readonly fields?: StaticFields;
  /**
   * How long close() keeps delivering what the outputs hold; what is left
   * then goes to the spool, or is dropped (`drain-timeout`). Default 10,000 ms.
   */
  readonly outputDrainTimeoutMs?: number;
  /** 16 hex digits in the ids of messages without stream and seq; default 8 random bytes. */
  readonly instanceId?: string;
  /** Jitter of the outputs' retries, a number in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** An output went down, came back, or could not write its spool. */
  readonly onOutputEvent?: (event: OutputEvent) => void;
  /** Every delivery attempt of every output, with its duration. */
  readonly onDeliveryAttempt?: (output: string, seconds: number, result: DeliveryResult) => void;
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
