/** The client core, usable from code: createShipper(options) and its parts. */
export {
  type Batch,
  Batcher,
  type BatchSettings,
  type FlushTrigger,
  validateBatchSettings,
} from "./batcher.js";
export {
  Connection,
  type DatagramSocket,
  defaultCreateSocket,
  defaultLookup,
  type Lookup,
  type ResolvedAddress,
} from "./connection.js";
export { LEVELS, type Level, levelRank, parseLevel } from "./levels.js";
export type { ShipperObserver } from "./observer.js";
export { EntryDroppedError } from "./receipts.js";
export { delayMs, isRetryable, RetryTimers } from "./retry.js";
export { type MessageOutcome, Sender, type SendFailure, type SendStats } from "./sender.js";
export { createShipper, type Shipper } from "./shipper.js";
export { DEFAULT_DRAIN_TIMEOUT_MS, type ShipperOptions } from "./shipper-options.js";
export { DROP_REASONS, type DropReason, type Percentiles, type ShipperSummary } from "./summary.js";
