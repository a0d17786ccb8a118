/**
 * A `--follow` run: the state file loaded, the Follower reading, its offsets
 * committed (Checkpoints) and the state written every COMMIT_INTERVAL_MS when
 * it changed, and once more at the end, after the shipper has drained.
 */
import type { TimerHandle } from "../../../../foundation/time.js";
import type { ChunkLines } from "../lines.js";
import { Checkpoints, type DeliveryGate } from "./checkpoints.js";
import { noFollowStats } from "./discovery.js";
import { Follower, type FollowerOptions, type FollowStats } from "./follower.js";
import { loadState, saveState } from "./state-store.js";

/** How often committed offsets are written to the state file (when they changed). */
export const COMMIT_INTERVAL_MS = 1000;

export interface FollowSessionOptions extends Omit<FollowerOptions, "records"> {
  /** The state file; undefined: no state is read or written. */
  readonly statePath: string | undefined;
  readonly gate: DeliveryGate;
  readonly commitIntervalMs?: number;
}

/** The `input` counters of a follow run. */
export interface FollowSessionStats extends FollowStats {
  /** Writes of the state file that failed (each retried at the next commit). */
  state_errors: number;
}

/** The session's own counters before any write of the state file. */
function noSessionCounters(): Pick<FollowSessionStats, "state_errors"> {
  return { state_errors: 0 };
}

/** The counters of a session before any file was read. */
export function noFollowSessionStats(): FollowSessionStats {
  return { ...noFollowStats(), ...noSessionCounters() };
}

export class FollowSession {
  readonly stats: FollowSessionStats;
  private readonly checkpoints: Checkpoints;
  private readonly timer: TimerHandle;
  private saving: Promise<void> | undefined;
  /** A write failed: the next commit writes even if nothing changed. */
  private unsaved = false;
  private lastError = "";

  private constructor(
    private readonly options: FollowSessionOptions,
    private readonly follower: Follower,
  ) {
    this.stats = Object.assign(follower.stats, noSessionCounters());
    this.checkpoints = new Checkpoints(options.gate);
    const every = options.commitIntervalMs ?? COMMIT_INTERVAL_MS;
    this.timer = options.time.setInterval(() => this.commit(), every);
    this.timer.unref?.();
  }

  /** Loads the state file (a bad one: one notice, and it is replaced at the next write). */
  static async open(options: FollowSessionOptions): Promise<FollowSession> {
    const path = options.statePath;
    const state = path === undefined ? undefined : await loadState(path);
    if (state?.problem !== undefined) {
      options.onNotice(`state file ${path}: ${state.problem}; files without a record start anew`);
    }
    const follower = new Follower({ ...options, records: state?.records ?? [] });
    return new FollowSession(options, follower);
  }

  chunks(): AsyncGenerator<ChunkLines, void, undefined> {
    return this.follower.chunks();
  }

  /** Resolves once the state write in progress, if any, has ended. */
  async saved(): Promise<void> {
    await this.saving;
  }

  /** Stops reading (a signal): chunks() ends. */
  close(): void {
    this.follower.close();
  }

  /**
   * After the shipper has drained: commits every offset logged, writes the
   * state and closes the files.
   */
  async finish(): Promise<void> {
    this.follower.close();
    this.options.time.clearInterval(this.timer);
    await this.saving;
    this.checkpoints.commitAll(this.follower.files());
    await this.save();
    await this.follower.dispose();
  }

  private commit(): void {
    if (this.saving !== undefined) return;
    const moved = this.checkpoints.step(this.follower.files());
    const changed = this.follower.takeChanged() || moved || this.unsaved;
    if (!changed) return;
    this.saving = this.save().finally(() => {
      this.saving = undefined;
    });
  }

  private async save(): Promise<void> {
    const path = this.options.statePath;
    if (path === undefined) return;
    try {
      await saveState(path, this.follower.records());
      this.unsaved = false;
    } catch (error) {
      this.unsaved = true;
      this.stats.state_errors++;
      const message = (error as Error).message;
      if (message !== this.lastError) this.options.onNotice(`cannot write state file: ${message}`);
      this.lastError = message;
    }
  }
}

/** What a follow run needs from the shipper: its counters. */
export interface ShipperCounters {
  summary(): { entries: number; sent: number; dropped: number };
  /** Entries, from the first logged, that have all settled (see Shipper). */
  settledEntries?(): number;
}

/**
 * The gate of a shipper: a mark is the count of entries logged, passed once
 * every entry up to it has settled: acknowledged with `--reliable`, handed
 * to the socket otherwise, or dropped (and counted). A message being
 * retried holds the gate even when later ones were acknowledged first.
 */
export function shipperGate(shipper: ShipperCounters): DeliveryGate {
  return {
    mark: () => shipper.summary().entries,
    passed: (mark) => {
      if (shipper.settledEntries !== undefined) return shipper.settledEntries() >= mark;
      const summary = shipper.summary();
      return summary.sent + summary.dropped >= mark;
    },
  };
}
