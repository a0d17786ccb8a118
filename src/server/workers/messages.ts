/**
 * What the main thread and a decoding worker tell each other. The main
 * thread sends batches of datagrams (one buffer, transferred, cut by a list
 * of lengths) and the calls that change a decoder's state; a worker answers
 * each batch, in order, with the packed outcomes and its decoder's counters.
 */
import type { JsonLimits } from "../../wire/json-scan.js";
import type { AcceptedKind } from "../../wire/kinds.js";
import type { DecoderStats } from "../../wire/receive/decoder-options.js";
import type { PackedOutcomes } from "./outcome-codec.js";

/** A worker's decoder options: what createServer's options say, cloneable. */
export interface WorkerSetup {
  readonly maxDecompressedBytes?: number;
  readonly maxMessageBytes?: number;
  readonly limits?: JsonLimits;
  readonly keys?: readonly Uint8Array[];
  readonly accept?: ReadonlySet<AcceptedKind>;
}

/** What a worker is started with. */
export interface WorkerStart {
  readonly setup: WorkerSetup;
  /** Its place in the pool, and the pool's shared progress counters (progress.ts). */
  readonly index: number;
  readonly progress: SharedArrayBuffer;
}

export type ToWorker =
  | {
      readonly type: "batch";
      readonly id: number;
      /** The datagrams one after the other. */
      readonly data: ArrayBuffer;
      readonly lengths: Uint32Array;
    }
  | { readonly type: "keys"; readonly keys: readonly Uint8Array[] }
  /** An output did not take this message: a copy sent again is taken as new. */
  | { readonly type: "refused"; readonly stream: string; readonly seq: number }
  | { readonly type: "sweep" }
  /** Shutdown: open gaps and partial messages count as lost. */
  | { readonly type: "finish" };

export type FromWorker =
  | {
      readonly type: "results";
      readonly id: number;
      readonly outcomes: PackedOutcomes;
      /** The decoder's counters, at most every 100 ms. */
      readonly stats?: DecoderStats;
    }
  | { readonly type: "stats"; readonly stats: DecoderStats }
  | { readonly type: "internal-error"; readonly message: string }
  /** Its decoder is built: it decodes from now on without delay. */
  | { readonly type: "ready" };
