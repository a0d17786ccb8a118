/**
 * Per-message acceptance (PROTOCOL.md section 6): a message that asked for
 * an acknowledgement carries a Receipt, and every output settles it once,
 * when the batch holding it is stored (written, delivered, or spooled) or
 * dropped. The fan-out's receipt settles its caller's once every output has
 * accepted, or as soon as one has not.
 */
import type { OutputBatch, Receipt } from "./types.js";

/** A Receipt that waits for `outputs` acceptances; one refusal settles it false. */
export function fanOutReceipt(outputs: number, settled: (accepted: boolean) => void): Receipt {
  let left = outputs;
  let done = outputs <= 0;
  if (done) settled(true);
  return {
    settle(accepted) {
      if (done) return;
      if (accepted && --left > 0) return;
      done = true;
      settled(accepted);
    },
  };
}

/** One output's side: settles the receipts of a batch's messages, once per batch. */
export class BatchReceipts {
  readonly #settled = new WeakSet<OutputBatch>();

  settle(batch: OutputBatch | undefined, accepted: boolean): void {
    if (batch === undefined || this.#settled.has(batch)) return;
    let tracked = false;
    for (const message of batch.messages) {
      if (message.receipt === undefined) continue;
      if (!tracked) {
        tracked = true;
        this.#settled.add(batch);
      }
      message.receipt.settle(accepted);
    }
  }
}
