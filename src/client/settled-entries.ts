/**
 * How many entries, counted from the first logged, have all settled:
 * acknowledged (reliable) or sent (best effort), or dropped. It is the
 * number of the oldest entry still unsettled, so a commit of input offsets
 * (`--follow`) up to it never runs ahead of an entry being retried, even
 * when later messages were acknowledged first. Entries are followed by the
 * batch that took them: a batch settles when every message it was encoded
 * into has a fate; an entry dropped before any batch settles with the next
 * batch gathering, or with the newest pending one (at once when nothing is
 * pending), which only makes the count lag, never lead.
 */
import type { EncodedMessage, EncodeResult } from "../wire/index.js";

interface Group {
  /** Entries this batch stands for: its own plus drops logged around it. */
  entries: number;
  /** Messages not yet settled; undefined until the batch is encoded. */
  pending: number | undefined;
}

export class SettledEntries {
  #settled = 0;
  /** Entries dropped while something older was pending: they wait for the next batch. */
  #loose = 0;
  /** Batches not settled, oldest first; the head may be settled until advanced. */
  #groups: Group[] = [];
  #head = 0;
  /** The first group not yet encoded. */
  #unencoded = 0;
  readonly #byMessage = new WeakMap<EncodedMessage, Group>();

  /** Entries, from the first logged, that have all settled. */
  get count(): number {
    return this.#settled;
  }

  /** `entries` were dropped before reaching a batch; `batcherEmpty`: none are gathering. */
  dropped(entries: number, batcherEmpty: boolean): void {
    if (!batcherEmpty) this.#loose += entries;
    else if (this.#head === this.#groups.length) this.#settled += entries;
    else (this.#groups[this.#groups.length - 1] as Group).entries += entries;
  }

  /** A batch of `entries` left the batcher. */
  batch(entries: number): void {
    this.#groups.push({ entries: entries + this.#loose, pending: undefined });
    this.#loose = 0;
  }

  /** The oldest batch not yet encoded was encoded into these messages. */
  encoded(result: EncodeResult): void {
    const group = this.#groups[this.#unencoded++];
    if (group === undefined) return;
    group.pending = result.messages.length;
    for (const message of result.messages) this.#byMessage.set(message, group);
    this.#advance();
  }

  /** The oldest batch not yet encoded was dropped whole. */
  encodeDropped(): void {
    const group = this.#groups[this.#unencoded++];
    if (group === undefined) return;
    group.pending = 0;
    this.#advance();
  }

  /** A message was acknowledged, sent or dropped. */
  message(message: EncodedMessage): void {
    const group = this.#byMessage.get(message);
    if (group === undefined || group.pending === undefined) return;
    this.#byMessage.delete(message);
    group.pending -= 1;
    this.#advance();
  }

  #advance(): void {
    let group = this.#groups[this.#head];
    while (group !== undefined && group.pending === 0) {
      this.#settled += group.entries;
      this.#head += 1;
      group = this.#groups[this.#head];
    }
    if (this.#head > 1024 && this.#head * 2 > this.#groups.length) {
      this.#groups = this.#groups.slice(this.#head);
      this.#unencoded -= this.#head;
      this.#head = 0;
    }
  }
}
