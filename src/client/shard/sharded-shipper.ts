/**
 * A shipper over several targets (KafkaBatcher's collect_by_partition): each
 * entry's shard key (shard-key.ts) picks a target by rendezvous hashing over
 * the live targets, and each target has a whole shipper of its own (batcher,
 * stream and seqs, socket, reliable window); they share one compression
 * thread. Failover (failover.ts) takes
 * targets out and brings them back; the summary has every target's counts.
 */
import { entryFiller } from "../../entries/fill.js";
import type { TimerHandle } from "../../foundation/time.js";
import { BatchShipper } from "../batch-shipper.js";
import type { BatchSettings, FlushTrigger } from "../batcher.js";
import type { Level } from "../levels.js";
import type { ShipperObserver } from "../observer.js";
import { droppedPromise } from "../receipts.js";
import type { RefusalNotice } from "../refusals.js";
import { settledWithin } from "../retry.js";
import type { ResolvedOptions } from "../shipper-options.js";
import { MAX_OFF_THREAD_BATCHES, SplitThread } from "../split-thread.js";
import type { ShipperSummary } from "../summary.js";
import { Failover, type Shard, type TargetChange } from "./failover.js";
import { TargetProbe } from "./probe.js";
import { Rendezvous } from "./rendezvous.js";
import { SettledOrder } from "./settled-order.js";
import { keyOf, keyOfJson } from "./shard-key.js";
import { combineSummaries } from "./sharded-summary.js";
import { TargetHealth } from "./target-health.js";
import type { NamedTarget } from "./target-list.js";

/** How often failover checks the targets. */
export const FAILOVER_TICK_MS = 250;

export interface ShardSettings {
  readonly targets: readonly NamedTarget[];
  /** The top-level field whose value is the shard key. */
  readonly shardKey: string;
  readonly ackSilenceMs: number;
  readonly probeIntervalMs: number;
}

export class ShardedShipper {
  readonly #config: ResolvedOptions;
  readonly #field: string;
  readonly #shards: Shard[];
  readonly #router: Rendezvous;
  readonly #order: SettledOrder;
  readonly #failover: Failover;
  readonly #fill: (entry: Record<string, unknown>) => Record<string, unknown>;
  /** Entries logged after close(), and drops outside every target's shipper. */
  readonly #extra = { entries: 0, drops: {} as Record<string, number> };
  readonly #changeListeners = new Set<(change: TargetChange) => void>();
  #timer: TimerHandle | undefined;
  /** One compression thread for every target. */
  readonly #splitter: SplitThread | undefined;
  #closing: Promise<ShipperSummary> | undefined;

  constructor(config: ResolvedOptions, settings: ShardSettings) {
    this.#config = config;
    this.#field = settings.shardKey;
    const now = config.clock.now();
    if (config.compress && config.compressThread) {
      this.#splitter = new SplitThread({ maxPending: MAX_OFF_THREAD_BATCHES });
    }
    this.#shards = settings.targets.map((target, index) => ({
      index,
      target,
      core: new BatchShipper(this.#targetConfig(target, index), this.#splitter),
      health: new TargetHealth(now, settings.ackSilenceMs),
      probe: undefined,
      probing: false,
      nextProbeAt: 0,
      moved: 0,
    }));
    this.#router = new Rendezvous(settings.targets.map((target) => target.name));
    this.#order = new SettledOrder((index) => this.#shard(index).core.settledEntries);
    this.#failover = new Failover(this.#shards, {
      config,
      probeIntervalMs: settings.probeIntervalMs,
      setLive: (live) => this.#router.setLive(live),
      relog: (json) => this.#core(keyOfJson(json, this.#field)).logTracked(json, -1),
      unmovable: (entries) => {
        this.#extra.drops["encode-failed"] = (this.#extra.drops["encode-failed"] ?? 0) + entries;
      },
      newProbe: (shard) => new TargetProbe({ ...config, ...shard.target }),
      changed: (change) => {
        for (const listener of this.#changeListeners) listener(change);
      },
    });
    this.#fill = entryFiller({ service: config.service, host: config.host, now: config.wallClock });
    this.#timer = config.clock.setInterval(() => this.#failover.tick(), FAILOVER_TICK_MS);
    this.#timer.unref?.();
  }

  log(entry: Record<string, unknown>): Promise<void> {
    if (this.#closing !== undefined) return this.#closed();
    const filled = this.#fill(entry);
    return this.#core(keyOf(filled, this.#field), true).log(filled);
  }

  logJson(json: string, level: Level | undefined, bytes?: number): boolean {
    if (this.#closing !== undefined) {
      void this.#closed();
      return false;
    }
    this.#core(keyOfJson(json, this.#field), true).logJson(json, level, bytes);
    return !this.isFull();
  }

  tryLog(entry: Record<string, unknown>): boolean {
    if (this.#closing !== undefined) {
      void this.#closed();
      return false;
    }
    return this.#core(keyOf(entry, this.#field), true).tryLog(entry);
  }

  isFull(): boolean {
    return this.#closing === undefined && this.#shards.some((shard) => shard.core.isFull());
  }

  async ready(): Promise<void> {
    while (this.isFull()) await Promise.all(this.#shards.map((shard) => shard.core.ready()));
  }

  /** Resolves once every entry logged so far settled, moved ones where they went. */
  async flush(trigger: FlushTrigger = "manual"): Promise<void> {
    do {
      await Promise.all(this.#shards.map((shard) => shard.core.flush(trigger)));
      await this.#failover.moving;
    } while (!this.#failover.idle);
  }

  reconfigure(settings: Partial<BatchSettings>): void {
    for (const shard of this.#shards) shard.core.reconfigure(settings);
  }

  start(): Promise<void> {
    return this.#splitter?.start() ?? Promise.resolve();
  }

  /**
   * Stops intake, flushes every target while failover still moves entries
   * (at most the drain time), then closes each target's shipper (each waits
   * at most the drain time again for what is left).
   */
  close(): Promise<ShipperSummary> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<ShipperSummary> {
    const { clock, drainTimeoutMs } = this.#config;
    await settledWithin(clock, this.flush("shutdown"), drainTimeoutMs);
    clock.clearInterval(this.#timer);
    this.#failover.close();
    await Promise.all(this.#shards.map((shard) => shard.core.close()));
    await this.#splitter?.close();
    return this.summary();
  }

  summary(): ShipperSummary {
    const parts = this.#shards.map((shard) => ({
      name: shard.target.name,
      state: shard.health.state,
      moved: shard.moved,
      outages: shard.health.outages,
      summary: shard.core.stats.snapshot(),
    }));
    return combineSummaries(parts, this.#extra);
  }

  queuedBytes(): number {
    return this.#shards.reduce((sum, shard) => sum + shard.core.queuedBytes, 0);
  }

  settledEntries(): number {
    return this.#order.count;
  }

  onRefusing(listener: (notice: RefusalNotice) => void): () => void {
    const offs = this.#shards.map((shard) =>
      shard.core.onRefusing((notice) => listener({ ...notice, host: shard.target.host })),
    );
    return () => {
      for (const off of offs) off();
    };
  }

  /** Calls `listener` when a target goes out or comes back; returns the function that stops it. */
  onTargetChange(listener: (change: TargetChange) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** The shipper of the target `key` goes to; `ordered`: a caller's entry, in the settled order. */
  #core(key: string, ordered = false): BatchShipper {
    const shard = this.#shard(this.#router.choose(key));
    if (ordered) this.#order.push(shard.index, shard.core.stats.entries);
    return shard.core;
  }

  /** An entry logged after close(): counted and dropped. */
  #closed(): Promise<void> {
    this.#extra.entries += 1;
    this.#extra.drops.closed = (this.#extra.drops.closed ?? 0) + 1;
    return droppedPromise("closed");
  }

  #shard(index: number): Shard {
    return this.#shards[index] as Shard;
  }

  /** The target's options: its address, and an observer that also reports its refusals. */
  #targetConfig(target: NamedTarget, index: number): ResolvedOptions {
    const user = this.#config.observer;
    const observer: ShipperObserver = {
      onBatch: (entries, trigger) => user?.onBatch?.(entries, trigger),
      onDatagram: (bytes) => user?.onDatagram?.(bytes),
      onSend: (ms) => user?.onSend?.(ms),
      onAck: (ms) => user?.onAck?.(ms),
      onRefused: (code) => {
        user?.onRefused?.(code);
        this.#failover.refused(this.#shard(index), code);
      },
    };
    const resolveFailed = this.#config.onResolveFailed;
    return Object.freeze({
      ...this.#config,
      targetHost: target.host,
      targetPort: target.port,
      observer,
      onResolveFailed:
        resolveFailed &&
        ((error: unknown, kept: string) => resolveFailed(error, kept, target.host)),
    });
  }
}
