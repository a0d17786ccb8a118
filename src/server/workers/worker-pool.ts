/**
 * The decoding workers seen from the main thread: datagrams handed to a
 * worker are gathered into a batch, sent when it is full (datagram-batch.ts)
 * or MAX_BATCH_WAIT_MS after the first datagram of the batches, and each answer is
 * applied, in the order the worker decoded them, by `apply`. The decoders'
 * counters are the sum of each worker's last report. A worker that fails
 * is replaced; the datagrams it held are counted by `lost`.
 */
import { Worker } from "node:worker_threads";
import type { DecoderStats } from "../../wire/receive/decoder-options.js";
import type { DecodeOutcome } from "../../wire/types.js";
import { DatagramBatch, type HandedDatagram, MAX_BATCH_WAIT_MS } from "./datagram-batch.js";
import type { FromWorker, ToWorker, WorkerSetup, WorkerStart } from "./messages.js";
import { unpackOutcomes } from "./outcome-codec.js";
import { Progress } from "./progress.js";
import { NO_DECODER_STATS, sumDecoderStats } from "./stats-sum.js";

export interface PoolOptions {
  readonly workers: number;
  readonly setup: WorkerSetup;
  /** One decoded datagram, on the main thread, with what was kept of it and its worker. */
  readonly apply: (outcome: DecodeOutcome, kept: HandedDatagram, worker: number) => void;
  /** A datagram a failed worker held: never decoded. */
  readonly lost: (kept: HandedDatagram) => void;
  readonly onError: (error: Error) => void;
  /** The worker's script; default the decode-worker.js beside this file. */
  readonly workerUrl?: URL;
}

interface Slot {
  readonly index: number;
  worker: Worker;
  readonly batch: DatagramBatch;
  /** Batches sent and not answered yet, oldest first. */
  inFlight: { readonly id: number; readonly kept: HandedDatagram[] }[];
  stats: DecoderStats;
  /** Resolves when the current worker has exited. */
  exited: Promise<void>;
  /** Its worker failed before it ever ran: nothing is handed to it any more. */
  dead: boolean;
}

export class WorkerPool {
  readonly #options: PoolOptions;
  readonly #slots: Slot[] = [];
  readonly #progress: Progress;
  readonly #idle: (() => void)[] = [];
  /** What replaced workers had counted. */
  readonly #retired: DecoderStats[] = [];
  readonly #ready: Promise<void>[] = [];
  #nextId = 0;
  #inFlight = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #finishing = false;

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#progress = new Progress(options.workers);
    for (let index = 0; index < options.workers; index++) {
      const slot: Slot = {
        index,
        worker: undefined as unknown as Worker,
        batch: new DatagramBatch(),
        inFlight: [],
        stats: NO_DECODER_STATS,
        exited: Promise.resolve(),
        dead: false,
      };
      slot.worker = this.#spawn(slot);
      this.#slots.push(slot);
    }
  }

  /** The sum of the workers' decoder counters, as last reported. */
  get stats(): DecoderStats {
    return sumDecoderStats([...this.#retired, ...this.#slots.map((slot) => slot.stats)]);
  }

  /** Hands a datagram to worker `index`; it is copied when its batch is sealed. */
  hand(datagram: Uint8Array, kept: HandedDatagram, index: number): void {
    const slot = this.#slots[index] as Slot;
    if (slot.dead) {
      this.#options.lost(kept);
      return;
    }
    slot.batch.add(datagram, kept);
    if (slot.batch.full) this.#flush(slot);
    else this.#flushTimer ??= setTimeout(() => this.#flushAll(), MAX_BATCH_WAIT_MS);
  }

  /** Tells worker `index` something that changes its decoder. */
  post(index: number, message: ToWorker): void {
    this.#slots[index]?.worker.postMessage(message);
  }

  /** Tells every worker, after the datagrams handed to it so far. */
  broadcast(message: ToWorker): void {
    this.#flushAll();
    for (const slot of this.#slots) slot.worker.postMessage(message);
  }

  /** Resolves once every datagram handed so far has been decoded and applied. */
  settle(): Promise<void> {
    this.#flushAll();
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Settles, then has each decoder count what it still holds as lost,
   * takes its last counters and ends the worker. Idempotent.
   */
  async finish(): Promise<void> {
    await this.settle();
    if (!this.#finishing) {
      this.#finishing = true;
      for (const slot of this.#slots)
        slot.worker.postMessage({ type: "finish" } satisfies ToWorker);
    }
    await Promise.all(this.#slots.map((slot) => slot.exited));
  }

  #spawn(slot: Slot): Worker {
    const url = this.#options.workerUrl ?? new URL("./decode-worker.js", import.meta.url);
    const start: WorkerStart = {
      setup: this.#options.setup,
      index: slot.index,
      progress: this.#progress.shared,
    };
    const worker = new Worker(url, { workerData: start });
    let online = false;
    let over = false;
    const fail = (error: Error) => {
      if (over) return;
      over = true;
      this.#failed(slot, error, online);
    };
    worker.once("online", () => {
      online = true;
    });
    worker.on("message", (message: FromWorker) => this.#onMessage(slot, message));
    worker.on("error", fail);
    this.#ready.push(
      new Promise((resolve) => {
        worker.on("message", (message: FromWorker) => {
          if (message.type === "ready") resolve();
        });
        worker.once("exit", () => resolve());
      }),
    );
    slot.exited = new Promise((resolve) =>
      worker.once("exit", (code) => {
        if (!this.#finishing) fail(new Error(`exited with code ${code}`));
        resolve();
      }),
    );
    return worker;
  }

  #flushAll(): void {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    for (const slot of this.#slots) this.#flush(slot);
  }

  #flush(slot: Slot): void {
    if (slot.batch.size === 0) return;
    const { data, lengths, kept } = slot.batch.seal();
    const id = this.#nextId++;
    slot.inFlight.push({ id, kept });
    this.#inFlight += 1;
    const message: ToWorker = { type: "batch", id, data, lengths };
    this.#progress.beforeSend(slot.index);
    slot.worker.postMessage(message, [data, lengths.buffer as ArrayBuffer]);
  }

  /** Resolves once every worker has built its decoder (or failed). */
  ready(): Promise<void> {
    return Promise.all(this.#ready).then(() => undefined);
  }

  #onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === "ready") return;
    if (message.type === "internal-error") {
      this.#options.onError(new Error(message.message));
      return;
    }
    if (message.stats !== undefined) slot.stats = message.stats;
    if (message.type !== "results") return;
    const batch = slot.inFlight.shift();
    if (batch === undefined || batch.id !== message.id) {
      this.#options.onError(
        new Error(`worker ${slot.index} answered batch ${message.id} out of order`),
      );
      return;
    }
    const outcomes = unpackOutcomes(message.outcomes);
    for (let i = 0; i < batch.kept.length; i++) {
      const kept = batch.kept[i] as HandedDatagram;
      const outcome = outcomes[i];
      if (outcome === undefined) this.#options.lost(kept);
      else this.#options.apply(outcome, kept, slot.index);
    }
    this.#answered(1);
  }

  /**
   * A worker threw or exited: what it held is lost, and a new one takes its
   * place, unless it failed before it ever ran (then no worker would).
   */
  #failed(slot: Slot, error: Error, ran: boolean): void {
    const replaced = ran && !this.#finishing;
    this.#options.onError(
      new Error(
        `decoding worker ${slot.index} failed${replaced ? ", replaced" : ""}: ${error.message}`,
        { cause: error },
      ),
    );
    const held = slot.inFlight;
    slot.inFlight = [];
    for (const batch of held) for (const kept of batch.kept) this.#options.lost(kept);
    // Its counts stay; what it held is gone.
    this.#retired.push({ ...slot.stats, streams: 0, partials: 0, reassemblyBytes: 0, formats: {} });
    slot.stats = NO_DECODER_STATS;
    this.#progress.reset(slot.index);
    if (replaced) slot.worker = this.#spawn(slot);
    else if (!this.#finishing) {
      slot.dead = true;
      for (const kept of slot.batch.seal().kept) this.#options.lost(kept);
    }
    this.#answered(held.length);
  }

  #answered(batches: number): void {
    this.#inFlight -= batches;
    if (this.#inFlight > 0 || this.#idle.length === 0) return;
    const waiting = this.#idle.splice(0);
    for (const resolve of waiting) resolve();
  }
}
