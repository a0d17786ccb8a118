/**
 * Builds the remote sinks (HTTP, NATS JetStream) from their settings.
 */
export { createHttpSink } from "./http-sink.js";

import type { NatsSinkOptions } from "./sink-options.js";
import type { Sink } from "./types.js";

export function createNatsSink(options: NatsSinkOptions): Sink {
  throw new Error(`the NATS output is not available: ${options.servers.join(",")}`);
}
