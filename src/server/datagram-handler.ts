/**
 * What becomes of one datagram: counted, checked by its source, decoded,
 * its entries written, and reported. Each datagram is handled on its own:
 * whatever one does, even a throw, the next is handled the same way.
 */
import type { DatagramKind, DecodeOutcome, Decoder } from "../wire/index.js";
import type { Acker } from "./acks/acker.js";
import type { Endpoint } from "./receiver.js";
import type { GateReason, SourcePolicy } from "./sources.js";
import { type Counters, INTERNAL_ERROR } from "./stats.js";

/** What became of one datagram, for per-datagram logging. */
export interface DatagramEvent {
  readonly from: Endpoint;
  readonly bytes: number;
  /** The decoder's answer; undefined when the datagram was refused, or handling it failed. */
  readonly outcome: DecodeOutcome | undefined;
  /** Set when the datagram was refused by its source, before decoding. */
  readonly refused?: GateReason;
}

/** The parts of the server one datagram goes through. */
export interface DatagramPipeline {
  readonly counters: Counters;
  readonly sources: SourcePolicy;
  readonly decoder: Decoder;
  /** Takes the entries of each decoded message: the outputs; `settled` is told whether all took them. */
  readonly outputs: {
    accept(outcome: DecodeOutcome, settled?: (accepted: boolean) => void): void;
  };
  /** Acknowledges what asked for it (PROTOCOL.md section 6). */
  readonly acker?: Pick<Acker, "observe"> | undefined;
  /** Called for every datagram after it is handled; a throw is ignored. */
  readonly onDatagram?: ((event: DatagramEvent) => void) | undefined;
}

/**
 * A Decoder's onInternalError that reports the first exception of each kind
 * of datagram, for the life of the process; the later ones are only counted
 * (`internal-error`), so a bug that every datagram hits logs one line.
 */
export function reportOncePerKind(
  report: (error: Error) => void,
): (error: unknown, kind: DatagramKind) => void {
  const reported = new Set<DatagramKind>();
  return (error, kind) => {
    if (reported.has(kind)) return;
    reported.add(kind);
    const message = error instanceof Error ? error.message : String(error);
    report(
      new Error(
        `internal error while decoding a ${kind} datagram, counted as internal-error ` +
          `(later ones of this kind are counted only): ${message}`,
        { cause: error },
      ),
    );
  };
}

/** The socket's message handler: never throws, whatever the datagram or a callback does. */
export function createDatagramHandler(
  pipeline: DatagramPipeline,
): (datagram: Buffer, from: Endpoint) => void {
  const { counters, sources, decoder, outputs, acker, onDatagram } = pipeline;
  return (datagram, from) => {
    counters.countDatagram(datagram.length);
    let outcome: DecodeOutcome | undefined;
    let admitted: ReturnType<SourcePolicy["admit"]> | undefined;
    try {
      // Source checks come first: a refused datagram is never read.
      admitted = sources.admit(from.address);
      if (admitted.refused !== undefined) counters.reject(admitted.refused);
      else {
        outcome = decoder.decode(datagram);
        counters.countOutcome(outcome);
        outputs.accept(outcome, acker?.observe(outcome, from, datagram.length));
        sources.rejected(admitted.source, (outcome.rejected ? 1 : 0) + outcome.invalidEntries);
      }
    } catch {
      counters.reject(INTERNAL_ERROR);
      if (admitted !== undefined) sources.rejected(admitted.source);
    }
    const refused = admitted?.refused;
    try {
      onDatagram?.({
        from,
        bytes: datagram.length,
        outcome,
        ...(refused === undefined ? {} : { refused }),
      });
    } catch {
      // Per-datagram logging must not stop the server.
    }
  };
}
