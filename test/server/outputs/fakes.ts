/** A sink the tests script: each deliver answers the next scripted result, or waits. */
import type { DeliveryResult, OutputBatch, Sink } from "../../../src/server/outputs/types.js";

export class FakeSink implements Sink {
  readonly name: string;
  readonly delivered: OutputBatch[] = [];
  readonly attempts: OutputBatch[] = [];
  /** Results to answer, in order; when empty, ok. */
  readonly script: DeliveryResult[] = [];
  /** While set, deliver waits until release() is called. */
  hold = false;
  #release: (() => void)[] = [];
  closed = false;
  reopened = 0;

  constructor(name = "fake") {
    this.name = name;
  }

  async deliver(batch: OutputBatch, signal: AbortSignal): Promise<DeliveryResult> {
    this.attempts.push(batch);
    if (this.hold) {
      await new Promise<void>((resolve) => {
        this.#release.push(resolve);
        signal.addEventListener("abort", () => resolve());
      });
      if (signal.aborted) return { ok: false, retry: true, reason: "aborted" };
    }
    const result = this.script.shift() ?? { ok: true };
    if (result.ok) this.delivered.push(batch);
    return result;
  }

  release(): void {
    this.hold = false;
    for (const resolve of this.#release.splice(0)) resolve();
  }

  async reopen(): Promise<void> {
    this.reopened++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Every entry delivered, in order. */
  entries(): string[] {
    return this.delivered.flatMap((batch) => batch.messages.flatMap((m) => [...m.entries]));
  }
}

export const down = (reason = "connect", retryAfterMs?: number): DeliveryResult => ({
  ok: false,
  retry: true,
  reason,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

export const refused = (reason = "http-400"): DeliveryResult => ({
  ok: false,
  retry: false,
  reason,
});

/** A message of `n` entries `{"i":k}` under `id`. */
export function message(id: string, n = 1, start = 0) {
  return { id, entries: Array.from({ length: n }, (_, k) => `{"i":${start + k}}`) };
}
