/**
 * Splits and compresses batches on one worker thread (src/client/split-worker.ts)
 * while the main thread reads and serializes the next entries: a SplitRunner
 * for BatchEncoder.encodeWith(). The worker gives the parts splitSync would
 * give here; the main thread then numbers, frames and sends them.
 *
 * The main thread keeps nothing of a batch while the worker has it (the
 * entries go over packed in one buffer that is moved), and takes the worker's answers each time it
 * hands over another batch, not only when it next turns to its event loop:
 * a batch's data lives about as long as when split here, instead of
 * outliving V8's young generation and piling up in the old one.
 *
 * Past `maxPending` batches on the worker, or when the worker cannot run (its
 * program missing, a crash), batches are split on the calling thread. A batch
 * the worker held when it failed fails: its callback gets the error.
 */

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { MessagePort, Worker } from "node:worker_threads";
import { InvalidOptionError } from "../foundation/errors.js";
import type { SplitResult, SplitRunner } from "../wire/index.js";
import { splitHereWith } from "../wire/send/split-runners.js";
import { BufferPool } from "./buffer-pool.js";
import { threadDeflate } from "./reused-deflate.js";
import { packRequest, type SplitReply, type SplitRequest } from "./split-request.js";

type Finish = (error: Error | null, result?: SplitResult) => void;

/** A batch split on the calling thread, with that thread's zlib stream. */
const splitHere = splitHereWith(threadDeflate);

export interface SplitThreadOptions {
  /** Batches on the worker at once, >= 1; past it, the calling thread splits. */
  readonly maxPending: number;
  /**
   * The worker's program; default: split-worker.cjs beside this module (the
   * bundle's, CommonJS: a worker starts sooner without Node's ES module
   * loader), else split-worker.js (dist/'s modules).
   */
  readonly workerUrl?: URL;
  /** Called once the worker runs, or has failed to start. */
  readonly onOnline?: () => void;
}

type WorkerThreads = typeof import("node:worker_threads");
let workerThreadsModule: WorkerThreads | undefined;

/** node:worker_threads, loaded when a worker first starts: a short run never needs it. */
function workerThreads(): WorkerThreads {
  workerThreadsModule ??= createRequire(import.meta.url)("node:worker_threads") as WorkerThreads;
  return workerThreadsModule;
}

/** The worker's program beside this module: the bundle's CommonJS one when there is one. */
function defaultWorkerUrl(): URL {
  const bundled = new URL("./split-worker.cjs", import.meta.url);
  return existsSync(fileURLToPath(bundled))
    ? bundled
    : new URL("./split-worker.js", import.meta.url);
}

/** A compressed batch this large is split on a worker thread (handing over a smaller one costs what it saves). */
export const OFF_THREAD_MIN_BYTES = 8 * 1024;
/** Batches on the worker at once; past it, the main thread splits too. */
export const MAX_OFF_THREAD_BATCHES = 16;

/** The worker's own heap stays small: it holds a batch or two at a time. */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

export class SplitThread {
  readonly #maxPending: number;
  readonly #workerUrl: URL | undefined;
  #worker: Worker | undefined;
  /** Where the worker's answers arrive: read at every split(), and as events when idle. */
  #replies: MessagePort | undefined;
  #unusable = false;
  /** Settles once the worker runs or has failed to start. */
  #online: Promise<void> | undefined;
  #nextId = 0;
  #starting = false;
  readonly #onlineListeners: (() => void)[] = [];
  readonly #pending = new Map<number, Finish>();
  readonly #buffers = new BufferPool();
  /**
   * Batches packed during the caller's current synchronous run, posted in
   * one message once it ends (a microtask): one hand-over, and one wake-up
   * of the worker, for all the batches one read of the input makes.
   */
  #outbox: SplitRequest[] = [];
  #outboxMoves: ArrayBuffer[] = [];

  constructor(options: SplitThreadOptions) {
    const { maxPending } = options;
    if (!Number.isSafeInteger(maxPending) || maxPending < 1) {
      throw new InvalidOptionError(`maxPending must be an integer >= 1, got ${maxPending}`);
    }
    this.#maxPending = maxPending;
    this.#workerUrl = options.workerUrl;
    if (options.onOnline !== undefined) this.#onlineListeners.push(options.onOnline);
  }

  /** Calls `listener` once the worker runs or has failed to start (each shipper sharing it listens). */
  listenOnline(listener: () => void): void {
    this.#onlineListeners.push(listener);
  }

  /** True from the worker's start until it runs or has failed to start. */
  get starting(): boolean {
    return this.#starting;
  }

  /** Batches on the worker now. */
  get pending(): number {
    return this.#pending.size;
  }

  /** A SplitRunner: `finish` is called once, later from the worker or before returning. */
  readonly split: SplitRunner = (entryJsons, entryBytes, settings, level, finish) => {
    this.#collect();
    const worker = this.#pending.size < this.#maxPending ? this.#started() : undefined;
    if (worker === undefined) {
      splitHere(entryJsons, entryBytes, settings, level, finish);
      return;
    }
    const id = this.#nextId++;
    this.#pending.set(id, finish);
    if (this.#pending.size === 1) this.#replies?.ref();
    const { request, transfer } = packRequest(
      id,
      entryJsons,
      entryBytes,
      settings,
      level,
      this.#buffers.take,
    );
    if (this.#outbox.length === 0) queueMicrotask(this.#post);
    this.#outbox.push(request);
    this.#outboxMoves.push(...transfer);
  };

  readonly #post = (): void => {
    const requests = this.#outbox;
    const moves = this.#outboxMoves;
    this.#outbox = [];
    this.#outboxMoves = [];
    if (requests.length > 0) this.#worker?.postMessage(requests, moves);
  };

  /**
   * Starts the worker now instead of at the first split; resolves once it
   * runs, or once it cannot (batches are then split on the calling thread).
   */
  start(): Promise<void> {
    this.#started();
    return this.#online ?? Promise.resolve();
  }

  /** Stops the worker; a batch it still holds fails, and later ones are split here. */
  async close(): Promise<void> {
    this.#unusable = true;
    const worker = this.#worker;
    this.#failAll(new Error("the splitting thread was closed"));
    await worker?.terminate();
  }

  /** The worker, started at the first call; undefined when it cannot run. */
  #started(): Worker | undefined {
    if (this.#worker !== undefined || this.#unusable) return this.#worker;
    const program = this.#workerUrl ?? defaultWorkerUrl();
    if (!existsSync(fileURLToPath(program))) {
      this.#unusable = true;
      return undefined;
    }
    const { MessageChannel, Worker } = workerThreads();
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(program, {
      resourceLimits: WORKER_LIMITS,
      workerData: { replies: port2 },
      transferList: [port2],
    });
    // Held until it runs, so that awaiting start() keeps the process alive.
    this.#starting = true;
    this.#online = new Promise((resolve) => {
      const settle = () => {
        if (!this.#starting) return;
        this.#starting = false;
        worker.unref();
        resolve();
        for (const listener of this.#onlineListeners) listener();
      };
      worker.once("online", settle);
      worker.once("error", settle);
      worker.once("exit", settle);
    });
    worker.on("error", () => this.#fail());
    worker.on("exit", () => this.#fail());
    port1.on("message", (replies: SplitReply[]) => this.#answerAll(replies));
    port1.unref();
    this.#worker = worker;
    this.#replies = port1;
    return worker;
  }

  /** Takes every answer the worker has posted so far, without waiting for an event. */
  #collect(): void {
    const port = this.#replies;
    if (port === undefined || this.#pending.size === 0) return;
    const { receiveMessageOnPort } = workerThreads();
    for (
      let got = receiveMessageOnPort(port);
      got !== undefined;
      got = receiveMessageOnPort(port)
    ) {
      this.#answerAll(got.message as SplitReply[]);
    }
  }

  #answerAll(replies: readonly SplitReply[]): void {
    for (const reply of replies) this.#answer(reply);
  }

  #answer(reply: SplitReply): void {
    this.#buffers.give(reply.batch);
    const finish = this.#pending.get(reply.id);
    if (finish === undefined) return;
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) this.#replies?.unref();
    if ("error" in reply) finish(new Error(reply.error));
    else finish(null, { parts: reply.parts, dropped: reply.dropped });
  }

  /** The worker stopped on its own: what it held fails, the rest is split here. */
  #fail(): void {
    if (this.#unusable) return;
    this.#unusable = true;
    this.#failAll(new Error("the splitting thread stopped"));
  }

  #failAll(error: Error): void {
    this.#worker = undefined;
    this.#outbox = [];
    this.#outboxMoves = [];
    this.#replies?.close();
    this.#replies = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const finish of pending) finish(error);
  }
}
