/**
 * When reliable delivery sends a held message again. One timer serves the
 * whole buffer: at each deadline it gives up the messages past
 * ackTimeoutMs, then
 * - while the server answers, sends again each message past its
 *   retransmission timeout (the RTO doubled for each copy already sent);
 * - once it is silent (silence.ts), sends only one probe per backed-off
 *   timeout: the message held whose latest copy is the oldest (the oldest
 *   message first), so that probes go round the buffer and one the server
 *   will not acknowledge (it keeps refusing it, short of room) does not
 *   stand for all of them.
 * An acknowledgement that ends a silence undoes the backoff: every message
 * whose latest copy went out at least one RTO before it is sent again at
 * once, paced (resend-pacer.ts). A message overtaken by FAST_RETRANSMIT_AFTER
 * acknowledged later ones is sent again at once. Once the drain at the end
 * begins (hurry()), probes stop backing off: one goes out at once and then
 * one per base timeout, so a server back within the drain is heard in time.
 */
import type { Time } from "../../foundation/time.js";
import { DeadlineTimer } from "./deadline-timer.js";
import type { ReliableStats } from "./reliable-stats.js";
import { ResendPacer } from "./resend-pacer.js";
import type { RtoEstimator } from "./rto.js";
import { Silence } from "./silence.js";
import type { HeldMessage, UnackedBuffer } from "./unacked.js";

/** Later messages acknowledged before a message is sent again without waiting for its RTO. */
export const FAST_RETRANSMIT_AFTER = 3;

export interface RetransmitterHooks {
  readonly clock: Time;
  readonly buffer: UnackedBuffer;
  readonly rto: RtoEstimator;
  readonly reliableStats: ReliableStats;
  readonly ackTimeoutMs: number;
  /** Hands a held message to the socket (again); calls scheduled(). */
  transmit(held: HeldMessage): void;
  /** Gives a held message up as `unacknowledged`. */
  giveUp(held: HeldMessage): void;
  /** After the timer's work: sends what now fits in the window. */
  pump(): void;
}

export class Retransmitter {
  readonly #h: RetransmitterHooks;
  readonly #timer: DeadlineTimer;
  readonly #silence = new Silence();
  readonly #pacer = new ResendPacer();
  /** Order of the latest message acknowledged so far. */
  #highestAcked = -1;
  /** The drain began: probes no longer back off. */
  #hurried = false;

  constructor(hooks: RetransmitterHooks) {
    this.#h = hooks;
    this.#timer = new DeadlineTimer(hooks.clock, () => this.#onTimer());
  }

  /** True while the server is taken as silent. */
  get silent(): boolean {
    return this.#silence.silent;
  }

  /** An acknowledgement arrived; true when it ended a silence (pass it to afterAck). */
  heard(now: number): boolean {
    return this.#silence.heard(now);
  }

  /** A held message was acknowledged (taken out of the buffer). */
  acked(held: HeldMessage): void {
    this.#pacer.settled(held, true);
    this.#highestAcked = Math.max(this.#highestAcked, held.order);
  }

  /** A held message was given up or taken out unsettled. */
  gaveUp(held: HeldMessage): void {
    this.#pacer.settled(held, false);
  }

  /** After an acknowledgement's messages were taken out: recovery, fast retransmit, pacing. */
  afterAck(now: number, revived: boolean): void {
    if (revived) this.#recover(now);
    this.#fastRetransmit();
    this.#sendPaced();
  }

  /** `held` was just sent: the timer covers its timeout and its give-up. */
  scheduled(held: HeldMessage): void {
    this.#timer.arm(Math.min(held.retransmitAt, held.firstSentAt + this.#h.ackTimeoutMs));
  }

  /**
   * The drain began: while silent, probes at once and then once per base
   * timeout instead of per backed-off one (at most the 10 s cap apart), so
   * the drain's time is not spent waiting for a probe that is due later.
   */
  hurry(): void {
    this.#hurried = true;
    if (!this.#silence.silent) return;
    this.#silence.due(this.#h.clock.now());
    this.#armNext();
  }

  /** The buffer was emptied: forgets the silence and the pacing. */
  reset(): void {
    this.#pacer.reset();
    this.#silence.end();
  }

  /** Stops the timer. */
  close(): void {
    this.#timer.clear();
  }
  /**
   * The server answers after a silence: every message whose latest copy
   * went out at least one (base) RTO ago was lost with the others and is
   * sent again, paced, its backoff undone. Its new copy is the first of a
   * new epoch, so its acknowledgement is taken as a round-trip sample.
   */
  #recover(now: number): void {
    const base = this.#h.rto.forRetransmit(0);
    const since = now - base;
    const backlog: HeldMessage[] = [];
    for (const held of this.#h.buffer.held()) {
      if (held.lastSentAt > since) {
        // Left queued by an earlier recovery: its timeout counts again.
        if (held.retransmitAt === Number.POSITIVE_INFINITY)
          held.retransmitAt = held.lastSentAt + base;
        continue;
      }
      held.epochSends = 0;
      held.fastRetransmitted = false;
      held.retransmitAt = Number.POSITIVE_INFINITY;
      backlog.push(held);
    }
    this.#pacer.start(backlog);
    // The probe acknowledged was sent before the backlog's new copies: it overtakes none of them.
    this.#highestAcked = -1;
    // Deadlines ignored while silent (later messages' timeouts) count again.
    this.#armNext();
  }

  /** Sends what the pacer lets go now. */
  #sendPaced(): void {
    const out = this.#pacer.take((held) => this.#h.buffer.get(held.seq) === held);
    this.#h.reliableStats.retransmits += out.length;
    for (const held of out) this.#h.transmit(held);
  }

  /**
   * Sends again, once and at once, each message sent once that
   * FAST_RETRANSMIT_AFTER later messages overtook (TCP's fast retransmit
   * with selective acknowledgements): it was lost, not merely late.
   */
  #fastRetransmit(): void {
    const again = this.#h.buffer.overtaken(this.#highestAcked - FAST_RETRANSMIT_AFTER);
    this.#h.reliableStats.retransmits += again.length;
    for (const held of again) {
      held.fastRetransmitted = true;
      this.#pacer.lost(held);
      this.#h.transmit(held);
    }
  }

  /**
   * Gives up messages past ackTimeoutMs; then, while the path answers, sends
   * again those past their timeout (one backoff each), and while it is
   * silent, one probe when due.
   */
  #onTimer(): void {
    const now = this.#h.clock.now();
    const due = this.#expire(now);
    if (this.#h.buffer.heldCount === 0) this.#silence.end();
    if (!this.#silence.silent && due.some((held) => this.#silence.unanswered(held))) {
      this.#silence.begin(now);
      this.#pacer.reset();
    }
    if (this.#silence.silent) this.#probe(now);
    else this.#resend(due);
    this.#armNext();
    this.#sendPaced();
    this.#h.pump();
  }

  /** Drops the messages past ackTimeoutMs; returns those past their timeout, not queued. */
  #expire(now: number): HeldMessage[] {
    const due: HeldMessage[] = [];
    for (const held of [...this.#h.buffer.held()]) {
      if (now >= held.firstSentAt + this.#h.ackTimeoutMs) this.#h.giveUp(held);
      else if (now >= held.retransmitAt && !held.queued) due.push(held);
    }
    return due;
  }

  #resend(due: readonly HeldMessage[]): void {
    this.#h.reliableStats.retransmits += due.length;
    for (const held of due) {
      this.#pacer.lost(held);
      this.#h.transmit(held);
    }
  }

  /** Sends the silence's probe when one is due: the held message sent longest ago. */
  #probe(now: number): void {
    if (now < this.#silence.probeAt) return;
    let probe: HeldMessage | undefined;
    for (const held of this.#h.buffer.held()) {
      if (probe === undefined || held.lastSentAt < probe.lastSentAt) probe = held;
    }
    if (probe === undefined) return;
    this.#h.reliableStats.retransmits += 1;
    this.#h.transmit(probe);
    this.#silence.probed(now, (probes) => this.#h.rto.forRetransmit(this.#hurried ? 0 : probes));
  }

  /** Arms the timer for the next deadline: a timeout, a give-up or a probe. */
  #armNext(): void {
    const silent = this.#silence.silent;
    let next = this.#silence.probeAt;
    for (const held of this.#h.buffer.held()) {
      next = Math.min(next, held.firstSentAt + this.#h.ackTimeoutMs);
      if (!silent) next = Math.min(next, held.retransmitAt);
    }
    if (next < Number.POSITIVE_INFINITY) this.#timer.arm(next);
  }
}
