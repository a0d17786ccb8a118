/**
 * Reads a JetStream stream with an ordered consumer (no state kept on the
 * server, nothing acknowledged): every stored message from the first, in
 * order, then, when following, each new one. Without follow it ends at the
 * end of what was stored when it started.
 */
import { type JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

const STREAM_NOT_FOUND = 10059;

export interface ReadOptions {
  readonly stream: string;
  readonly subject: string | undefined;
  readonly follow: boolean;
  readonly timeoutMs: number;
  /** Ends the read (SIGINT/SIGTERM while following). */
  readonly signal: AbortSignal;
}

export interface ReadMessage {
  readonly seq: number;
  readonly subject: string;
  readonly id: string | undefined;
  readonly data: string;
}

/** How many messages the stream holds now, of the subject when one is given, and its last seq. */
async function storedNow(
  nc: NatsConnection,
  options: ReadOptions,
): Promise<{ count: number; lastSeq: number }> {
  const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs });
  try {
    const filter = options.subject === undefined ? undefined : { subjects_filter: options.subject };
    const { state } = await jsm.streams.info(options.stream, filter);
    const count =
      options.subject === undefined
        ? state.messages
        : Object.values(state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
    return { count, lastSeq: state.last_seq };
  } catch (error) {
    if ((error as JetStreamApiError).code === STREAM_NOT_FOUND) {
      throw new Error(`stream ${options.stream} not found`);
    }
    throw error;
  }
}

export async function* readStream(
  nc: NatsConnection,
  options: ReadOptions,
): AsyncGenerator<ReadMessage> {
  const { count, lastSeq } = await storedNow(nc, options);
  if ((count === 0 && !options.follow) || options.signal.aborted) return;
  const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs });
  const consumer = await jsm
    .jetstream()
    .consumers.get(
      options.stream,
      options.subject === undefined ? {} : { filter_subjects: options.subject },
    );
  const messages = await consumer.consume();
  const stop = () => void messages.close();
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    for await (const m of messages) {
      yield { seq: m.seq, subject: m.subject, id: m.headers?.get("Nats-Msg-Id"), data: m.string() };
      if (!options.follow && (m.seq >= lastSeq || m.info.pending === 0)) break;
    }
  } finally {
    options.signal.removeEventListener("abort", stop);
    await messages.close();
  }
}
