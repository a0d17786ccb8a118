/**
 * Builds the remote sinks (HTTP, NATS JetStream) from their settings.
 */
import type { HttpSinkOptions, NatsSinkOptions } from "./sink-options.js";
import type { Sink } from "./types.js";

export function createHttpSink(options: HttpSinkOptions): Sink {
  throw new Error(`the HTTP output is not available: ${options.url}`);
}

export function createNatsSink(options: NatsSinkOptions): Sink {
  throw new Error(`the NATS output is not available: ${options.servers.join(",")}`);
}
