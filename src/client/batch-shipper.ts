/**
 * The client core: entries in, datagrams out. A Batcher decides when a batch
 * is done, the BatchEncoder turns it into messages (large compressed batches
 * on a worker thread, SplitThread, seqs still in batch order), a Sender puts
 * them on one connected UDP socket with retries. Memory is bounded: above
 * maxQueuedBytes not yet sent, log() asks the caller to pause and tryLog()
 * drops (and counts). Bounced datagrams are counted as refused. With `reliable`,
 * a ReliableDelivery keeps messages until acknowledged; its window holds back too.
 */
import { BatchEncoder, type EncodedMessage } from "../wire/index.js";
import { type Batch, Batcher, type BatchSettings, type FlushTrigger } from "./batcher.js";
import type { Connection } from "./connection.js";
import { type MessageSink, sendStats } from "./delivery.js";
import { EncodeQueue } from "./encode-queue.js";
import { type Level, levelRank } from "./levels.js";
import { droppedPromise, Receipts } from "./receipts.js";
import { type RefusalNotice, RefusalWatch } from "./refusals.js";
import { chooseDelivery } from "./reliable/choose-delivery.js";
import type { MessageFate } from "./reliable/reliable-delivery.js";
import { threadDeflate } from "./reused-deflate.js";
import { Sender } from "./sender.js";
import { serialize } from "./serialize.js";
import { shipperConnection } from "./shipper-connection.js";
import type { ResolvedOptions } from "./shipper-options.js";
import { MAX_OFF_THREAD_BATCHES, OFF_THREAD_MIN_BYTES, SplitThread } from "./split-thread.js";
import { newStreamId } from "./stream-id.js";
import { type DropReason, type ShipperSummary, SummaryCollector } from "./summary.js";

export class BatchShipper {
  readonly stats: SummaryCollector;
  readonly #config: ResolvedOptions;
  readonly #encoder: BatchEncoder;
  readonly #connection: Connection;
  readonly #sender: Sender;
  readonly #delivery: MessageSink;
  readonly #receipts = new Receipts();
  readonly #batcher: Batcher;
  /** Undefined when batches are split on this thread only. */
  readonly #splitter: SplitThread | undefined;
  readonly #sharedSplitter: boolean;
  readonly #encoding: EncodeQueue;
  #waiters: (() => void)[] = [];
  #closed = false;
  #closing: Promise<ShipperSummary> | undefined;
  readonly #refusals = new RefusalWatch();

  /** `shared`: a compression thread of several shippers (the caller starts and closes it). */
  constructor(config: ResolvedOptions, shared?: SplitThread) {
    this.#config = config;
    this.#sharedSplitter = shared !== undefined;
    this.stats = new SummaryCollector(config.random);
    if (config.compress && config.compressThread) {
      this.#splitter = shared ?? new SplitThread({ maxPending: MAX_OFF_THREAD_BATCHES });
      this.#splitter.listenOnline(() => this.#wake());
    }
    const stream = config.sequenced ? newStreamId() : undefined;
    this.#encoder = new BatchEncoder({
      compress: config.compress,
      compressionLevel: config.compressionLevel,
      deflate: threadDeflate,
      sequenced: config.sequenced,
      maxDatagramBytes: config.maxDatagramBytes,
      ...(stream === undefined ? {} : { stream }),
      ...(config.reliable === undefined ? {} : { ackRequested: true }),
      ...(config.key === undefined ? {} : { key: config.key }),
      ...(this.#splitter === undefined ? {} : { splitAsync: this.#splitter.split }),
    });
    this.#connection = shipperConnection(config, this.stats, this.#refusals, (datagram) =>
      this.#delivery.receive?.(datagram),
    );
    this.#sender = new Sender({
      connection: this.#connection,
      maxRetries: config.maxRetries,
      clock: config.clock,
      random: config.random,
      stats: sendStats(this.stats, config.observer, () =>
        this.#refusals.accepted(config.clock.now()),
      ),
    });
    this.#delivery = chooseDelivery(config, {
      sender: this.#sender,
      stats: this.stats,
      stream,
      onSettled: () => this.#wake(),
      onMessage: (message, fate) => this.#receipts.message(message, fate),
    });
    this.#encoding = new EncodeQueue({
      encode: (entries, sizes, done) => this.#encoder.encodeWith(entries, done, sizes),
      clock: config.clock,
      onEncoded: (result) => {
        this.#receipts.encoded(result);
        this.#delivery.deliver(result);
        this.#wake();
      },
      onDropped: (entries, reason) => {
        this.#receipts.encodeDropped(reason);
        this.stats.drop(reason, entries);
        this.#wake();
      },
    });
    this.#batcher = new Batcher(config.batch, config.clock, (batch) => this.#onBatch(batch));
  }

  /** Resolves when the entry is acknowledged (reliable) or sent; rejects when it is dropped. */
  log(entry: Record<string, unknown>): Promise<void> {
    return this.logTracked(this.#closed ? undefined : serialize(entry), levelRank(entry.level));
  }

  /** log() of an entry's JSON text; undefined: it could not be serialized. */
  logTracked(json: string | undefined, rank: number): Promise<void> {
    if (this.#closed || json === undefined) {
      this.#add(json, 0);
      return droppedPromise(this.#closed ? "closed" : "unserializable");
    }
    // Before #add: the entry's batch may go (and be encoded) within it.
    const promise = this.#receipts.promise(this.#receipts.entry());
    this.#add(json, rank, undefined, false);
    return promise;
  }
  /** Reliable mode: every message not yet acknowledged, taken out unsettled (see settleMoved). */
  evacuate(): EncodedMessage[] {
    return this.#delivery.evacuate?.() ?? [];
  }
  /** An evacuated message's entries, logged elsewhere, met this fate. */
  settleMoved(message: EncodedMessage, fate: MessageFate): void {
    this.#receipts.message(message, fate);
  }

  logJson(json: string, level: Level | undefined, bytes?: number): boolean {
    return this.#add(json, levelRank(level), bytes);
  }

  /** One entry in; `json` undefined when it could not be serialized. */
  #add(json: string | undefined, rank: number, bytes?: number, numbered = true): boolean {
    this.stats.entries += 1;
    if (this.#closed) {
      this.#dropNow("closed");
      return false;
    }
    if (json === undefined) this.#dropNow("unserializable");
    else {
      if (numbered) this.#receipts.entry();
      this.#batcher.add(json, rank, bytes);
    }
    // A batch alone at the bound could never drain by waiting: send it now.
    if (this.#batcher.jsonBytes >= this.#config.maxQueuedBytes) this.#batcher.flush("bytes");
    return !this.#holding();
  }

  tryLog(entry: Record<string, unknown>): boolean {
    if (!this.#closed && this.#full()) {
      this.stats.entries += 1;
      this.#dropNow("queue-full");
      return false;
    }
    const json = this.#closed ? undefined : serialize(entry);
    this.#add(json, levelRank(entry.level));
    return !this.#closed;
  }

  /** True while above a bound: maxQueuedBytes, or (reliable) the window or maxUnackedBytes. */
  isFull(): boolean {
    return !this.#closed && this.#full();
  }

  start(): Promise<void> {
    return this.#splitter?.start() ?? Promise.resolve();
  }

  ready(): Promise<void> {
    if (this.#closed || !this.#holding()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async flush(trigger: FlushTrigger = "manual"): Promise<void> {
    this.#batcher.flush(trigger);
    await this.#encoding.settled();
    await this.#delivery.settled();
  }

  reconfigure(settings: Partial<BatchSettings>): void {
    if (!this.#closed) this.#batcher.reconfigure(settings);
  }

  close(): Promise<ShipperSummary> {
    this.#closed = true;
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<ShipperSummary> {
    this.#batcher.flush("shutdown");
    this.#batcher.dispose();
    this.#wake();
    const { clock, drainTimeoutMs } = this.#config;
    const deadline = clock.now() + drainTimeoutMs;
    await this.#encoding.drain(drainTimeoutMs);
    if (!this.#sharedSplitter) await this.#splitter?.close();
    await this.#delivery.drain(Math.max(0, deadline - clock.now()));
    await this.#sender.drain(Math.max(0, deadline - clock.now()));
    await this.#connection.readPendingReports();
    this.#connection.close();
    return this.stats.snapshot();
  }

  onRefusing(listener: (notice: RefusalNotice) => void): () => void {
    return this.#refusals.listen(listener);
  }

  /** Gathered, compressing, and encoded but not yet sent. */
  get queuedBytes(): number {
    return this.#delivery.unsentBytes + this.#encoding.bytes + this.#batcher.jsonBytes;
  }

  /** Entries, from the first logged, that have all been acknowledged (or sent) or dropped. */
  get settledEntries(): number {
    return this.#receipts.settled.count;
  }
  #dropNow(reason: DropReason): void {
    this.stats.drop(reason, 1);
    this.#receipts.settled.dropped(1, this.#batcher.count === 0);
  }
  /** Full, or the compression thread starting (V8's settings are reset until it runs). */
  #holding(): boolean {
    return this.#full() || this.#splitter?.starting === true;
  }
  #full(): boolean {
    return this.queuedBytes >= this.#config.maxQueuedBytes || this.#delivery.full();
  }

  #wake(): void {
    if (this.#waiters.length === 0 || (!this.#closed && this.#holding())) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }

  #onBatch(batch: Batch): void {
    this.stats.batch(batch.entries.length, batch.trigger);
    this.#receipts.batch(batch.entries.length);
    this.#config.observer?.onBatch?.(batch.entries.length, batch.trigger);
    const offThread = this.#splitter !== undefined && batch.jsonBytes >= OFF_THREAD_MIN_BYTES;
    // The socket connects while the thread starts, when the input waits for it.
    if (offThread && this.#connection.address === undefined) this.#connection.open();
    // Behind a batch still compressing, every batch waits its turn.
    const { entries, sizes, jsonBytes } = batch;
    if (offThread || !this.#encoding.idle) this.#encoding.push(entries, sizes, jsonBytes);
    else {
      const result = this.#encoder.encode(entries, sizes);
      this.#receipts.encoded(result);
      this.#delivery.deliver(result);
    }
  }
}
