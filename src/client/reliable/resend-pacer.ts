/**
 * Paces the backlog that reliable delivery sends again once the server
 * answers after a silence (src/client/reliable/silence.ts): the messages go
 * oldest first, with at most `window` of them sent and not yet
 * acknowledged. The window starts at INITIAL_RESEND_WINDOW and grows by one
 * for each paced message acknowledged, so it doubles every round trip
 * (TCP's slow start after a retransmission timeout, RFC 5681 3.1), up to
 * ACK_WINDOW; a paced message that times out halves it. A server just
 * restarted thus gets the backlog as fast as it acknowledges it, not in one
 * burst its receive buffer would drop. Pure: the caller sends.
 */
import { ACK_WINDOW } from "../../wire/index.js";
import type { HeldMessage } from "./unacked.js";

/** Paced messages in flight when a recovery starts. */
export const INITIAL_RESEND_WINDOW = 32;

export class ResendPacer {
  #queue: HeldMessage[] = [];
  #head = 0;
  readonly #flight = new Set<HeldMessage>();
  #window = INITIAL_RESEND_WINDOW;

  /** Messages waiting for their turn. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Paced messages sent and neither acknowledged, given up nor timed out. */
  get inFlight(): number {
    return this.#flight.size;
  }

  get window(): number {
    return this.#window;
  }

  /** Starts a recovery: `backlog`, oldest first, waits its turn; the window starts small. */
  start(backlog: readonly HeldMessage[]): void {
    this.reset();
    for (const held of backlog) held.queued = true;
    this.#queue = [...backlog];
  }

  /**
   * The queued messages that may go now, taken out of the queue and
   * counted in flight; `isHeld` skips those settled meanwhile.
   */
  take(isHeld: (held: HeldMessage) => boolean): HeldMessage[] {
    const out: HeldMessage[] = [];
    while (this.#head < this.#queue.length && this.#flight.size < this.#window) {
      const held = this.#queue[this.#head++] as HeldMessage;
      held.queued = false;
      if (!isHeld(held)) continue;
      this.#flight.add(held);
      out.push(held);
    }
    if (this.#head === this.#queue.length) this.#queue = [];
    if (this.#queue.length === 0) this.#head = 0;
    return out;
  }

  /** A message left the buffer (acknowledged when `acked`, else given up). */
  settled(held: HeldMessage, acked: boolean): void {
    if (!this.#flight.delete(held)) return;
    if (acked) this.#window = Math.min(ACK_WINDOW, this.#window + 1);
  }

  /** A paced message was lost (its timeout passed, or later ones overtook it), and the window halves. */
  lost(held: HeldMessage): void {
    if (!this.#flight.delete(held)) return;
    this.#window = Math.max(INITIAL_RESEND_WINDOW, this.#window >> 1);
  }

  /** Forgets the queue and the flight (a new silence, or the buffer emptied). */
  reset(): void {
    for (let i = this.#head; i < this.#queue.length; i++) {
      const held = this.#queue[i];
      if (held !== undefined) held.queued = false;
    }
    this.#queue = [];
    this.#head = 0;
    this.#flight.clear();
    this.#window = INITIAL_RESEND_WINDOW;
  }
}
