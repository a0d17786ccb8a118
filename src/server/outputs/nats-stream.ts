/**
 * The stream of the NATS output: created on the first connection when it
 * is missing (unless the options say not to), with the subjects the
 * template gives, the replicas asked for and a duplicate window of
 * DUPLICATE_WINDOW_MS. A stream that exists is left as it is.
 */
import { type JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { SubjectTemplate } from "./nats-subject.js";
import type { NatsSinkOptions } from "./sink-options.js";

/**
 * How long JetStream remembers a message id: a batch sent again within it
 * (a lost acknowledgement, a spool replayed after a crash or an outage) is
 * stored once. JetStream's own default is 2 minutes; the server keeps each
 * id of the window in memory, hence not longer.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;
/** JetStream's error code for a stream name in use (another server made it first). */
const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;

export async function ensureStream(
  nc: NatsConnection,
  options: NatsSinkOptions,
  subjects: SubjectTemplate,
): Promise<void> {
  if (!options.createStream) return;
  const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs });
  try {
    await jsm.streams.info(options.stream);
    return;
  } catch (error) {
    if ((error as JetStreamApiError).code !== STREAM_NOT_FOUND) throw error;
  }
  try {
    await jsm.streams.add({
      name: options.stream,
      subjects: [subjects.streamSubject],
      num_replicas: options.replicas,
      duplicate_window: DUPLICATE_WINDOW_MS * 1_000_000,
    });
  } catch (error) {
    if ((error as JetStreamApiError).code !== STREAM_NAME_IN_USE) throw error;
  }
}
