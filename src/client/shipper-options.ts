/**
 * Options of createShipper, their defaults, and the checks that turn them
 * into one frozen configuration (an InvalidOptionError, a TypeError naming
 * the option, otherwise). Only the target is required; every other option
 * defaults to the default of `shipper-client` (src/foundation/limits.ts).
 */
import { hostname } from "node:os";
import { InvalidOptionError } from "../foundation/errors.js";
import {
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CLIENT_COMPRESSION_LEVEL,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_DATAGRAM_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_SERVICE,
  DEFAULT_TARGET_PORT,
  MAX_DATAGRAM_BYTES,
  MAX_PORT,
  MAX_RETRIES,
  MIB,
  MIN_DATAGRAM_BYTES,
} from "../foundation/limits.js";
import { systemTime, systemWallClock, type Time, type WallClock } from "../foundation/time.js";
import { type BatchSettings, validateBatchSettings } from "./batcher.js";
import {
  type DatagramSocket,
  defaultCreateSocket,
  defaultLookup,
  type Lookup,
  type SocketFactory,
} from "./connection.js";
import type { ShipperObserver } from "./observer.js";
import { booleanOption, functionOption, objectOption, textOption } from "./option-values.js";
import {
  type ReliableConfig,
  type ReliableShipperOptions,
  resolveReliable,
} from "./reliable/reliable-options.js";
import type { ShardShipperOptions } from "./shard/sharded-options.js";
import { parseTarget, type TargetAddress } from "./target-address.js";

/** Default bound on serialized-but-unsent bytes. */
const DEFAULT_MAX_QUEUED_BYTES = 8 * MIB;
/** Default longest wait of close() for sends and retries. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/** Default interval between two lookups of the target host name. */
const DEFAULT_RESOLVE_INTERVAL_MS = 30_000;

/**
 * Options of createShipper. Only the target is required: `target`, or
 * `targetHost` (with `targetPort`); every other option has the default of
 * `shipper-client`'s option of the same meaning.
 */
export interface ShipperOptions
  extends Partial<BatchSettings>,
    ReliableShipperOptions,
    ShardShipperOptions {
  /** Where to send: `host:port`, `[v6-address]:port`, or a host alone (port 9999). */
  target?: string;
  /** The target's host name or address, instead of `target`. */
  targetHost?: string;
  /** The target's UDP port, with `targetHost`; default 9999. */
  targetPort?: number;
  /** zlib-compress payloads (a payload whose compressed form is not smaller goes uncompressed); default true. */
  compress?: boolean;
  /** Compress batches of 8 KiB or more on a worker thread (default true; docs/performance.md). */
  compressThread?: boolean;
  /** zlib level, 0 (stored) to 9 (smallest); default 3; every level, one wire format. */
  compressionLevel?: number;
  /** Frame with stream and seq (default true); false = the original shipper's framing. */
  sequenced?: boolean;
  /** No datagram is larger than this: MIN_DATAGRAM_BYTES to MAX_DATAGRAM_BYTES (default). */
  maxDatagramBytes?: number;
  /** Retries per datagram after a retryable error, 0 to MAX_RETRIES; default 3; 0 = none. */
  maxRetries?: number;
  /** Sign every datagram with this key (sequenced mode only). */
  key?: Uint8Array;
  /** Backpressure bound on serialized-but-unsent bytes; default 8 MiB. */
  maxQueuedBytes?: number;
  /** close() waits at most this for in-flight sends and retries; default 10,000; 0 = no wait. */
  drainTimeoutMs?: number;
  /** Best effort: close() stops waiting once the target refuses (ICMP unreachable); the rest drop as "target-refused". Default false. */
  dropRefusedAtClose?: boolean;
  /** Look the host name up again this often and reconnect on change; default 30,000; 0 = never. */
  resolveIntervalMs?: number;
  /** `service` that log() gives an entry without one; default "batch-log-shipper". */
  service?: string;
  /** `host` that log() gives an entry without one; default the machine's host name. */
  host?: string;
  /** Wall clock of the `timestamp` that log() gives an entry without one; default Date.now. */
  wallClock?: WallClock;
  /** Monotonic clock and timers; default systemTime (process.hrtime and the global timers). */
  clock?: Time;
  random?: () => number;
  createSocket?: (family: 4 | 6) => DatagramSocket;
  lookup?: Lookup;
  /**
   * A later lookup of the target failed; sends keep going to `kept` (once per
   * failing spell). `host`: the target's host, with several `targets`.
   */
  onResolveFailed?: (error: unknown, kept: string, host?: string) => void;
  /** Told of every batch, datagram and completed send (metrics); default none. */
  observer?: ShipperObserver;
}

export interface ResolvedOptions {
  readonly batch: BatchSettings;
  readonly targetHost: string;
  readonly targetPort: number;
  readonly compress: boolean;
  readonly compressThread: boolean;
  readonly compressionLevel: number;
  readonly sequenced: boolean;
  readonly maxDatagramBytes: number;
  readonly maxRetries: number;
  readonly key: Uint8Array | undefined;
  readonly maxQueuedBytes: number;
  readonly drainTimeoutMs: number;
  readonly dropRefusedAtClose: boolean;
  readonly resolveIntervalMs: number;
  readonly clock: Time;
  readonly random: () => number;
  readonly createSocket: SocketFactory;
  readonly lookup: Lookup;
  readonly onResolveFailed: ((error: unknown, kept: string, host?: string) => void) | undefined;
  readonly observer: ShipperObserver | undefined;
  /** Undefined when reliable delivery is off. */
  readonly reliable: ReliableConfig | undefined;
  readonly service: string;
  readonly host: string;
  readonly wallClock: WallClock;
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

/** `target`, or `targetHost` and `targetPort`: one of the two forms. */
function resolveTarget(options: ShipperOptions): TargetAddress {
  const { target, targetHost, targetPort } = options;
  if (target !== undefined) {
    if (targetHost !== undefined || targetPort !== undefined) {
      throw new InvalidOptionError("target cannot be combined with targetHost or targetPort");
    }
    return parseTarget(target);
  }
  if (typeof targetHost !== "string" || targetHost.length === 0) {
    throw new InvalidOptionError(
      'target must be given ("host:port"), or targetHost as a non-empty host name or address',
    );
  }
  const port = integerIn("targetPort", targetPort ?? DEFAULT_TARGET_PORT, 1, MAX_PORT);
  return { host: targetHost, port };
}

function resolveBatch(options: ShipperOptions): BatchSettings {
  return validateBatchSettings({
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    batchBytes: options.batchBytes ?? DEFAULT_BATCH_BYTES,
    flushLevel: options.flushLevel,
  });
}

function resolveKey(key: unknown, sequenced: boolean): Uint8Array | undefined {
  if (key !== undefined && !(key instanceof Uint8Array && key.length > 0)) {
    throw new InvalidOptionError("key must be a non-empty Uint8Array");
  }
  if (key !== undefined && !sequenced) {
    throw new InvalidOptionError("key needs sequenced: signed datagrams carry a sequence header");
  }
  return key;
}

/** The functions and objects injected, checked; their defaults the system's. */
function resolveInjected(options: ShipperOptions) {
  return {
    clock: objectOption("clock", options.clock) ?? systemTime,
    random: functionOption("random", options.random, Math.random),
    createSocket: functionOption("createSocket", options.createSocket, defaultCreateSocket),
    lookup: functionOption("lookup", options.lookup, defaultLookup),
    onResolveFailed: functionOption("onResolveFailed", options.onResolveFailed, undefined),
    observer: objectOption("observer", options.observer),
    wallClock: functionOption("wallClock", options.wallClock, systemWallClock),
  };
}

export function resolveOptions(options: ShipperOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new InvalidOptionError('options must be an object, such as { target: "host:port" }');
  }
  const target = resolveTarget(options);
  const sequenced = booleanOption("sequenced", options.sequenced, true);
  const max = Number.MAX_SAFE_INTEGER;
  return Object.freeze({
    batch: resolveBatch(options),
    targetHost: target.host,
    targetPort: target.port,
    compress: booleanOption("compress", options.compress, true),
    compressThread: booleanOption("compressThread", options.compressThread, true),
    compressionLevel: integerIn(
      "compressionLevel",
      options.compressionLevel ?? DEFAULT_CLIENT_COMPRESSION_LEVEL,
      0,
      9,
    ),
    sequenced,
    maxDatagramBytes: integerIn(
      "maxDatagramBytes",
      options.maxDatagramBytes ?? DEFAULT_MAX_DATAGRAM_BYTES,
      MIN_DATAGRAM_BYTES,
      MAX_DATAGRAM_BYTES,
    ),
    maxRetries: integerIn("maxRetries", options.maxRetries ?? DEFAULT_MAX_RETRIES, 0, MAX_RETRIES),
    key: resolveKey(options.key, sequenced),
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
    dropRefusedAtClose: booleanOption("dropRefusedAtClose", options.dropRefusedAtClose, false),
    resolveIntervalMs: nonNegative(
      "resolveIntervalMs",
      options.resolveIntervalMs ?? DEFAULT_RESOLVE_INTERVAL_MS,
    ),
    service: textOption("service", options.service, DEFAULT_SERVICE),
    host: textOption("host", options.host, hostname()),
    ...resolveInjected(options),
    reliable: resolveReliable(options, sequenced),
  });
}
