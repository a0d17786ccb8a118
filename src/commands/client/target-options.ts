/**
 * The options that name several servers (`--target`, repeatable, and
 * `--shard-key`), their env fallbacks, how they combine with
 * `--target-host`/`--target-port`, and the line printed when a target goes
 * out or comes back.
 */

import type { TargetChange } from "../../client/shard/failover.js";
import { DEFAULT_SHARD_KEY } from "../../client/shard/sharded-options.js";
import { type NamedTarget, parseNamedTarget } from "../../client/shard/target-list.js";
import { nonEmpty, OptionValueError, type Parser, UsageError } from "../shared/options.js";

const target: Parser<NamedTarget> = (raw) => {
  try {
    return parseNamedTarget(raw);
  } catch {
    throw new OptionValueError("expects HOST:PORT, with an IPv6 address in brackets ([::1]:9999)");
  }
};

export function targetSpecs() {
  return [
    {
      flags: "--target <host:port>",
      description:
        "a server; repeat for several: entries are sharded among them by --shard-key (not with --target-host/--target-port)",
      env: "TARGETS",
      envSeparator: ",",
      repeatable: true,
      parse: target,
    },
    {
      flags: "--shard-key <field>",
      description: "with several --target: the entry field whose value picks the server",
      env: "SHARD_KEY",
      defaultValue: DEFAULT_SHARD_KEY,
      parse: nonEmpty,
    },
  ] as const;
}

export interface TargetRawOptions {
  target: readonly NamedTarget[] | undefined;
  shardKey: string;
  targetHost: string;
  targetPort: number;
}

/** Where an option's value came from: "cli", "env", "default" or undefined. */
export type ValueSource = (option: "target" | "targetHost" | "targetPort") => string | undefined;

export interface TargetConfig {
  readonly targetHost: string;
  readonly targetPort: number;
  /** Two or more: entries are sharded among them; empty: the one target above. */
  readonly targets: readonly NamedTarget[];
  readonly shardKey: string;
}

/**
 * `--target` or `--target-host`/`--target-port`: both forms given as flags
 * is a usage error; a flag of one form wins over the env of the other; with
 * both in env, TARGETS wins (deployments often set TARGET_HOST anyway). A
 * target listed twice is a usage error.
 */
export function toTargetConfig(raw: TargetRawOptions, source: ValueSource): TargetConfig {
  const list = raw.target ?? [];
  const from = source("target");
  const single = [source("targetHost"), source("targetPort")];
  if (list.length > 0 && from === "cli" && single.includes("cli")) {
    throw new UsageError(
      "option '--target' cannot be combined with --target-host or --target-port",
    );
  }
  const useList = list.length > 0 && (from === "cli" || !single.includes("cli"));
  const base = { targetHost: raw.targetHost, targetPort: raw.targetPort, shardKey: raw.shardKey };
  if (!useList) return Object.freeze({ ...base, targets: Object.freeze([]) });
  const seen = new Set<string>();
  for (const { name } of list) {
    if (seen.has(name)) throw new UsageError(`option '--target' lists ${name} twice`);
    seen.add(name);
  }
  const first = list[0] as NamedTarget;
  return Object.freeze({
    ...base,
    targetHost: first.host,
    targetPort: first.port,
    targets: Object.freeze(list.length > 1 ? [...list] : []),
  });
}

/** The stderr line when a target goes out or comes back. */
export function targetChangeLine(change: TargetChange): string {
  return change.state === "out"
    ? `shipper-client: ${change.target} taken out (${change.reason}): its keys go to the other targets`
    : `shipper-client: ${change.target} is back (a probe succeeded): its keys return to it`;
}
