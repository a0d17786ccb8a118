/**
 * Every accepted message goes to every output: it gets its id (ids.ts) and
 * the static fields, then each output's pipeline takes it. Closing drains
 * the outputs side by side.
 */
import type { DecodeOutcome } from "../../wire/types.js";
import { addFields, type StaticFields } from "./fields.js";
import type { MessageIds } from "./ids.js";
import type { OutputsSummary } from "./output-stats.js";
import type { DrainEnd, OutputPipeline } from "./pipeline.js";
import { fanOutReceipt } from "./receipts.js";

export class OutputSet {
  readonly pipelines: readonly OutputPipeline[];
  readonly #ids: MessageIds;
  #fields: StaticFields;

  constructor(pipelines: readonly OutputPipeline[], ids: MessageIds, fields: StaticFields = []) {
    this.pipelines = pipelines;
    this.#ids = ids;
    this.#fields = fields;
  }

  /** Static fields for the entries accepted from now on. */
  set fields(fields: StaticFields) {
    this.#fields = fields;
  }

  start(): void {
    for (const pipeline of this.pipelines) pipeline.start();
  }

  /**
   * Hands the entries of one decoded message to every output. `settled`,
   * when given, is told once whether every output accepted the message (at
   * once, true, when it has no entries).
   */
  accept(
    outcome: Pick<DecodeOutcome, "entries" | "stream" | "seq">,
    settled?: (accepted: boolean) => void,
  ): void {
    if (outcome.entries.length === 0) {
      settled?.(true);
      return;
    }
    const id = this.#ids.of(outcome);
    const entries = addFields(outcome.entries, this.#fields);
    const message =
      settled === undefined
        ? { id, entries }
        : { id, entries, receipt: fanOutReceipt(this.pipelines.length, settled) };
    for (const pipeline of this.pipelines) pipeline.write(message);
  }

  summary(): OutputsSummary {
    const outputs: Record<string, ReturnType<OutputPipeline["summary"]>> = {};
    for (const pipeline of this.pipelines) outputs[pipeline.name] = pipeline.summary();
    return outputs;
  }

  /** Entries dropped by every output, each output counted apart. */
  get dropped(): number {
    let total = 0;
    for (const pipeline of this.pipelines) total += pipeline.counters.droppedTotal;
    return total;
  }

  /** Memory charged for batches waiting, every output. */
  get queuedBytes(): number {
    let total = 0;
    for (const pipeline of this.pipelines) total += pipeline.queuedBytes;
    return total;
  }

  /** Drains every output side by side, each bounded by `timeoutMs`. */
  async close(timeoutMs: number): Promise<ReadonlyMap<string, DrainEnd>> {
    const ends = await Promise.all(this.pipelines.map((p) => p.close(timeoutMs)));
    return new Map(this.pipelines.map((p, i) => [p.name, ends[i] ?? "delivered"]));
  }

  async reopen(): Promise<void> {
    await Promise.all(this.pipelines.map((p) => p.reopen()));
  }
}
