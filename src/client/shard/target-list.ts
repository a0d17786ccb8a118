/**
 * The library's `targets` option: several `host:port` (or `[v6]:port`)
 * texts, each read as `target` is, named canonically (host in lower case,
 * an IPv6 address in brackets) so that a target listed twice is refused and
 * the names hashed for sharding are the same in every process.
 */
import { InvalidOptionError } from "../../foundation/errors.js";
import { parseTarget, type TargetAddress } from "../target-address.js";

export interface NamedTarget extends TargetAddress {
  /** `host:port`, or `[address]:port` for an IPv6 address: the name in summaries and hashing. */
  readonly name: string;
}

/** The canonical name of a target. */
export function targetName(target: TargetAddress): string {
  const host = target.host.toLowerCase();
  return host.includes(":") ? `[${host}]:${target.port}` : `${host}:${target.port}`;
}

/** One target text read and named; an InvalidOptionError naming it otherwise. */
export function parseNamedTarget(text: unknown): NamedTarget {
  const address = parseTarget(text);
  return { ...address, name: targetName(address) };
}

/** The `targets` option read: at least one, none twice. */
export function parseTargetList(targets: unknown): readonly NamedTarget[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new InvalidOptionError('targets must be a non-empty array of "host:port" strings');
  }
  const named = targets.map(parseNamedTarget);
  const seen = new Set<string>();
  for (const target of named) {
    if (seen.has(target.name)) {
      throw new InvalidOptionError(`targets lists ${target.name} twice`);
    }
    seen.add(target.name);
  }
  return Object.freeze(named);
}
