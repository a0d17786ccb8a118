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

  deliver(batch: OutputBatch): Promise<DeliveryResult> {
    const messages = batch.messages;
    if (messages.length === 1) this.#writer.writeLines(messages[0]?.entries ?? []);
    else {
      const lines: string[] = [];
      for (const message of messages) for (const entry of message.entries) lines.push(entry);
      this.#writer.writeLines(lines);
    }
    return Promise.resolve(OK);
  }

  /** Waits for the writer to write what it holds, bounded by the flush timeout. */
  async close(): Promise<void> {
    this.#flushed = await this.#writer.end(this.#flushTimeoutMs, this.#timers);
  }
}
