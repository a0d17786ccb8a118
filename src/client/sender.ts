/**
 * Sends messages (one or more datagrams each) over a Connection with retries,
 * and keeps every message in flight as a promise so close() can wait for them
 * without polling. A message is all-or-nothing for accounting: its entries
 * count as sent when every datagram went out, as dropped otherwise.
 */
import type { Time } from "../foundation/time.js";
import type { Connection } from "./connection.js";
import { refusalCode } from "./refusals.js";
import { delayMs, isRetryable, RetryTimers, settledWithin } from "./retry.js";

export type SendFailure = "send-failed" | "emsgsize" | "shutdown-timeout" | "target-refused";

export type MessageOutcome =
  | {
      readonly ok: true /** From the first send attempt until the last datagram went out. */;
      readonly ms: number;
    }
  | { readonly ok: false; readonly reason: SendFailure };

/** Counters the sender reports to as it goes. */
export interface SendStats {
  /** A datagram the socket accepted. */
  datagram(bytes: number): void;
  /** A failed attempt, retried or not; `code` is the errno code when there is one. */
  sendError(code: string | undefined): void;
  /** A new attempt after a failed one. */
  retry(): void;
}

export interface SenderOptions {
  connection: Connection;
  /** Tries after the first failed one, per datagram; 0 = no retry. */
  maxRetries: number;
  clock: Time;
  random: () => number;
  stats: SendStats;
}

interface Job {
  readonly promise: Promise<void>;
  settle(outcome: MessageOutcome): void;
  settled: boolean;
  /** A datagram of it failed with a refusal (ECONNREFUSED and the like) and waits to be sent again. */
  refused: boolean;
}

export class Sender {
  readonly #options: SenderOptions;
  readonly #timers: RetryTimers;
  readonly #jobs = new Set<Job>();

  constructor(options: SenderOptions) {
    this.#options = options;
    this.#timers = new RetryTimers(options.clock);
  }

  /** Messages handed over and not yet settled. */
  get inFlight(): number {
    return this.#jobs.size;
  }

  /**
   * Starts sending the datagrams of one message (each handed to the socket at
   * once, in order, when connected); `onSettled` is called exactly once.
   */
  send(datagrams: readonly Uint8Array[], onSettled: (outcome: MessageOutcome) => void): void {
    let settle!: (outcome: MessageOutcome) => void;
    const promise = new Promise<void>((resolve) => {
      settle = (outcome) => {
        if (job.settled) return;
        job.settled = true;
        this.#jobs.delete(job);
        onSettled(outcome);
        resolve();
      };
    });
    const job: Job = { promise, settle, settled: false, refused: false };
    this.#jobs.add(job);
    const started = this.#options.clock.now();
    const tries = datagrams.map((datagram) => this.#sendWithRetries(datagram, job));
    void Promise.all(tries).then((failures) => {
      const failure = failures.find((reason) => reason !== undefined);
      job.settle(
        failure === undefined
          ? { ok: true, ms: this.#options.clock.now() - started }
          : { ok: false, reason: failure },
      );
    });
  }

  /** Resolves when every message handed over so far has settled. */
  async settled(): Promise<void> {
    await Promise.all([...this.#jobs].map((job) => job.promise));
  }

  /**
   * Waits up to `timeoutMs` for every message in flight; then cancels pending
   * retries and settles what is left as "shutdown-timeout". Resolves true
   * when everything settled in time. `untilRefused`: a message waiting to
   * be sent again after a refusal, or a refusal reported meanwhile (the
   * target bounced a datagram), ends the wait at once, what is left
   * settled as "target-refused".
   */
  async drain(timeoutMs: number, untilRefused = false): Promise<boolean> {
    if (this.#jobs.size === 0) return true;
    if (untilRefused && [...this.#jobs].some((job) => job.refused)) {
      this.#giveUp("target-refused");
      return true;
    }
    const stop = untilRefused
      ? this.#options.connection.onRefusal(() => this.#giveUp("target-refused"))
      : undefined;
    const drained = await settledWithin(this.#options.clock, this.settled(), timeoutMs);
    stop?.();
    if (!drained) this.#giveUp("shutdown-timeout");
    return drained;
  }

  #giveUp(reason: SendFailure): void {
    this.#timers.cancelAll();
    for (const job of [...this.#jobs]) job.settle({ ok: false, reason });
  }

  async #sendWithRetries(datagram: Uint8Array, job: Job): Promise<SendFailure | undefined> {
    const { connection, maxRetries, random, stats } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.send(datagram);
        stats.datagram(datagram.byteLength);
        return undefined;
      } catch (error) {
        const code = errorCode(error);
        stats.sendError(code);
        if (code === "EMSGSIZE") return "emsgsize";
        if (!isRetryable(code) || attempt >= maxRetries || job.settled) return "send-failed";
        if (refusalCode(code) !== undefined) job.refused = true;
        stats.retry();
        if (!(await this.#timers.wait(delayMs(attempt, random)))) return "shutdown-timeout";
      }
    }
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    if (typeof code === "string") return code;
  }
  return undefined;
}
