/**
 * The messages of reliable delivery not yet acknowledged: those waiting for
 * room in the window, then those sent and held (datagrams as sent, for
 * sending again byte for byte). The window: no message goes out more than
 * ACK_WINDOW - 1 seqs past the oldest one held (PROTOCOL.md section 6), so
 * every copy sent again falls inside the server's duplicate window. Pure:
 * the caller says what time it is.
 */
import {
  ACK_WINDOW,
  type EncodedMessage,
  rangeContains,
  rangeSize,
  SEQ_MODULO,
  type SeqRange,
} from "../../wire/index.js";

export interface HeldMessage {
  readonly message: EncodedMessage;
  readonly seq: number;
  /** Bytes of its datagrams. */
  readonly bytes: number;
  /** Order among every message pushed, from 0. */
  readonly order: number;
  /** Times handed to the socket; 0 while waiting. */
  sends: number;
  /**
   * Copies sent since the earlier ones were taken as lost (the first send,
   * or a recovery after silence, src/client/reliable/silence.ts): one means
   * an acknowledgement can only answer the latest copy.
   */
  epochSends: number;
  /** Waiting in the resend pacer for its turn. */
  queued: boolean;
  firstSentAt: number;
  lastSentAt: number;
  /** When it is sent again if no acknowledgement came. */
  retransmitAt: number;
  /** Sent again early once, because later messages were acknowledged. */
  fastRetransmitted: boolean;
}

export class UnackedBuffer {
  readonly #waiting: HeldMessage[] = [];
  #waitingHead = 0;
  /** Sent, by seq, in the order sent (so the first is the oldest). */
  readonly #held = new Map<number, HeldMessage>();
  #bytes = 0;
  #waitingBytes = 0;
  #pushed = 0;

  /** Bytes of every message not yet acknowledged, waiting or held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of the messages waiting for room in the window. */
  get waitingBytes(): number {
    return this.#waitingBytes;
  }

  get waitingCount(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  get heldCount(): number {
    return this.#held.size;
  }

  /** Messages pushed so far; the next one's order. */
  get pushed(): number {
    return this.#pushed;
  }

  /** The order of the oldest message not settled; `pushed` when none is left. */
  get oldestOrder(): number {
    for (const held of this.#held.values()) return held.order;
    return this.#waiting[this.#waitingHead]?.order ?? this.#pushed;
  }

  /** Held messages, oldest first. */
  held(): IterableIterator<HeldMessage> {
    return this.#held.values();
  }

  get(seq: number): HeldMessage | undefined {
    return this.#held.get(seq);
  }

  /** The held messages a range names: by lookup when it is short, by scan otherwise. */
  heldIn(range: SeqRange): HeldMessage[] {
    const found: HeldMessage[] = [];
    const size = rangeSize(range);
    if (size <= this.#held.size) {
      for (let i = 0; i < size; i++) {
        const held = this.#held.get((range.first + i) % SEQ_MODULO);
        if (held !== undefined) found.push(held);
      }
      return found;
    }
    for (const held of this.#held.values()) if (rangeContains(range, held.seq)) found.push(held);
    return found;
  }

  /** Held messages of order up to `order`, sent once since their epoch began and never sent again early. */
  overtaken(order: number): HeldMessage[] {
    const found: HeldMessage[] = [];
    for (const held of this.#held.values()) {
      if (held.order > order) break;
      if (!held.fastRetransmitted && held.epochSends === 1) found.push(held);
    }
    return found;
  }

  /** Queues a sequenced message behind the others. */
  push(message: EncodedMessage): HeldMessage {
    let bytes = 0;
    for (const datagram of message.datagrams) bytes += datagram.byteLength;
    const seq = message.seq ?? 0;
    const held: HeldMessage = {
      message,
      seq,
      bytes,
      order: this.#pushed++,
      sends: 0,
      epochSends: 0,
      queued: false,
      firstSentAt: 0,
      lastSentAt: 0,
      retransmitAt: 0,
      fastRetransmitted: false,
    };
    this.#waiting.push(held);
    this.#bytes += bytes;
    this.#waitingBytes += bytes;
    return held;
  }

  /** True when the next waiting message may go out within the window. */
  canSend(): boolean {
    const next = this.#waiting[this.#waitingHead];
    if (next === undefined) return false;
    let oldest: number | undefined;
    for (const held of this.#held.values()) {
      oldest = held.seq;
      break;
    }
    if (oldest === undefined) return true;
    return (next.seq - oldest + SEQ_MODULO) % SEQ_MODULO < ACK_WINDOW;
  }

  /** Moves the next waiting message to the held ones (call when canSend()). */
  takeNext(): HeldMessage | undefined {
    const next = this.#waiting[this.#waitingHead];
    if (next === undefined) return undefined;
    this.#waitingHead += 1;
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#waitingHead);
      this.#waitingHead = 0;
    }
    this.#waitingBytes -= next.bytes;
    this.#held.set(next.seq, next);
    return next;
  }

  /** Forgets a held message (acknowledged or given up); false when it was not held. */
  remove(held: HeldMessage): boolean {
    if (this.#held.get(held.seq) !== held) return false;
    this.#held.delete(held.seq);
    this.#bytes -= held.bytes;
    return true;
  }

  /** Empties the buffer: every message, waiting ones first in line order after the held. */
  takeAll(): HeldMessage[] {
    const all = [...this.#held.values(), ...this.#waiting.slice(this.#waitingHead)];
    this.#held.clear();
    this.#waiting.length = 0;
    this.#waitingHead = 0;
    this.#bytes = 0;
    this.#waitingBytes = 0;
    return all;
  }
}
