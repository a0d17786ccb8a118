/**
 * The target as the run sees it: the shipper options a config makes, and
 * the lookup of the target's name once at start, cut short by a stop
 * signal.
 */
import { isIP } from "node:net";
import type { Lookup } from "../../client/connection.js";
import type { BatchSettings, ShipperOptions } from "../../client/shipper.js";
import type { ClientConfig } from "./config.js";

export function shipperOptions(config: ClientConfig, settings: BatchSettings): ShipperOptions {
  return {
    ...settings,
    ...(config.targets.length > 1
      ? { targets: config.targets.map((target) => target.name), shardKey: config.shardKey }
      : { targetHost: config.targetHost, targetPort: config.targetPort }),
    compress: config.compress,
    compressThread: config.compressThread,
    compressionLevel: config.compressionLevel,
    sequenced: config.sequenced,
    maxDatagramBytes: config.maxDatagramBytes,
    maxRetries: config.maxRetries,
    ...(config.key === undefined ? {} : { key: config.key }),
    ...config.reliable,
  };
}

/** Resolves when `promise` settles or `signal` aborts, whichever comes first. */
export function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      signal.removeEventListener("abort", done);
      resolve();
    };
    signal.addEventListener("abort", done);
    promise.then(done, (error: unknown) => {
      signal.removeEventListener("abort", done);
      reject(error);
    });
  });
}

/**
 * Looks `host` up once (an IP address needs no lookup): resolves with the
 * resolver's error, or undefined when it resolved or `signal` aborted first.
 */
export async function lookupFailure(
  host: string,
  lookup: Lookup,
  signal: AbortSignal,
): Promise<{ readonly error: unknown } | undefined> {
  if (isIP(host) !== 0) return undefined;
  let failure: { error: unknown } | undefined;
  const looked = lookup(host).then(
    () => undefined,
    (error: unknown) => {
      failure = { error };
    },
  );
  await untilAborted(looked, signal);
  return failure;
}
