/**
 * A hand-made reliable sender for the server's e2e tests: numbered
 * messages framed by hand with ACK_REQUESTED, at most `window` of them
 * unacknowledged (and within 1024 seqs of the oldest), each sent again
 * after `resendMs` without an acknowledgement, until every one is
 * acknowledged. Acknowledgements are read with the wire codec.
 */
import { randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { decodeAck } from "../../src/wire/ack.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { rangeSize } from "../../src/wire/seq-ranges.js";

export interface ResendingOptions {
  readonly messages: number;
  readonly entriesPerMessage: number;
  readonly window?: number;
  readonly resendMs?: number;
}

/** The entries of message `seq`: `{"n":k}` numbered across messages. */
export function entriesOf(seq: number, perMessage: number): string[] {
  return Array.from({ length: perMessage }, (_, i) => `{"n":${seq * perMessage + i}}`);
}

export class ResendingClient {
  readonly stream = randomBytes(8);
  readonly acked = new Set<number>();
  /** Datagrams sent, first sends and resends. */
  sent = 0;
  resent = 0;
  readonly #o: Required<ResendingOptions>;
  readonly #socket = dgram.createSocket("udp4");
  readonly #unacked = new Map<number, { datagram: Uint8Array; sentAt: number }>();
  #next = 0;

  constructor(options: ResendingOptions) {
    this.#o = { window: 200, resendMs: 500, ...options };
    this.#socket.on("error", () => {});
    this.#socket.on("message", (datagram) => this.#onAck(datagram));
  }

  async open(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.bind(0, "127.0.0.1", resolve));
  }

  #onAck(datagram: Uint8Array): void {
    const result = decodeAck(datagram, { stream: this.stream });
    if (!result.ok) return;
    for (const range of result.ack.ranges) {
      for (let i = 0; i < rangeSize(range); i++) {
        const seq = (range.first + i) % 2 ** 32;
        this.acked.add(seq);
        this.#unacked.delete(seq);
      }
    }
  }

  #datagram(seq: number): Uint8Array {
    const json = `[${entriesOf(seq, this.#o.entriesPerMessage).join(",")}]`;
    return encodeFrame(
      { compressed: false, stream: this.stream, seq, ackRequested: true },
      Buffer.from(json),
    );
  }

  #send(datagram: Uint8Array, port: () => number): Promise<void> {
    this.sent++;
    return new Promise((resolve) =>
      this.#socket.send(datagram, port(), "127.0.0.1", () => resolve()),
    );
  }

  /** One round: resend what is overdue, then send new messages while the window allows. */
  async #tick(port: () => number): Promise<void> {
    const now = performance.now();
    for (const [, item] of this.#unacked) {
      if (now - item.sentAt < this.#o.resendMs) continue;
      item.sentAt = now;
      this.resent++;
      await this.#send(item.datagram, port);
    }
    const oldest = this.#unacked.keys().next().value ?? this.#next;
    while (
      this.#next < this.#o.messages &&
      this.#unacked.size < this.#o.window &&
      this.#next - oldest < 1024
    ) {
      const seq = this.#next++;
      const datagram = this.#datagram(seq);
      this.#unacked.set(seq, { datagram, sentAt: performance.now() });
      await this.#send(datagram, port);
    }
  }

  /** Sends until every message is acknowledged; `onRound` runs between rounds. */
  async run(port: () => number, onRound: () => void = () => {}): Promise<void> {
    while (this.acked.size < this.#o.messages) {
      await this.#tick(port);
      onRound();
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  close(): void {
    this.#socket.close();
  }
}
