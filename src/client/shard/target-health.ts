/**
 * Whether one target of a sharding client is in or out, and why. A live
 * target is taken out when it refuses a datagram (ICMP port, host or network
 * unreachable), or, with reliable delivery, when messages have been waiting
 * for an acknowledgement and none came for `silenceMs`. An out target comes
 * back when a probe succeeds. Pure: the caller says what time it is.
 */
import type { RefusalCode } from "../refusals.js";

/** Default time without any acknowledgement, messages outstanding, before a target is taken out. */
export const DEFAULT_ACK_SILENCE_MS = 5_000;
/** Default time between two probes of a target that is out. */
export const DEFAULT_PROBE_INTERVAL_MS = 2_000;

export type TargetState = "live" | "out";

/** Why a target was taken out: a refusal's errno code, or `unacknowledged`. */
export type OutReason = RefusalCode | "unacknowledged";

export class TargetHealth {
  readonly #silenceMs: number;
  #state: TargetState = "live";
  #reason: OutReason | undefined;
  /** Acknowledgements counted when progress was last seen. */
  #acked = 0;
  /** When an acknowledgement last came, or nothing was outstanding. */
  #progressAt: number;
  /** Times taken out. */
  outages = 0;

  constructor(now: number, silenceMs: number = DEFAULT_ACK_SILENCE_MS) {
    this.#silenceMs = silenceMs;
    this.#progressAt = now;
  }

  get state(): TargetState {
    return this.#state;
  }

  /** Why it is out; undefined while live. */
  get reason(): OutReason | undefined {
    return this.#reason;
  }

  /** A refusal was reported; true when it takes the target out. */
  refused(code: RefusalCode): boolean {
    return this.#takeOut(code);
  }

  /**
   * Reliable delivery's progress: `acked` messages acknowledged so far,
   * `outstanding` true while messages wait for one. True when the silence
   * takes the target out.
   */
  check(now: number, acked: number, outstanding: boolean): boolean {
    if (acked !== this.#acked || !outstanding) {
      this.#acked = acked;
      this.#progressAt = now;
      return false;
    }
    return now - this.#progressAt >= this.#silenceMs && this.#takeOut("unacknowledged");
  }

  /** A probe succeeded: live again, the silence counted from `now`. True when it was out. */
  back(now: number): boolean {
    if (this.#state === "live") return false;
    this.#state = "live";
    this.#reason = undefined;
    this.#progressAt = now;
    return true;
  }

  #takeOut(reason: OutReason): boolean {
    if (this.#state === "out") return false;
    this.#state = "out";
    this.#reason = reason;
    this.outages += 1;
    return true;
  }
}
