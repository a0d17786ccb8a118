/**
 * `stdout`: entries as lines through the OutputWriter (../output.ts), NDJSON
 * or pretty. A batch is accepted once handed to the writer, which holds it
 * (bounded by its own memory bound) while the reader is slow; what the writer
 * cannot write is counted in the summary's `output_dropped`, as it always
 * was, not as this output's drops.
 */
import type { Timers } from "../../foundation/time.js";
import type { OutputWriter } from "../output.js";
import type { DeliveryResult, OutputBatch, Sink } from "./types.js";

const OK: DeliveryResult = Object.freeze({ ok: true });

export class StdoutSink implements Sink {
  readonly name = "stdout";
  readonly #writer: OutputWriter;
  readonly #flushTimeoutMs: number;
  readonly #timers: Timers;
  #flushed = true;

  constructor(writer: OutputWriter, flushTimeoutMs: number, timers: Timers) {
    this.#writer = writer;
    this.#flushTimeoutMs = flushTimeoutMs;
    this.#timers = timers;
  }

  get writer(): OutputWriter {
    return this.#writer;
  }

  /** False when close() gave up waiting for the writer. */
  get flushed(): boolean {
    return this.#flushed;
  }

  /**
   * Hands the batch to the writer, which writes it now: a batch is already
   * what one event-loop turn gathered (or a bound or the flush level sealed
   * it). When a message of it asked for an acknowledgement, the result's
   * `accepted` resolves once the writer's write of its lines completed.
   */
  deliver(batch: OutputBatch): Promise<DeliveryResult> {
    const messages = batch.messages;
    let lines: readonly string[];
    if (messages.length === 1) lines = messages[0]?.entries ?? [];
    else {
      const all: string[] = [];
      for (const message of messages) for (const entry of message.entries) all.push(entry);
      lines = all;
    }
    if (!messages.some((message) => message.receipt !== undefined)) {
      this.#writer.writeLines(lines);
      this.#writer.flush();
      return Promise.resolve(OK);
    }
    const accepted = new Promise<boolean>((resolve) => this.#writer.writeLines(lines, resolve));
    this.#writer.flush();
    return Promise.resolve({ ok: true, accepted });
  }

  /** Waits for the writer to write what it holds, bounded by the flush timeout. */
  async close(): Promise<void> {
    this.#flushed = await this.#writer.end(this.#flushTimeoutMs, this.#timers);
  }
}
