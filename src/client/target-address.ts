/**
 * The library's `target` option: `host:port`, `[v6-address]:port`, or a
 * host alone (the default port). A bare IPv6 address (two colons or more,
 * no brackets) is a host alone; any other text of two colons or more, and
 * brackets around anything but an IPv6 address, are refused.
 */
import { isIPv6 } from "node:net";
import { InvalidOptionError } from "../foundation/errors.js";
import { DEFAULT_TARGET_PORT, MAX_PORT } from "../foundation/limits.js";

export interface TargetAddress {
  readonly host: string;
  readonly port: number;
}

function port(text: string, target: string): number {
  const value = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= MAX_PORT)) {
    throw new InvalidOptionError(
      `target must be host:port with a port from 1 to ${MAX_PORT}, got ${JSON.stringify(target)}`,
    );
  }
  return value;
}

/** `target` read into host and port; an InvalidOptionError naming `target` otherwise. */
export function parseTarget(target: unknown): TargetAddress {
  if (typeof target !== "string" || target.trim().length === 0) {
    throw new InvalidOptionError(`target must be a "host:port" string, got ${String(target)}`);
  }
  const text = target.trim();
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    const rest = close < 0 ? "" : text.slice(close + 1);
    if (close < 2 || (rest !== "" && !rest.startsWith(":"))) {
      throw new InvalidOptionError(`target must be [address]:port, got ${JSON.stringify(target)}`);
    }
    const host = text.slice(1, close);
    if (!isIPv6(host)) {
      throw new InvalidOptionError(
        `target must be [IPv6 address]:port in brackets, got ${JSON.stringify(target)}`,
      );
    }
    return { host, port: rest === "" ? DEFAULT_TARGET_PORT : port(rest.slice(1), target) };
  }
  const colon = text.lastIndexOf(":");
  if (colon < 0) return { host: text, port: DEFAULT_TARGET_PORT };
  if (text.indexOf(":") !== colon) {
    if (isIPv6(text)) return { host: text, port: DEFAULT_TARGET_PORT };
    throw new InvalidOptionError(
      `target must be host:port, [IPv6 address]:port or an IPv6 address, got ${JSON.stringify(target)}`,
    );
  }
  if (colon === 0) throw new InvalidOptionError(`target names no host: ${JSON.stringify(target)}`);
  return { host: text.slice(0, colon), port: port(text.slice(colon + 1), target) };
}
