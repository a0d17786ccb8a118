/**
 * What one output did, for the summary, the stats and the metrics. Counters
 * only grow; `queued` and `spool_bytes` say what is held right now.
 */

/** One output's part of the summary's `outputs` object. */
export interface OutputSummary {
  /** Entries the destination accepted. */
  readonly entries: number;
  /** Batches the destination accepted. */
  readonly batches: number;
  /** Delivery attempts that failed and were tried again. */
  readonly retries: number;
  /** Entries written to the spool (each time one was). */
  readonly spooled: number;
  /** Entries that will never be delivered, by reason. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Delivery attempts that failed, by the sink's reason (retried or not). */
  readonly errors: Readonly<Record<string, number>>;
  /** Entries waiting now, in memory or in the spool. */
  readonly queued: number;
  /** Bytes of the spool's files now. */
  readonly spool_bytes: number;
  /** Spool files found corrupt and moved aside. */
  readonly corrupt_files: number;
}

/** Every output, by name. */
export type OutputsSummary = Readonly<Record<string, OutputSummary>>;

export class OutputCounters {
  entries = 0;
  batches = 0;
  retries = 0;
  spooled = 0;
  readonly dropped: Record<string, number> = {};
  readonly errors: Record<string, number> = {};

  error(reason: string): void {
    this.errors[reason] = (this.errors[reason] ?? 0) + 1;
  }

  drop(entries: number, reason: string): void {
    if (entries <= 0) return;
    this.dropped[reason] = (this.dropped[reason] ?? 0) + entries;
  }

  /** Entries dropped, every reason. */
  get droppedTotal(): number {
    let total = 0;
    for (const count of Object.values(this.dropped)) total += count;
    return total;
  }

  snapshot(held: { queued: number; spoolBytes: number; corruptFiles: number }): OutputSummary {
    return {
      entries: this.entries,
      batches: this.batches,
      retries: this.retries,
      spooled: this.spooled,
      dropped: { ...this.dropped },
      errors: { ...this.errors },
      queued: held.queued,
      spool_bytes: held.spoolBytes,
      corrupt_files: held.corruptFiles,
    };
  }
}
