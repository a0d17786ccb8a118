/**
 * The probe of a target that is out: one small message, `[]` (no entry),
 * SEQUENCED and ACK_REQUESTED on a stream of the probe's own (signed when
 * there is a key), sent from a socket of its own. The answer is `acked`
 * (the server acknowledged it), `refused` (ICMP came back) or `silent`
 * (neither within the wait). A server outputs nothing for it.
 */
import type { Time } from "../../foundation/time.js";
import { decodeAck, encodeFrame, rangeContains } from "../../wire/index.js";
import { Connection, type Lookup, type SocketFactory } from "../connection.js";
import { newStreamId } from "../stream-id.js";

export type ProbeResult = "acked" | "refused" | "silent";

export interface ProbeOptions {
  readonly host: string;
  readonly port: number;
  readonly clock: Time;
  readonly createSocket: SocketFactory;
  readonly lookup: Lookup;
  readonly key: Uint8Array | undefined;
}

const EMPTY_ARRAY = new TextEncoder().encode("[]");

export class TargetProbe {
  readonly #options: ProbeOptions;
  readonly #stream = newStreamId();
  readonly #connection: Connection;
  #seq = 0;
  #pending: { seq: number; settle: (result: ProbeResult) => void } | undefined;

  constructor(options: ProbeOptions) {
    this.#options = options;
    this.#connection = new Connection({
      host: options.host,
      port: options.port,
      resolveIntervalMs: 0,
      clock: options.clock,
      createSocket: options.createSocket,
      lookup: options.lookup,
      onRefused: () => this.#pending?.settle("refused"),
      onMessage: (datagram) => this.#answer(datagram),
    });
  }

  /** Sends one probe and waits at most `waitMs` for its answer. */
  probe(waitMs: number): Promise<ProbeResult> {
    this.#pending?.settle("silent");
    const seq = this.#seq;
    this.#seq = (this.#seq + 1) % 2 ** 32;
    const { clock, key } = this.#options;
    const datagram = encodeFrame(
      {
        compressed: false,
        stream: this.#stream,
        seq,
        ackRequested: true,
        ...(key === undefined ? {} : { key }),
      },
      EMPTY_ARRAY,
    );
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => pending.settle("silent"), waitMs);
      const pending = {
        seq,
        settle: (result: ProbeResult) => {
          if (this.#pending !== pending) return;
          this.#pending = undefined;
          clock.clearTimeout(timer);
          resolve(result);
        },
      };
      this.#pending = pending;
      this.#connection.send(datagram).catch((error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        pending.settle(code === "ECONNREFUSED" ? "refused" : "silent");
      });
    });
  }

  /** Closes the probe's socket; a probe waiting is answered `silent`. */
  close(): void {
    this.#pending?.settle("silent");
    this.#connection.close();
  }

  #answer(datagram: Uint8Array): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const keys = this.#options.key === undefined ? [] : [this.#options.key];
    const result = decodeAck(datagram, { stream: this.#stream, keys });
    if (!result.ok) return;
    if (result.ack.ranges.some((range) => rangeContains(range, pending.seq))) {
      pending.settle("acked");
    }
  }
}
