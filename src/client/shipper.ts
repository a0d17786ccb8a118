/**
 * The client core as programs use it: the Shipper interface and
 * createShipper(), which validates the options and hands them to the
 * BatchShipper (src/client/batch-shipper.ts).
 */
import { entryFiller } from "../entries/fill.js";
import { BatchShipper } from "./batch-shipper.js";
import type { BatchSettings } from "./batcher.js";
import type { Level } from "./levels.js";
import type { RefusalNotice } from "./refusals.js";
import type { TargetChange } from "./shard/failover.js";
import { splitTargets } from "./shard/sharded-options.js";
import { ShardedShipper } from "./shard/sharded-shipper.js";
import { resolveOptions, type ShipperOptions } from "./shipper-options.js";
import type { ShipperSummary } from "./summary.js";

export type { BatchSettings } from "./batcher.js";
export { EntryDroppedError } from "./receipts.js";
export type { RefusalNotice } from "./refusals.js";
export type { TargetChange } from "./shard/failover.js";
export type { ShipperOptions } from "./shipper-options.js";
export { MAX_OFF_THREAD_BATCHES, OFF_THREAD_MIN_BYTES } from "./split-thread.js";

export interface Shipper {
  /**
   * Takes the entry (whatever the bounds: check isFull() or await ready() to
   * pace); an entry without `timestamp`, `service` or `host` gets them: the
   * time of the call, and the options `service` and `host`. The promise
   * resolves once it is acknowledged (reliable) or its datagram was handed to
   * the socket (best effort), and rejects with an EntryDroppedError (a
   * ShipperError, code ERROR_CODES.ENTRY_DROPPED, with the drop `reason`)
   * when it is dropped. Ignoring the promise is safe: it never becomes an
   * unhandled rejection.
   */
  log(entry: Record<string, unknown>): Promise<void>;
  /**
   * log() for an entry already serialized: `json` is the JSON text of one
   * object, taken as it is (text that is not JSON gets its whole datagram
   * rejected by the receiver); `level` is the entry's level, for flushLevel;
   * `bytes`, its UTF-8 length when the caller knows it, saves measuring it.
   */
  logJson(json: string, level: Level | undefined, bytes?: number): boolean;
  /**
   * Accepts the entry as it is (no field filled) unless the queue is full;
   * then drops and counts it ("queue-full"), false.
   */
  tryLog(entry: Record<string, unknown>): boolean;
  /**
   * Resolves once below every bound: queued bytes under maxQueuedBytes and,
   * reliable, the window open and unacknowledged bytes under maxUnackedBytes;
   * and once the compression thread runs, while it starts (at once after close()).
   */
  ready(): Promise<void>;
  /** True while above a bound that ready() waits for. */
  isFull?(): boolean;
  /**
   * Sends the current batch now ("manual"); resolves when every earlier entry
   * has settled: acknowledged or dropped (reliable), sent or dropped otherwise.
   */
  flush(): Promise<void>;
  /** New batch settings, applied at once; buffered entries are neither lost nor sent twice. */
  reconfigure(settings: Partial<BatchSettings>): void;
  /** Stops intake, flushes ("shutdown"), waits at most drainTimeoutMs, closes the socket. Idempotent. */
  close(): Promise<ShipperSummary>;
  /** The counters so far. */
  summary(): ShipperSummary;
  /**
   * Starts the compression thread now (when there is one) instead of at the
   * first large batch; resolves once it runs or could not start. Optional:
   * entries logged before are not lost, their batches are split on this thread.
   */
  start?(): Promise<void>;
  /**
   * Entries, counted from the first logged, that have all settled
   * (acknowledged or sent, or dropped): the number of the oldest one not
   * settled yet. Never counts an entry before every earlier one settled.
   */
  settledEntries?(): number;
  /** Serialized bytes not yet on the wire: the batch being gathered plus datagrams waiting. */
  queuedBytes?(): number;
  /**
   * Calls `listener` when the target starts refusing datagrams: at the first
   * refusal, and again only after datagrams kept going out unrefused for
   * 10 s. Returns the function that stops it.
   */
  onRefusing?(listener: (notice: RefusalNotice) => void): () => void;
  /** Several targets: calls `listener` when one goes out or comes back. */
  onTargetChange?(listener: (change: TargetChange) => void): () => void;
}

/**
 * Builds a shipper: `createShipper({ target: "logs.internal:9999" })`, every
 * other option defaulted as `shipper-client` does. Throws an
 * InvalidOptionError (a TypeError and a ShipperError with code
 * ERROR_CODES.INVALID_OPTION) naming the first invalid option.
 */
export function createShipper(options: ShipperOptions): Shipper {
  const split = splitTargets(options);
  if (!("single" in split)) return new ShardedShipper(split.config, split.settings);
  const config = resolveOptions(split.single);
  const core = new BatchShipper(config);
  const fill = entryFiller({ service: config.service, host: config.host, now: config.wallClock });
  return {
    log: (entry) => core.log(fill(entry)),
    logJson: (json, level, bytes) => core.logJson(json, level, bytes),
    tryLog: (entry) => core.tryLog(entry),
    isFull: () => core.isFull(),
    ready: () => core.ready(),
    flush: () => core.flush(),
    reconfigure: (settings) => core.reconfigure(settings),
    close: () => core.close(),
    summary: () => core.stats.snapshot(),
    start: () => core.start(),
    queuedBytes: () => core.queuedBytes,
    settledEntries: () => core.settledEntries,
    onRefusing: (listener) => core.onRefusing(listener),
  };
}
