/**
 * The library options of sharding (`targets`, `shardKey` and the failover
 * bounds), their defaults and checks: several targets make a ShardedShipper,
 * one target in `targets` is the same as `target`.
 */
import { InvalidOptionError } from "../../foundation/errors.js";
import { textOption } from "../option-values.js";
import { type ResolvedOptions, resolveOptions, type ShipperOptions } from "../shipper-options.js";
import type { ShardSettings } from "./sharded-shipper.js";
import { DEFAULT_ACK_SILENCE_MS, DEFAULT_PROBE_INTERVAL_MS } from "./target-health.js";
import { parseTargetList } from "./target-list.js";

/** The shard key's field when none is given. */
export const DEFAULT_SHARD_KEY = "service";

export interface ShardShipperOptions {
  /**
   * Several servers, each `host:port` or `[v6-address]:port`: entries are
   * sharded among them by `shardKey` (docs/client.md "Several servers").
   * Not with `target` or `targetHost`/`targetPort`. One element is the same as `target`.
   */
  targets?: readonly string[];
  /** The top-level field whose value picks an entry's target; default "service". */
  shardKey?: string;
  /**
   * Reliable mode with several targets: a target with messages waiting for an
   * acknowledgement that gets none for this long is taken out; default 5,000.
   */
  ackSilenceMs?: number;
  /** Several targets: a target taken out is probed this often; default 2,000. */
  probeIntervalMs?: number;
}

export type SplitTargets =
  | { readonly single: ShipperOptions }
  | { readonly config: ResolvedOptions; readonly settings: ShardSettings };

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isFinite(chosen) || chosen <= 0) {
    throw new InvalidOptionError(`${name} must be a number > 0, got ${chosen}`);
  }
  return chosen;
}

/** The options of one shipper (no or one target in `targets`), or of a sharded one. */
export function splitTargets(options: ShipperOptions): SplitTargets {
  if (typeof options !== "object" || options === null || options.targets === undefined) {
    return { single: options };
  }
  const { targets, shardKey, ackSilenceMs, probeIntervalMs, ...rest } = options;
  if (rest.target !== undefined || rest.targetHost !== undefined || rest.targetPort !== undefined) {
    throw new InvalidOptionError(
      "targets cannot be combined with target, targetHost or targetPort",
    );
  }
  const named = parseTargetList(targets);
  const first = named[0] as (typeof named)[number];
  if (named.length === 1) return { single: { ...rest, target: first.name } };
  const settings: ShardSettings = Object.freeze({
    targets: named,
    shardKey: textOption("shardKey", shardKey, DEFAULT_SHARD_KEY),
    ackSilenceMs: positive("ackSilenceMs", ackSilenceMs, DEFAULT_ACK_SILENCE_MS),
    probeIntervalMs: positive("probeIntervalMs", probeIntervalMs, DEFAULT_PROBE_INTERVAL_MS),
  });
  return { config: resolveOptions({ ...rest, target: first.name }), settings };
}
