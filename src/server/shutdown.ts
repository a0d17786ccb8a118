/**
 * The server's close sequence, in its order: read what the kernel had
 * queued for the socket, close the socket, count open gaps and partial
 * messages as lost. Each wait is bounded. The outputs drain after
 * (server.ts).
 */
import type { Clock, Timers } from "../foundation/time.js";
import type { Decoder } from "../wire/index.js";
import { DEFAULT_DRAIN_TIMEOUT_MS, DRAIN_MAX_DATAGRAMS, drainSocket } from "./drain.js";
import type { Receiver } from "./receiver.js";
import type { ServerOptions } from "./server-options.js";
import type { Counters } from "./stats.js";

/** The parts of a running server that closing it touches. */
export interface ClosingServer {
  readonly options: ServerOptions;
  readonly timers: Timers;
  readonly now: Clock;
  readonly counters: Counters;
  readonly decoder: Decoder;
  readonly receiver: Receiver;
}

/**
 * Reads what the kernel had queued for the socket (bounded by
 * drainTimeoutMs), calls beforeSocketCloses, closes the socket, and counts
 * open gaps and partial messages as lost.
 */
export async function shutDown(
  server: ClosingServer,
  queuedBytes: () => number | null,
  beforeSocketCloses: () => void,
): Promise<void> {
  const { options, timers, now, counters, decoder, receiver } = server;
  await drainSocket({
    queuedBytes,
    received: () => counters.datagrams,
    now,
    timers,
    timeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    maxDatagrams: DRAIN_MAX_DATAGRAMS,
  });
  beforeSocketCloses();
  await receiver.close();
  decoder.finish();
}
