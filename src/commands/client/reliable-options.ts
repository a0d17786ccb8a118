/**
 * The options of reliable delivery on the command line (`--reliable`,
 * `--max-unacked-bytes`, `--ack-timeout`), their env fallbacks, and their
 * translation into the library's options.
 */
import {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_MAX_UNACKED_BYTES,
  type ReliableShipperOptions,
} from "../../client/reliable/reliable-options.js";
import type { ShipperSummary } from "../../client/summary.js";
import { GIB, KIB } from "../../foundation/limits.js";
import { byteSize, byteText, decimal, UsageError } from "../shared/options.js";

/** Longest --ack-timeout: one day. */
const MAX_ACK_TIMEOUT_SECONDS = 86_400;

export function reliableSpecs() {
  return [
    {
      flags: "--reliable",
      description:
        "ask the server to acknowledge every message and send it again until it does; sent then means acknowledged",
      env: "RELIABLE",
      defaultValue: false,
    },
    {
      flags: "--max-unacked-bytes <bytes>",
      description:
        "with --reliable: above this many bytes not yet acknowledged, stop reading input",
      env: "MAX_UNACKED_BYTES",
      defaultValue: DEFAULT_MAX_UNACKED_BYTES,
      defaultDescription: byteText(DEFAULT_MAX_UNACKED_BYTES),
      parse: byteSize(64 * KIB, 16 * GIB),
    },
    {
      flags: "--ack-timeout <seconds>",
      description:
        "with --reliable: seconds one message is sent again before its entries are dropped as unacknowledged",
      env: "ACK_TIMEOUT",
      defaultValue: DEFAULT_ACK_TIMEOUT_MS / 1000,
      parse: decimal(0.001, MAX_ACK_TIMEOUT_SECONDS),
    },
  ] as const;
}

/** The values commander holds for these options. */
export interface ReliableRawOptions {
  reliable: boolean;
  maxUnackedBytes: number;
  ackTimeout: number;
  sequence: boolean;
}

/** The library options these flags ask for; --reliable with --no-sequence is a usage error. */
export function reliableConfig(raw: ReliableRawOptions): Readonly<ReliableShipperOptions> {
  if (!raw.reliable) return Object.freeze({});
  if (!raw.sequence) {
    throw new UsageError(
      "option '--reliable' cannot be used with --no-sequence: acknowledgements name stream and seq",
    );
  }
  return Object.freeze({
    reliable: true,
    maxUnackedBytes: raw.maxUnackedBytes,
    ackTimeoutMs: Math.max(1, Math.round(raw.ackTimeout * 1000)),
  });
}

/**
 * True when the run lost entries: any drop, or, best effort, a datagram the
 * target refused. With --reliable a refused datagram is sent again and
 * counts once acknowledged, so only drops are losses.
 */
export function lostEntries(summary: ShipperSummary): boolean {
  return summary.dropped > 0 || (summary.refused > 0 && summary.acked === undefined);
}
