/**
 * Options of createShipper, their defaults, and the checks that turn them
 * into one frozen configuration (an InvalidOptionError, a TypeError naming
 * the option, otherwise).
 */
import { InvalidOptionError } from "../foundation/errors.js";
import {
  DEFAULT_MAX_DATAGRAM_BYTES,
  MAX_DATAGRAM_BYTES,
  MAX_PORT,
  MAX_RETRIES,
  MIB,
  MIN_DATAGRAM_BYTES,
} from "../foundation/limits.js";
import { systemTime, type Time } from "../foundation/time.js";
import { type BatchSettings, validateBatchSettings } from "./batcher.js";
import {
  type DatagramSocket,
  defaultCreateSocket,
  defaultLookup,
  type Lookup,
  type SocketFactory,
} from "./connection.js";
import type { ShipperObserver } from "./observer.js";
import {
  type ReliableConfig,
  type ReliableShipperOptions,
  resolveReliable,
} from "./reliable/reliable-options.js";

/** Default bound on serialized-but-unsent bytes. */
const DEFAULT_MAX_QUEUED_BYTES = 8 * MIB;
/** Default longest wait of close() for sends and retries. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/** Default interval between two lookups of the target host name. */
const DEFAULT_RESOLVE_INTERVAL_MS = 30_000;

export interface ShipperOptions extends BatchSettings, ReliableShipperOptions {
  targetHost: string;
  targetPort: number;
  /** zlib-compress payloads (a payload whose compressed form is not smaller goes uncompressed). */
  compress: boolean;
  /**
   * Split and compress batches of 8 KiB or more on a worker thread while
   * this thread reads on (default true): more throughput on
   * a busy input, for more memory (docs/performance.md). false: all on this thread.
   */
  compressThread?: boolean;
  /** Frame with stream and seq (the default of the CLI); false = the original shipper's framing. */
  sequenced: boolean;
  /** No datagram is larger than this: MIN_DATAGRAM_BYTES to MAX_DATAGRAM_BYTES (default). */
  maxDatagramBytes: number;
  /** Retries per datagram after a retryable error, 0 to MAX_RETRIES; 0 = none. */
  maxRetries: number;
  /** Sign every datagram with this key (sequenced mode only). */
  key?: Uint8Array;
  /** Backpressure bound on serialized-but-unsent bytes; default 8 MiB. */
  maxQueuedBytes?: number;
  /** close() waits at most this for in-flight sends and retries; default 10,000; 0 = no wait. */
  drainTimeoutMs?: number;
  /** Look the host name up again this often and reconnect on change; default 30,000; 0 = never. */
  resolveIntervalMs?: number;
  /** Monotonic clock and timers; default systemTime (performance.now and the global timers). */
  clock?: Time;
  random?: () => number;
  createSocket?: (family: 4 | 6) => DatagramSocket;
  lookup?: Lookup;
  /** A later lookup of the target failed; sends keep going to `kept` (once per failing spell). */
  onResolveFailed?: (error: unknown, kept: string) => void;
  /** Told of every batch, datagram and completed send (metrics); default none. */
  observer?: ShipperObserver;
}

export interface ResolvedOptions {
  readonly batch: BatchSettings;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly compress: boolean;
  readonly compressThread: boolean;
  readonly sequenced: boolean;
  readonly maxDatagramBytes: number;
  readonly maxRetries: number;
  readonly key: Uint8Array | undefined;
  readonly maxQueuedBytes: number;
  readonly drainTimeoutMs: number;
  readonly resolveIntervalMs: number;
  readonly clock: Time;
  readonly random: () => number;
  readonly createSocket: SocketFactory;
  readonly lookup: Lookup;
  readonly onResolveFailed: ((error: unknown, kept: string) => void) | undefined;
  readonly observer: ShipperObserver | undefined;
  /** Undefined when reliable delivery is off. */
  readonly reliable: ReliableConfig | undefined;
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidOptionError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(`${name} must be a number >= 0, got ${value}`);
  }
  return value;
}

export function resolveOptions(options: ShipperOptions): ResolvedOptions {
  const { targetHost, key } = options;
  if (typeof targetHost !== "string" || targetHost.length === 0) {
    throw new InvalidOptionError("targetHost must be a non-empty host name or address");
  }
  if (key !== undefined && !(key instanceof Uint8Array && key.length > 0)) {
    throw new InvalidOptionError("key must be a non-empty Uint8Array");
  }
  if (key !== undefined && !options.sequenced) {
    throw new InvalidOptionError("key needs sequenced: signed datagrams carry a sequence header");
  }
  const max = Number.MAX_SAFE_INTEGER;
  return Object.freeze({
    batch: validateBatchSettings(options),
    targetHost,
    targetPort: integerIn("targetPort", options.targetPort, 1, MAX_PORT),
    compress: Boolean(options.compress),
    compressThread: options.compressThread ?? true,
    sequenced: Boolean(options.sequenced),
    maxDatagramBytes: integerIn(
      "maxDatagramBytes",
      options.maxDatagramBytes ?? DEFAULT_MAX_DATAGRAM_BYTES,
      MIN_DATAGRAM_BYTES,
      MAX_DATAGRAM_BYTES,
    ),
    maxRetries: integerIn("maxRetries", options.maxRetries, 0, MAX_RETRIES),
    key,
    maxQueuedBytes: integerIn(
      "maxQueuedBytes",
      options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
      1,
      max,
    ),
    drainTimeoutMs: nonNegative(
      "drainTimeoutMs",
      options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    ),
    resolveIntervalMs: nonNegative(
      "resolveIntervalMs",
      options.resolveIntervalMs ?? DEFAULT_RESOLVE_INTERVAL_MS,
    ),
    clock: options.clock ?? systemTime,
    random: options.random ?? Math.random,
    createSocket: options.createSocket ?? defaultCreateSocket,
    lookup: options.lookup ?? defaultLookup,
    onResolveFailed: options.onResolveFailed,
    observer: options.observer,
    reliable: resolveReliable(options, Boolean(options.sequenced)),
  });
}
