/**
 * Human lines for stderr that both commands print (without the program-name
 * prefix): why a socket could not be bound.
 */
import type { Endpoint } from "../../server/receiver.js";
import { formatEndpoint } from "../../server/receiver.js";

const BIND_HINTS: Readonly<Record<string, string>> = {
  EADDRINUSE: "address already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "address not available on this host",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host lookup failed",
  EINVAL: "invalid address",
};

/** Why a bind failed: `address already in use (EADDRINUSE)`, or the error's message. */
export function bindFailureText(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  const hint = typeof code === "string" ? BIND_HINTS[code] : undefined;
  if (hint !== undefined) return `${hint} (${String(code)})`;
  return error instanceof Error ? error.message : String(error);
}

/** `cannot listen on udp://HOST:PORT: address already in use (EADDRINUSE)`. */
export function bindErrorText(wanted: Endpoint, error: unknown): string {
  return `cannot listen on udp://${formatEndpoint(wanted)}: ${bindFailureText(error)}`;
}
