/**
 * The server's side of reliable delivery (PROTOCOL.md section 6). For each
 * datagram that asked for an acknowledgement and whose stream and seq are
 * trusted, the acker credits its source's budget and decides:
 *
 * - a message handed to the outputs is in flight; once every output has
 *   accepted it, it is acknowledged; when one did not (no room), it is
 *   refused: never acknowledged, and a copy sent again is taken as new;
 * - a message rejected for a reason sending it again cannot cure is
 *   acknowledged at once;
 * - a duplicate of an acknowledged message is acknowledged again; one of a
 *   message in flight is acknowledged when the message is accepted;
 * - a fragment waiting for the others, and a message rejected `bad-fragment`
 *   or `internal-error`, is not acknowledged.
 *
 * It remembers the streams the sequence tracker does: for 10 minutes
 * after their last datagram, 10,000 at most.
 */
import type { Clock, Timers } from "../../foundation/time.js";
import { MAX_STREAMS, STREAM_IDLE_MS } from "../../wire/constants.js";
import type { RejectReason } from "../../wire/reasons.js";
import type { DecodeOutcome } from "../../wire/types.js";
import type { Endpoint } from "../receiver.js";
import { AckBudget } from "./ack-budget.js";
import { type AckCounts, AckSender, type AckStream, sourceKey } from "./ack-sender.js";
import { SeqStates } from "./seq-states.js";

/** Streams remembered at once (as the sequence tracker). */
export const MAX_ACK_STREAMS = MAX_STREAMS;

/** Rejections after the seq is trusted that sending the message again cannot cure. */
const FINAL_REJECTS: ReadonlySet<RejectReason> = new Set<RejectReason>([
  "too-large",
  "invalid-json",
  "invalid-compression",
  "too-deep",
  "too-many-entries",
  "too-many-fields",
]);

interface StreamAcks extends AckStream {
  readonly hex: string;
  readonly states: SeqStates;
  heardAt: number;
}

export interface AckerOptions {
  readonly timers: Timers;
  readonly now: Clock;
  readonly send: (datagram: Uint8Array, to: Endpoint, done: (sent: boolean) => void) => void;
  /** The server's keys; acknowledgements are signed with the first. */
  readonly keys?: readonly Uint8Array[] | undefined;
  readonly intervalMs?: number;
  readonly idleMs?: number;
  readonly maxStreams?: number;
}

export class Acker {
  readonly #streams = new Map<string, StreamAcks>();
  readonly #budget: AckBudget;
  readonly #sender: AckSender;
  readonly #now: Clock;
  readonly #idleMs: number;
  readonly #maxStreams: number;
  #key: Uint8Array | undefined;

  constructor(options: AckerOptions) {
    this.#now = options.now;
    this.#idleMs = options.idleMs ?? STREAM_IDLE_MS;
    this.#maxStreams = options.maxStreams ?? MAX_ACK_STREAMS;
    this.#budget = new AckBudget(options.now, this.#idleMs, this.#maxStreams);
    this.setKeys(options.keys ?? []);
    this.#sender = new AckSender({
      timers: options.timers,
      now: options.now,
      budget: this.#budget,
      send: options.send,
      key: () => this.#key,
      ...(options.intervalMs === undefined ? {} : { intervalMs: options.intervalMs }),
    });
  }

  get counts(): Readonly<AckCounts> {
    return this.#sender.counts;
  }

  /** Streams remembered now. */
  get streams(): number {
    return this.#streams.size;
  }

  setKeys(keys: readonly Uint8Array[]): void {
    this.#key = keys[0];
  }

  /**
   * One decoded datagram of `bytes` from `from`. Answers the callback the
   * outputs settle when the message is to be acknowledged once accepted;
   * undefined when there is nothing to wait for.
   */
  observe(
    outcome: DecodeOutcome,
    from: Endpoint,
    bytes: number,
  ): ((accepted: boolean) => void) | undefined {
    const asked = outcome.ackRequested;
    if (asked === undefined) return undefined;
    this.#budget.credit(sourceKey(from), bytes);
    const s = this.#stream(asked.stream);
    const seq = asked.seq;
    if (outcome.pending) return undefined;
    if (outcome.duplicate) {
      if (s.states.get(seq) === "accepted") this.#sender.add(s, seq, from);
      return undefined;
    }
    if (outcome.rejected !== undefined) {
      if (!FINAL_REJECTS.has(outcome.rejected)) return undefined;
      this.#accepted(s, seq, from);
      return undefined;
    }
    s.states.set(seq, "in-flight");
    return (accepted) => {
      if (accepted) this.#accepted(s, seq, from);
      else if (s.states.get(seq) === "in-flight") s.states.set(seq, "refused");
    };
  }

  /** For the decoder: a duplicate of a refused message is taken as new. */
  redeliver(stream: string, seq: number): boolean {
    return this.#streams.get(stream)?.states.get(seq) === "refused";
  }

  /** `seq` of `s` was accepted: it is acknowledged to `from`, the source of its message. */
  #accepted(s: StreamAcks, seq: number, from: Endpoint): void {
    s.states.set(seq, "accepted");
    if (this.#streams.get(s.hex) === s) this.#sender.add(s, seq, from);
  }

  #stream(hex: string): StreamAcks {
    let s = this.#streams.get(hex);
    if (s !== undefined) this.#streams.delete(hex);
    else {
      if (this.#streams.size >= this.#maxStreams) {
        const oldest = this.#streams.values().next().value;
        if (oldest !== undefined) this.#forget(oldest);
      }
      s = {
        hex,
        stream: Buffer.from(hex, "hex"),
        waiting: new Map(),
        timer: undefined,
        lastSentAt: Number.NEGATIVE_INFINITY,
        states: new SeqStates(),
        heardAt: 0,
      };
    }
    s.heardAt = this.#now();
    this.#streams.set(hex, s);
    return s;
  }

  #forget(s: StreamAcks): void {
    this.#sender.cancel(s);
    this.#streams.delete(s.hex);
  }

  /** Forgets streams and sources idle for 10 minutes. */
  sweep(): void {
    const now = this.#now();
    for (const s of this.#streams.values()) {
      if (now - s.heardAt < this.#idleMs) break;
      this.#forget(s);
    }
    this.#budget.sweep();
  }

  /** Sends every acknowledgement waiting, now (before the socket closes). */
  flush(): void {
    for (const s of this.#streams.values()) this.#sender.flush(s);
  }
}
