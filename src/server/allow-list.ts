/**
 * The sender allow-list: IPv4 and IPv6 networks in CIDR notation, matched
 * against the source address of each datagram before it is decoded. An
 * IPv4-mapped IPv6 source (`::ffff:10.1.2.3`, as a dual-stack socket reports
 * IPv4 senders) matches the IPv4 rules, and an IPv4 source matches a
 * `::ffff:a.b.c.d/n` rule.
 */

import { BlockList, isIPv4, isIPv6 } from "node:net";
import { InvalidOptionError } from "../foundation/errors.js";

/** One network of the list, as parsed from `10.0.0.0/8`, `::1` or `fd00::/8`. */
export interface Network {
  readonly address: string;
  readonly prefix: number;
  readonly family: "ipv4" | "ipv6";
}

/**
 * Reads one entry: an address with an optional `/prefix` (0-32 for IPv4,
 * 0-128 for IPv6); a plain address is a /32 or /128. Bits past the prefix
 * are ignored (`10.1.2.3/8` is `10.0.0.0/8`). Throws a TypeError that says
 * what is accepted.
 */
export function parseNetwork(text: string): Network {
  const entry = text.trim();
  const slash = entry.indexOf("/");
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : undefined;
  if (family === undefined || address.includes("%")) {
    throw new InvalidOptionError(
      `"${entry}" is not an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8)`,
    );
  }
  const max = family === "ipv4" ? 32 : 128;
  if (slash < 0) return { address, prefix: max, family };
  const prefixText = entry.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
    throw new InvalidOptionError(`"${entry}" has a bad prefix length: expected /0 to /${max}`);
  }
  return { address, prefix, family };
}

/**
 * The address a source is known by: an IPv4-mapped IPv6 address becomes its
 * IPv4 form, so one sender has one name whichever socket family received it,
 * and an IPv6 zone (`%eth0`) is dropped.
 */
export function canonicalAddress(address: string): string {
  const zone = address.indexOf("%");
  const bare = zone < 0 ? address : address.slice(0, zone);
  if (bare.length > 7 && bare.slice(0, 7).toLowerCase() === "::ffff:") {
    const tail = bare.slice(7);
    if (isIPv4(tail)) return tail;
  }
  return bare;
}

/** A set of networks; `allows(address)` says whether a source is in one of them. */
export class AllowList {
  readonly #list = new BlockList();
  readonly networks: readonly Network[];

  /** Throws a TypeError naming the first entry that is not a network. */
  constructor(entries: readonly string[]) {
    this.networks = Object.freeze(entries.map(parseNetwork));
    for (const network of this.networks) {
      this.#list.addSubnet(network.address, network.prefix, network.family);
    }
  }

  /** True when `address` (a source address as the socket reports it) is in the list. */
  allows(address: string): boolean {
    const bare = canonicalAddress(address);
    if (isIPv4(bare)) return this.#list.check(bare, "ipv4");
    if (isIPv6(bare)) return this.#list.check(bare, "ipv6");
    return false;
  }
}
