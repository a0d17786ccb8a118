/**
 * Reliable delivery (PROTOCOL.md section 6): every message asks for an
 * acknowledgement and is kept, datagrams as sent, until one comes. A message
 * not acknowledged within its retransmission timeout (RtoEstimator, doubled
 * for each copy already sent), or overtaken by three acknowledged later
 * ones, is sent again byte for byte. When no acknowledgement at all follows
 * a message's timeout the path is silent (silence.ts): one probe goes out
 * per backed-off timeout, and the first acknowledgement sends the rest again
 * at once, backoff undone, paced (resend-pacer.ts). A message not
 * acknowledged within ackTimeoutMs of its first send, or still held when
 * drain() gives up, is dropped as `unacknowledged`; while the drain runs,
 * a silent path is probed once per base timeout, without backoff. What is
 * not a well-formed acknowledgement of this stream (signed with the key,
 * when there is one) is ignored and counted by reason, so a forged one
 * never drops a message.
 */
import type { Time } from "../../foundation/time.js";
import { decodeAck, type EncodedMessage, type EncodeResult } from "../../wire/index.js";
import type { MessageSink } from "../delivery.js";
import type { ShipperObserver } from "../observer.js";
import { settledWithin } from "../retry.js";
import type { Sender } from "../sender.js";
import type { DropReason, SummaryCollector } from "../summary.js";
import { OrderWaiters } from "./order-waiters.js";
import type { ReliableStats } from "./reliable-stats.js";
import { Retransmitter } from "./retransmitter.js";
import { DEFAULT_RTO_SETTINGS, RtoEstimator, type RtoSettings } from "./rto.js";
import { type HeldMessage, UnackedBuffer } from "./unacked.js";

/** What became of a message: acknowledged (or, best effort, sent), or dropped for a reason. */
export type MessageFate =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: DropReason };

export interface ReliableDeliveryOptions {
  readonly sender: Sender;
  readonly stats: SummaryCollector;
  readonly reliableStats: ReliableStats;
  readonly observer: ShipperObserver | undefined;
  readonly clock: Time;
  /** The stream the encoder numbers messages in; acknowledgements of others are ignored. */
  readonly stream: Uint8Array;
  /** When set, only acknowledgements signed with it are taken. */
  readonly key: Uint8Array | undefined;
  /** A message is given up this long after its first send. */
  readonly ackTimeoutMs: number;
  /** full() above this many bytes not yet acknowledged. */
  readonly maxUnackedBytes: number;
  readonly rto?: RtoSettings;
  /** Messages settled or went out: there may be room in the buffer or the window. */
  readonly onSettled: () => void;
  /** Told of every message's fate (the shipper's per-entry promises). */
  readonly onMessage?: (message: EncodedMessage, fate: MessageFate) => void;
}

export class ReliableDelivery implements MessageSink {
  readonly #o: ReliableDeliveryOptions;
  readonly #buffer = new UnackedBuffer();
  readonly #rto: RtoEstimator;
  readonly #keys: readonly Uint8Array[];
  readonly #resends: Retransmitter;
  readonly #waiters = new OrderWaiters();

  constructor(options: ReliableDeliveryOptions) {
    this.#o = options;
    this.#rto = new RtoEstimator(options.rto ?? DEFAULT_RTO_SETTINGS);
    this.#keys = options.key === undefined ? [] : [options.key];
    this.#resends = new Retransmitter({
      clock: options.clock,
      buffer: this.#buffer,
      rto: this.#rto,
      reliableStats: options.reliableStats,
      ackTimeoutMs: options.ackTimeoutMs,
      transmit: (held) => this.#transmit(held),
      giveUp: (held) => this.#dropped(held, "unacknowledged"),
      pump: () => this.#pump(),
    });
  }

  /** Bytes not yet acknowledged: waiting for the window and held. */
  get unackedBytes(): number {
    return this.#buffer.bytes;
  }

  /** Bytes of messages not yet sent once (waiting for room in the window). */
  get unsentBytes(): number {
    return this.#buffer.waitingBytes;
  }

  /** True while a message waits for room in the window, or above maxUnackedBytes. */
  full(): boolean {
    return this.#buffer.waitingCount > 0 || this.#buffer.bytes >= this.#o.maxUnackedBytes;
  }

  get rtoMs(): number {
    return this.#rto.rtoMs;
  }

  /** Counts what the encoder dropped and queues the messages, in order. */
  deliver(result: EncodeResult): void {
    const { stats } = this.#o;
    for (const drop of result.dropped) stats.drop(drop.reason, drop.entries);
    for (const message of result.messages) {
      if (message.fragmented) stats.fragmented += 1;
      this.#buffer.push(message);
    }
    this.#pump();
  }

  /** A datagram from the target: an acknowledgement, or ignored and counted. */
  receive(datagram: Uint8Array): void {
    const result = decodeAck(datagram, { stream: this.#o.stream, keys: this.#keys });
    if (!result.ok) {
      this.#o.reliableStats.ignore(result.reason);
      return;
    }
    const now = this.#o.clock.now();
    const revived = this.#resends.heard(now);
    for (const range of result.ack.ranges) {
      for (const held of this.#buffer.heldIn(range)) this.#acknowledged(held, now);
    }
    this.#resends.afterAck(now, revived);
    this.#pump();
  }

  /** Resolves once every message delivered so far is acknowledged or dropped. */
  settled(): Promise<void> {
    return this.#waiters.wait(this.#buffer.pushed - 1, this.#buffer.oldestOrder);
  }

  /**
   * Waits up to `timeoutMs` for every message to be acknowledged; drops
   * what is left as `unacknowledged`, then stops the timer.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    this.#resends.hurry();
    const done = await settledWithin(this.#o.clock, this.settled(), timeoutMs);
    for (const held of this.#buffer.takeAll()) this.#dropped(held, "unacknowledged", true);
    this.#resends.reset();
    this.close();
    this.#o.onSettled();
    return done;
  }

  /** Every message not yet acknowledged, taken out unsettled, to be sent elsewhere; stops the timer. */
  evacuate(): EncodedMessage[] {
    const taken = this.#buffer.takeAll().map((held) => held.message);
    this.#resends.reset();
    this.close();
    this.#settledOne(undefined);
    this.#o.onSettled();
    return taken;
  }

  /** Stops the timer; messages still held stay where they are. */
  close(): void {
    this.#resends.close();
  }

  #acknowledged(held: HeldMessage, now: number): void {
    if (!this.#buffer.remove(held)) return;
    this.#resends.acked(held);
    const { stats, reliableStats } = this.#o;
    // Karn's rule: a message sent more than once in its epoch gives no sample.
    if (held.epochSends === 1) {
      const rtt = now - held.lastSentAt;
      this.#rto.sample(rtt);
      reliableStats.rtt(rtt);
      this.#o.observer?.onAck?.(rtt);
    }
    reliableStats.acked += 1;
    stats.sent += held.message.entries;
    this.#settledOne(held, { ok: true });
  }

  /** `taken`: already out of the buffer (drain); otherwise only a message still held counts. */
  #dropped(held: HeldMessage, reason: DropReason, taken = false): void {
    if (!taken && !this.#buffer.remove(held)) return;
    this.#resends.gaveUp(held);
    if (reason === "unacknowledged") this.#o.reliableStats.unacked += 1;
    this.#o.stats.drop(reason, held.message.entries);
    this.#settledOne(held, { ok: false, reason });
  }

  /** `held` undefined: messages left the buffer unsettled (evacuate). */
  #settledOne(held: HeldMessage | undefined, fate?: MessageFate): void {
    this.#o.reliableStats.unackedBytes = this.#buffer.bytes;
    if (held !== undefined && fate !== undefined) this.#o.onMessage?.(held.message, fate);
    this.#waiters.release(this.#buffer.oldestOrder);
  }

  /** Sends waiting messages while the window has room. */
  #pump(): void {
    while (this.#buffer.canSend()) {
      const held = this.#buffer.takeNext();
      if (held !== undefined) this.#transmit(held);
    }
    this.#o.reliableStats.unackedBytes = this.#buffer.bytes;
    this.#o.onSettled();
  }

  #transmit(held: HeldMessage): void {
    const { clock, sender, stats, observer } = this.#o;
    const now = clock.now();
    if (held.sends === 0) held.firstSentAt = now;
    held.sends += 1;
    held.epochSends += 1;
    held.lastSentAt = now;
    held.retransmitAt = now + this.#rto.forRetransmit(held.epochSends - 1);
    sender.send(held.message.datagrams, (outcome) => {
      if (outcome.ok) {
        stats.sendTook(outcome.ms);
        observer?.onSend?.(outcome.ms);
      } else if (outcome.reason === "emsgsize") {
        this.#dropped(held, "emsgsize");
        this.#pump();
      }
      // Any other failure is a loss like the network's: the timer sends it again.
    });
    this.#resends.scheduled(held);
  }
}
