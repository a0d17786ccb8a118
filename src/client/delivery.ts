/**
 * Delivery: encoded messages handed to the Sender, and the accounting of what
 * became of them. What the encoder dropped and what the sender failed to send
 * is counted by reason; what went out is counted as delivered. The bytes
 * handed over and not yet called back are kept for the shipper's memory bound.
 */
import type { EncodedMessage, EncodeResult } from "../wire/index.js";
import type { ShipperObserver } from "./observer.js";
import type { MessageFate } from "./reliable/reliable-delivery.js";
import type { Sender, SendStats } from "./sender.js";
import type { SummaryCollector } from "./summary.js";

export interface DeliveryOptions {
  readonly sender: Sender;
  readonly stats: SummaryCollector;
  readonly observer: ShipperObserver | undefined;
  /** A message was called back (sent or dropped); its bytes are no longer unsent. */
  readonly onSettled: () => void;
  /** Told of every message's fate (the shipper's per-entry promises). */
  readonly onMessage?: (message: EncodedMessage, fate: MessageFate) => void;
  /** drain() stops at the first refusal, dropping what is left as "target-refused". */
  readonly dropRefusedAtClose?: boolean;
}

/** Where encoded messages go: best effort (Delivery) or reliable (ReliableDelivery). */
export interface MessageSink {
  /** Counts what the encoder dropped and takes the messages, in order. */
  deliver(result: EncodeResult): void;
  /** Bytes taken and not yet handed to the socket, for the shipper's maxQueuedBytes. */
  readonly unsentBytes: number;
  /** True when a bound of the sink's own is reached (reliable: window or unacked bytes). */
  full(): boolean;
  /** Resolves once every message taken so far has settled. */
  settled(): Promise<void>;
  /** Waits up to `timeoutMs` for every message to settle, then gives up on the rest. */
  drain(timeoutMs: number): Promise<unknown>;
  /** A datagram that came back from the target. */
  receive?(datagram: Uint8Array): void;
  /** Reliable: takes out every message not yet acknowledged, unsettled, to be sent elsewhere. */
  evacuate?(): EncodedMessage[];
}

export class Delivery implements MessageSink {
  readonly #options: DeliveryOptions;
  #unsentBytes = 0;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /** Bytes of datagrams handed to the sender and not yet called back. */
  get unsentBytes(): number {
    return this.#unsentBytes;
  }

  full(): boolean {
    return false;
  }

  settled(): Promise<void> {
    return this.#options.sender.settled();
  }

  drain(timeoutMs: number): Promise<boolean> {
    return this.#options.sender.drain(timeoutMs, this.#options.dropRefusedAtClose === true);
  }

  /** Counts what the encoder dropped and hands the messages to the sender, in order. */
  deliver(result: EncodeResult): void {
    for (const drop of result.dropped) this.#options.stats.drop(drop.reason, drop.entries);
    for (const message of result.messages) this.#ship(message);
  }

  #ship(message: EncodedMessage): void {
    const { sender, stats, observer, onSettled, onMessage } = this.#options;
    let bytes = 0;
    for (const datagram of message.datagrams) bytes += datagram.byteLength;
    this.#unsentBytes += bytes;
    if (message.fragmented) stats.fragmented += 1;
    stats.truncated += message.truncated;
    sender.send(message.datagrams, (outcome) => {
      this.#unsentBytes -= bytes;
      if (outcome.ok) {
        stats.delivered(message.entries, outcome.ms);
        observer?.onSend?.(outcome.ms);
      } else stats.drop(outcome.reason, message.entries);
      onMessage?.(message, outcome.ok ? { ok: true } : outcome);
      onSettled();
    });
  }
}

/** The sender's counters, kept in the summary and told to the observer. */
export function sendStats(
  stats: SummaryCollector,
  observer: ShipperObserver | undefined,
  accepted: () => void,
): SendStats {
  return {
    datagram(bytes) {
      stats.datagrams += 1;
      stats.bytes += bytes;
      accepted();
      observer?.onDatagram?.(bytes);
    },
    sendError() {
      stats.sendErrors += 1;
    },
    retry() {
      stats.retries += 1;
    },
  };
}
