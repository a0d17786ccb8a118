/**
 * Whether the server answers. The path is silent once a message falls due
 * for sending again and no acknowledgement of any kind arrived since its
 * latest copy went out: a whole retransmission timeout without an answer
 * says the server is down, restarting or cut off, not that one datagram was
 * lost. While silent, reliable delivery sends one probe per timeout, the
 * oldest message held, the timeout doubling up to the cap (TCP's RTO
 * backoff, RFC 6298 5.5; QUIC's probe timeout, RFC 9002 6.2), instead of
 * every message of the window each on its own backed-off timer. The first
 * acknowledgement ends the silence: the server is back, and what went out
 * before is sent again at once, paced (resend-pacer.ts). Pure: the caller
 * says what time it is.
 */
import type { HeldMessage } from "./unacked.js";

export class Silence {
  #lastAckAt = Number.NEGATIVE_INFINITY;
  #silent = false;
  #probes = 0;
  #probeAt = Number.POSITIVE_INFINITY;

  get silent(): boolean {
    return this.#silent;
  }

  /** When the next probe is due; infinite when not silent. */
  get probeAt(): number {
    return this.#probeAt;
  }

  /** Probes sent in this silence. */
  get probes(): number {
    return this.#probes;
  }

  /** An acknowledgement arrived; true when it ended a silence. */
  heard(now: number): boolean {
    this.#lastAckAt = now;
    if (!this.#silent) return false;
    this.end();
    return true;
  }

  /** True when no acknowledgement arrived since `held`'s latest copy went out. */
  unanswered(held: HeldMessage): boolean {
    return held.lastSentAt >= this.#lastAckAt;
  }

  /** The silence starts: the first probe is due at once. */
  begin(now: number): void {
    this.#silent = true;
    this.#probes = 0;
    this.#probeAt = now;
  }

  /** A probe went out now; the next one is due `delayMs(probes so far)` later. */
  probed(now: number, delayMs: (probes: number) => number): void {
    this.#probes += 1;
    this.#probeAt = now + delayMs(this.#probes);
  }

  /** While silent: the next probe is due now (the drain began). */
  due(now: number): void {
    if (this.#silent) this.#probeAt = Math.min(this.#probeAt, now);
  }

  /** No longer silent, without an answer (nothing is left to probe). */
  end(): void {
    this.#silent = false;
    this.#probes = 0;
    this.#probeAt = Number.POSITIVE_INFINITY;
  }
}
