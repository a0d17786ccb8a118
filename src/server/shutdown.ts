/**
 * The server's close sequence, in its order: read what the kernel had
 * queued for the socket, close the socket, count open gaps and partial
 * messages as lost. Each wait is bounded. The outputs drain after
 * (server.ts).
 */
import type { Clock, Timers } from "../foundation/time.js";
import { DEFAULT_DRAIN_TIMEOUT_MS, DRAIN_MAX_DATAGRAMS, drainSocket } from "./drain.js";
import type { Receiver } from "./receiver.js";
import type { ServerOptions } from "./server-options.js";
import type { Counters } from "./stats.js";
import type { DecodingStage } from "./workers/intake.js";

/** The parts of a running server that closing it touches. */
export interface ClosingServer {
  readonly options: ServerOptions;
  readonly timers: Timers;
  readonly now: Clock;
  readonly counters: Counters;
  readonly decoder: DecodingStage;
  /** Resolves once every datagram received so far is decoded and handed to the outputs. */
  readonly settle: () => Promise<void>;
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
  const { options, timers, now, counters, decoder, receiver, settle } = server;
  await drainSocket({
    queuedBytes,
    received: () => counters.datagrams,
    now,
    timers,
    timeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    maxDatagrams: DRAIN_MAX_DATAGRAMS,
  });
  // Acknowledgements due for what was read go out before the socket closes.
  await settle();
  beforeSocketCloses();
  await receiver.close();
  await settle();
  await decoder.finish();
}
