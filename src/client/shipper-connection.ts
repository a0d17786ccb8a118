/**
 * The connection a shipper's options ask for: its target, lookups and
 * socket factory, with every refusal counted in the summary, told to the
 * observer and, when it is news, to the refusal listeners.
 */
import { Connection } from "./connection.js";
import type { RefusalWatch } from "./refusals.js";
import type { ResolvedOptions } from "./shipper-options.js";
import type { SummaryCollector } from "./summary.js";

export function shipperConnection(
  config: ResolvedOptions,
  stats: SummaryCollector,
  refusals: RefusalWatch,
  onMessage: (datagram: Buffer) => void,
): Connection {
  return new Connection({
    host: config.targetHost,
    port: config.targetPort,
    resolveIntervalMs: config.resolveIntervalMs,
    clock: config.clock,
    createSocket: config.createSocket,
    lookup: config.lookup,
    onRefused: (code, address) => {
      stats.refuse(code);
      config.observer?.onRefused?.(code);
      refusals.report({ code, address, port: config.targetPort });
    },
    ...(config.onResolveFailed ? { onResolveFailed: config.onResolveFailed } : {}),
    onMessage,
  });
}
