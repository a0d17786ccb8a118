/**
 * How received datagrams become entries: decoded on the main thread
 * (`workers` 1), or handed to decoding workers. With workers the main
 * thread still counts every datagram, applies the allow list and the rate
 * limit before anything is handed over, and, once a worker answers, counts
 * the outcome, tells the acker and feeds the outputs: the outputs, their
 * spools and every file keep one writer, and acknowledgements keep their
 * rule (sent once every output accepted the message).
 */
import type { Clock } from "../../foundation/time.js";
import type { DecoderStats } from "../../wire/receive/decoder-options.js";
import type { DecodeOutcome } from "../../wire/types.js";
import type { Acker } from "../acks/acker.js";
import { createDatagramHandler, type DatagramPipeline } from "../datagram-handler.js";
import type { Endpoint } from "../receiver.js";
import type { ServerOptions } from "../server-options.js";
import { decoderSettings, type ErrorSink, makeDecoder } from "../server-parts.js";
import type { SourcePolicy } from "../sources.js";
import { type Counters, INTERNAL_ERROR } from "../stats.js";
import type { HandedDatagram } from "./datagram-batch.js";
import { Router } from "./route.js";
import { WorkerPool } from "./worker-pool.js";

/** What the server asks of its decoding, wherever it runs. */
export interface DecodingStage {
  readonly stats: DecoderStats;
  setKeys(keys: readonly Uint8Array[]): void;
  /** Gap and fragment timeouts. */
  sweep(): void;
  /** Shutdown: open gaps and partial messages are lost; workers end. */
  finish(): void | Promise<void>;
}

export interface Intake {
  /** The socket's message handler. */
  readonly onMessage: (datagram: Buffer, from: Endpoint) => void;
  readonly decoding: DecodingStage;
  /** Resolves once every datagram received so far is decoded and handed to the outputs. */
  settle(): Promise<void>;
  /** Resolves once decoding can start without delay (the workers are up). */
  ready(): Promise<void>;
}

export interface IntakeParts {
  readonly options: ServerOptions;
  readonly now: Clock;
  readonly onError: ErrorSink;
  readonly counters: Counters;
  readonly sources: SourcePolicy;
  readonly outputs: DatagramPipeline["outputs"];
  readonly acker: Acker;
}

export function createIntake(parts: IntakeParts): Intake {
  const workers = parts.options.workers ?? 1;
  return workers > 1 ? workerIntake(parts, workers) : inProcessIntake(parts);
}

function inProcessIntake(parts: IntakeParts): Intake {
  const { options, now, onError, acker } = parts;
  const decoder = makeDecoder(options, now, onError, (stream, seq) => acker.redeliver(stream, seq));
  const onMessage = createDatagramHandler({ ...parts, decoder, onDatagram: options.onDatagram });
  const done = () => Promise.resolve();
  return { onMessage, decoding: decoder, settle: done, ready: done };
}

function workerIntake(parts: IntakeParts, workers: number): Intake {
  const { options, counters, sources, onError } = parts;
  const report = (event: Parameters<NonNullable<ServerOptions["onDatagram"]>>[0]) => {
    try {
      options.onDatagram?.(event);
    } catch {
      // Per-datagram logging must not stop the server.
    }
  };
  const pool: WorkerPool = new WorkerPool({
    workers,
    setup: decoderSettings(options),
    apply: (outcome, kept, worker) => {
      applyOutcome(parts, outcome, kept, (stream, seq) =>
        pool.post(worker, { type: "refused", stream, seq }),
      );
      if (options.onDatagram !== undefined) report({ from: kept.from, bytes: kept.bytes, outcome });
    },
    lost: (kept) => {
      counters.reject(INTERNAL_ERROR);
      sources.rejected(kept.source);
      report({ from: kept.from, bytes: kept.bytes, outcome: undefined });
    },
    onError: (error) => onError(error, "socket"),
  });
  const router = new Router(workers);
  const onMessage = (datagram: Buffer, from: Endpoint) => {
    counters.countDatagram(datagram.length);
    let refused: ReturnType<SourcePolicy["admit"]>["refused"];
    try {
      // Source checks come first: a refused datagram is never handed over.
      const admitted = sources.admit(from.address);
      refused = admitted.refused;
      if (refused !== undefined) counters.reject(refused);
      else
        pool.hand(
          datagram,
          { from, source: admitted.source, bytes: datagram.length },
          router.pick(datagram),
        );
    } catch {
      counters.reject(INTERNAL_ERROR);
    }
    if (refused !== undefined)
      report({ from, bytes: datagram.length, outcome: undefined, refused });
  };
  const decoding: DecodingStage = {
    get stats() {
      return pool.stats;
    },
    setKeys: (keys) => pool.broadcast({ type: "keys", keys }),
    sweep: () => pool.broadcast({ type: "sweep" }),
    finish: () => pool.finish(),
  };
  return { onMessage, decoding, settle: () => pool.settle(), ready: () => pool.ready() };
}

/** What the main thread does with a worker's answer for one datagram. */
function applyOutcome(
  parts: IntakeParts,
  outcome: DecodeOutcome,
  kept: HandedDatagram,
  refused: (stream: string, seq: number) => void,
): void {
  const { counters, sources, outputs, acker } = parts;
  try {
    counters.countOutcome(outcome);
    const settle = acker.observe(outcome, kept.from, kept.bytes);
    const asked = outcome.ackRequested;
    outputs.accept(
      outcome,
      settle === undefined || asked === undefined
        ? settle
        : (accepted) => {
            settle(accepted);
            if (!accepted) refused(asked.stream, asked.seq);
          },
    );
    sources.rejected(kept.source, (outcome.rejected ? 1 : 0) + outcome.invalidEntries);
  } catch {
    counters.reject(INTERNAL_ERROR);
    sources.rejected(kept.source);
  }
}
