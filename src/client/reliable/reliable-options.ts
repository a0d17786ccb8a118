/** The library options of reliable delivery, their defaults and their checks. */
import { InvalidOptionError } from "../../foundation/errors.js";
import { MIB } from "../../foundation/limits.js";

/** Default bound on the bytes of datagrams kept until acknowledged. */
export const DEFAULT_MAX_UNACKED_BYTES = 64 * MIB;
/** Default time one message is sent again before it is dropped as `unacknowledged`. */
export const DEFAULT_ACK_TIMEOUT_MS = 60_000;

export interface ReliableShipperOptions {
  /**
   * Ask for an acknowledgement of every message, keep it until one comes and
   * send it again when none comes in time (PROTOCOL.md section 6); needs
   * `sequenced`. Default false.
   */
  reliable?: boolean;
  /**
   * Reliable mode: above this many bytes of datagrams not yet acknowledged,
   * log() asks the caller to wait (backpressure); nothing is dropped for it.
   * Default 64 MiB.
   */
  maxUnackedBytes?: number;
  /**
   * Reliable mode: a message not acknowledged this long after its first
   * send is dropped as `unacknowledged`. Default 60,000.
   */
  ackTimeoutMs?: number;
}

export interface ReliableConfig {
  readonly maxUnackedBytes: number;
  readonly ackTimeoutMs: number;
}

/** The frozen reliable settings; undefined when `reliable` is off. Throws naming a bad option. */
export function resolveReliable(
  options: ReliableShipperOptions,
  sequenced: boolean,
): ReliableConfig | undefined {
  const { reliable, maxUnackedBytes, ackTimeoutMs } = options;
  if (reliable !== undefined && typeof reliable !== "boolean") {
    throw new InvalidOptionError(`reliable must be a boolean, got ${String(reliable)}`);
  }
  if (!reliable) return undefined;
  if (!sequenced) {
    throw new InvalidOptionError("reliable needs sequenced: acknowledgements name stream and seq");
  }
  const bytes = maxUnackedBytes ?? DEFAULT_MAX_UNACKED_BYTES;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new InvalidOptionError(`maxUnackedBytes must be an integer >= 1, got ${bytes}`);
  }
  const timeout = ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new InvalidOptionError(`ackTimeoutMs must be a number > 0, got ${timeout}`);
  }
  return Object.freeze({ maxUnackedBytes: bytes, ackTimeoutMs: timeout });
}
