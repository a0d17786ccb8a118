/**
 * When an offset may be written to the state file: only once every entry
 * logged before it has been sent. A checkpoint is a mark of the shipper's
 * progress (DeliveryGate.mark) taken with the offset each file's lines were
 * logged to; the offsets are committed once the gate has passed that mark.
 * The gate is the one place that says what "sent" means: today, handed to the
 * socket (or dropped, and counted in the summary); with acknowledged
 * delivery, acknowledged.
 */
import type { Reading, TailedFile } from "./tailed-file.js";

/** The shipper's progress, as the commit needs it. */
export interface DeliveryGate {
  /** A mark covering every entry logged so far. */
  mark(): number;
  /** Every entry logged before `mark` was taken has settled. */
  passed(mark: number): boolean;
}

interface Checkpoint {
  readonly mark: number;
  readonly offsets: readonly (readonly [Reading, number])[];
}

export class Checkpoints {
  private pending: Checkpoint | undefined;

  constructor(private readonly gate: DeliveryGate) {}

  /**
   * Commits the pending checkpoint once the gate has passed it, then takes
   * a new one when some file has lines logged past its committed offset.
   * True when a committed offset moved.
   */
  step(files: Iterable<TailedFile>): boolean {
    let moved = false;
    const pending = this.pending;
    if (pending !== undefined && this.gate.passed(pending.mark)) {
      for (const [reading, offset] of pending.offsets) moved = reading.commit(offset) || moved;
      this.pending = undefined;
    }
    if (this.pending === undefined) {
      const offsets = uncommitted(files);
      if (offsets.length > 0) this.pending = { mark: this.gate.mark(), offsets };
    }
    return moved;
  }

  /** Every entry logged has settled (the shipper has drained): commits what was logged. */
  commitAll(files: Iterable<TailedFile>): boolean {
    this.pending = undefined;
    let moved = false;
    for (const [reading, offset] of uncommitted(files)) moved = reading.commit(offset) || moved;
    return moved;
  }
}

/** Each file's current reading with the offset logged past its committed one. */
function uncommitted(files: Iterable<TailedFile>): (readonly [Reading, number])[] {
  const offsets: (readonly [Reading, number])[] = [];
  for (const file of files) {
    const reading = file.reading;
    if (reading.loggedTo > file.committed) offsets.push([reading, reading.loggedTo]);
  }
  return offsets;
}
