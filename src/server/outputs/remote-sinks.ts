/**
 * Builds the remote sinks (HTTP, NATS JetStream) from their settings.
 */
export { createHttpSink } from "./http-sink.js";
export { createNatsSink, DEFAULT_NATS_MODE } from "./nats-sink.js";
