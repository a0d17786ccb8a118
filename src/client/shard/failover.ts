/**
 * Failover among the targets of a sharding client. A target refusing a
 * datagram, or (reliable delivery) leaving messages unacknowledged for the
 * silence bound, is taken out: its keys go to the others (rendezvous over
 * the live ones), and with reliable delivery its messages not yet
 * acknowledged are read back into entries and logged again there, as new
 * messages of their streams. While out it is probed every probe interval;
 * it comes back when a probe is acknowledged (reliable) or not refused
 * (best effort). With every target out, keys go to their own targets again
 * and nothing is moved.
 */
import type { BatchShipper } from "../batch-shipper.js";
import { EntryDroppedError } from "../receipts.js";
import type { RefusalCode } from "../refusals.js";
import type { ResolvedOptions } from "../shipper-options.js";
import type { ProbeResult, TargetProbe } from "./probe.js";
import type { OutReason, TargetHealth, TargetState } from "./target-health.js";
import type { NamedTarget } from "./target-list.js";
import { unpackMessage } from "./unpack.js";

/** How long a probe waits for its answer. */
export const PROBE_WAIT_MS = 1_000;

export interface Shard {
  readonly index: number;
  readonly target: NamedTarget;
  readonly core: BatchShipper;
  readonly health: TargetHealth;
  probe: TargetProbe | undefined;
  probing: boolean;
  nextProbeAt: number;
  /** Entries moved from it to other targets. */
  moved: number;
}

/** A target went out or came back. */
export interface TargetChange {
  readonly target: string;
  readonly state: TargetState;
  /** Why it went out; undefined when it came back. */
  readonly reason: OutReason | undefined;
}

export interface FailoverHooks {
  readonly config: ResolvedOptions;
  readonly probeIntervalMs: number;
  /** The live set changed. */
  setLive(live: readonly number[]): void;
  /** Logs an entry's JSON text again, to the target its key now goes to. */
  relog(json: string): Promise<void>;
  /** Entries that could not be read back from a message (counted, never silent). */
  unmovable(entries: number): void;
  newProbe(shard: Shard): TargetProbe;
  changed(change: TargetChange): void;
}

export class Failover {
  readonly #shards: readonly Shard[];
  readonly #hooks: FailoverHooks;
  readonly #moving = new Set<Promise<void>>();
  #closed = false;

  constructor(shards: readonly Shard[], hooks: FailoverHooks) {
    this.#shards = shards;
    this.#hooks = hooks;
  }

  /** Moves of entries not yet settled where they went. */
  get moving(): Promise<unknown> {
    return Promise.all([...this.#moving]);
  }

  get idle(): boolean {
    return this.#moving.size === 0;
  }

  /** The live indexes. */
  live(): number[] {
    return this.#shards.filter((s) => s.health.state === "live").map((s) => s.index);
  }

  /** A target reported a refusal. */
  refused(shard: Shard, code: RefusalCode): void {
    if (shard.health.refused(code)) this.#wentOut(shard);
  }

  /** Checks acknowledgements, moves what out targets still hold, starts due probes. */
  tick(): void {
    const { config } = this.#hooks;
    const now = config.clock.now();
    for (const shard of this.#shards) {
      const stats = shard.core.stats.reliable;
      if (shard.health.state === "live") {
        if (stats === undefined) continue;
        if (shard.health.check(now, stats.acked, stats.unackedBytes > 0)) this.#wentOut(shard);
        continue;
      }
      this.#moveOut(shard);
      if (!shard.probing && now >= shard.nextProbeAt) void this.#probe(shard);
    }
  }

  /** Stops moving and probing: closes the probes' sockets. */
  close(): void {
    this.#closed = true;
    for (const shard of this.#shards) {
      shard.probe?.close();
      shard.probe = undefined;
    }
  }

  #wentOut(shard: Shard): void {
    const { config, probeIntervalMs } = this.#hooks;
    shard.nextProbeAt = config.clock.now() + probeIntervalMs;
    this.#hooks.setLive(this.live());
    this.#hooks.changed({
      target: shard.target.name,
      state: "out",
      reason: shard.health.reason,
    });
    // Out of the send path that reported it: the delivery is not mid-loop then.
    queueMicrotask(() => this.#moveOut(shard));
  }

  /** Reliable delivery: logs the target's unacknowledged entries again on the live targets. */
  #moveOut(shard: Shard): void {
    if (this.#closed || shard.health.state !== "out" || !shard.core.stats.reliable) return;
    if (this.live().length === 0) return;
    for (const message of shard.core.evacuate()) {
      const entries = unpackMessage(message);
      if (entries === undefined) {
        this.#hooks.unmovable(message.entries);
        shard.core.settleMoved(message, { ok: false, reason: "encode-failed" });
        continue;
      }
      shard.moved += entries.length;
      const moved = Promise.all(entries.map((json) => this.#hooks.relog(json))).then(
        () => shard.core.settleMoved(message, { ok: true }),
        (error: unknown) =>
          shard.core.settleMoved(message, {
            ok: false,
            reason: error instanceof EntryDroppedError ? error.reason : "send-failed",
          }),
      );
      this.#moving.add(moved);
      void moved.finally(() => this.#moving.delete(moved));
    }
  }

  async #probe(shard: Shard): Promise<void> {
    shard.probing = true;
    shard.probe ??= this.#hooks.newProbe(shard);
    let result: ProbeResult;
    try {
      result = await shard.probe.probe(PROBE_WAIT_MS);
    } finally {
      shard.probing = false;
    }
    const { config, probeIntervalMs } = this.#hooks;
    const now = config.clock.now();
    shard.nextProbeAt = now + probeIntervalMs;
    if (this.#closed) return;
    const good = config.reliable === undefined ? result !== "refused" : result === "acked";
    if (!good || !shard.health.back(now)) return;
    shard.probe?.close();
    shard.probe = undefined;
    this.#hooks.setLive(this.live());
    this.#hooks.changed({ target: shard.target.name, state: "live", reason: undefined });
  }
}
