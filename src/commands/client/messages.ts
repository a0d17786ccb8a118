/**
 * The human lines `shipper-client` prints on stderr besides the summary:
 * refusals, resolver failures, the SIGHUP note, the terminal-stdin note.
 */
import type { BatchSettings, RefusalNotice } from "../../client/shipper.js";

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Batch settings in the config file's terms, for the SIGHUP note. */
export function describeSettings(settings: BatchSettings): string {
  return [
    `batch_size=${settings.batchSize}`,
    `batch_interval=${settings.flushIntervalMs / 1000}`,
    `batch_bytes=${settings.batchBytes}`,
    `flush_level=${settings.flushLevel ?? "off"}`,
  ].join(" ");
}

/** The stderr line when the target starts refusing datagrams. */
export function refusalWarning(host: string, notice: RefusalNotice): string {
  const at = (address: string) => (address.includes(":") ? `[${address}]` : address);
  const target = `${at(host)}:${notice.port}${notice.address === host ? "" : ` (${notice.address})`}`;
  return notice.code === "ECONNREFUSED"
    ? `shipper-client: ${target} refuses datagrams (ECONNREFUSED): is shipper-server running there?`
    : `shipper-client: ${target} is unreachable (${notice.code}): datagrams sent there are lost`;
}

const RESOLVER_HINTS: Readonly<Record<string, string>> = {
  ENOTFOUND: "no such host",
  EAI_AGAIN: "the resolver did not answer; try again later",
  ENODATA: "no address for this name",
  ESERVFAIL: "the name server failed",
};

/** `ENOTFOUND (no such host)`: the resolver's error code and what it means, or its message. */
export function resolverError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== "string") return describe(error);
  const hint = RESOLVER_HINTS[code];
  return hint === undefined ? code : `${code} (${hint})`;
}

/** The line before exit 1 when the target host does not resolve at start. */
export function unresolvedTarget(host: string, error: unknown): string {
  return `shipper-client: cannot resolve ${host}: ${resolverError(error)}`;
}

/** The line when a later lookup of the target fails and the last address is kept. */
export function reResolveWarning(host: string, error: unknown, kept: string): string {
  return `shipper-client: cannot resolve ${host} again: ${resolverError(error)}; still sending to ${kept}`;
}

/** The line when stdin is a terminal: the client reads it, it does not generate. */
export const TERMINAL_STDIN_NOTE =
  "shipper-client: reading log lines from stdin (a terminal); Ctrl-D ends the input";
