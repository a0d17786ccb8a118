/**
 * The server's human lines for stderr (without the program-name prefix):
 * per-datagram lines, the receive-buffer warning, socket and output failures.
 * Bind failures, which both commands report (the metrics endpoint too), are in
 * ../shared/messages.ts.
 */
import type { RecvBufferReport } from "../../server/receiver.js";
import { formatEndpoint } from "../../server/receiver.js";
import type { DatagramEvent } from "../../server/server.js";

/** The warning when the kernel granted less receive buffer than asked; undefined when it did not. */
export function bufferWarningText(report: RecvBufferReport): string | undefined {
  if (report.error !== undefined)
    return `warning: could not set the receive buffer: ${report.error}`;
  if (report.askedBytes === undefined || report.grantedBytes >= report.askedBytes) return undefined;
  return (
    `warning: receive buffer ${report.grantedBytes} bytes granted, ${report.askedBytes} asked;` +
    ` raise net.core.rmem_max (sysctl -w net.core.rmem_max=${report.askedBytes}) to avoid drops in bursts`
  );
}

/** A socket or output failure; the server goes on. */
export function errorText(error: Error, source: "socket" | "output"): string {
  if (source === "output") {
    return `error: stdout failed (${error.message}); further entries are counted in output_dropped`;
  }
  return `error: socket: ${error.message}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `batch of 100 entries from 10.0.0.5:51234`, `rejected invalid-json from ...`. */
export function datagramText(event: DatagramEvent): string {
  const from = formatEndpoint(event.from);
  const size = `(${plural(event.bytes, "byte", "bytes")})`;
  const outcome = event.outcome;
  if (event.refused !== undefined) return `rejected ${event.refused} from ${from} ${size}`;
  if (outcome === undefined) return `rejected internal-error from ${from} ${size}`;
  if (outcome.rejected !== undefined) return `rejected ${outcome.rejected} from ${from} ${size}`;
  if (outcome.duplicate) return `duplicate from ${from} ${size}`;
  if (outcome.pending) return `fragment held from ${from} ${size}`;
  const invalid =
    outcome.invalidEntries > 0 ? `, rejected ${outcome.invalidEntries} invalid-entry` : "";
  return `batch of ${plural(outcome.entries.length, "entry", "entries")} from ${from}${invalid}`;
}
