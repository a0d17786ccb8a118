/** Test doubles for the client core: a scripted UDP socket (the clock is test/support/fake-time.ts). */
import type { DatagramSocket } from "../../src/client/connection.js";

export { settle } from "../support/fake-time.js";

/**
 * What a fake socket does with one send: succeed, fail with an errno code,
 * never call back, or hold the datagram until release() (then it succeeds).
 */
export type SendBehaviour = "ok" | "never" | "hold" | string;

export class FakeSocket implements DatagramSocket {
  readonly sent: Uint8Array[] = [];
  readonly attempts: Uint8Array[] = [];
  connectedTo: { port: number; address: string } | undefined;
  closed = false;
  readonly #held: (() => void)[] = [];
  #onError: ((error: Error) => void) | undefined;
  #onMessage: ((datagram: Buffer) => void) | undefined;

  constructor(
    readonly family: 4 | 6,
    readonly behave: (datagram: Uint8Array, attempt: number) => SendBehaviour,
  ) {}

  connect(port: number, address: string, callback: () => void): void {
    this.connectedTo = { port, address };
    queueMicrotask(callback);
  }

  send(datagram: Uint8Array, callback: (error: Error | null) => void): void {
    if (this.closed)
      throw Object.assign(new Error("closed"), { code: "ERR_SOCKET_DGRAM_NOT_RUNNING" });
    const behaviour = this.behave(datagram, this.attempts.length);
    this.attempts.push(datagram);
    if (behaviour === "never") return;
    if (behaviour === "hold") {
      this.#held.push(() => {
        this.sent.push(datagram);
        callback(null);
      });
      return;
    }
    if (behaviour === "ok") this.sent.push(datagram);
    const error =
      behaviour === "ok" ? null : Object.assign(new Error(behaviour), { code: behaviour });
    queueMicrotask(() => callback(error));
  }

  /** Sends held so far. */
  get held(): number {
    return this.#held.length;
  }

  /** Lets every held send succeed, in order. */
  release(): void {
    for (const done of this.#held.splice(0)) done();
  }

  close(): void {
    this.closed = true;
  }

  on(event: "error", listener: (error: Error) => void): void;
  on(event: "message", listener: (datagram: Buffer) => void): void;
  on(event: "error" | "message", listener: ((error: Error) => void) | ((d: Buffer) => void)): void {
    if (event === "error") this.#onError = listener as (error: Error) => void;
    else this.#onMessage = listener as (datagram: Buffer) => void;
  }

  /** A datagram arriving on the socket (from its connected peer). */
  receive(datagram: Uint8Array): void {
    this.#onMessage?.(Buffer.from(datagram));
  }

  emitError(error: Error): void {
    this.#onError?.(error);
  }
}

/** A socket factory that remembers every socket it made. */
export function socketFactory(
  behave: (datagram: Uint8Array, attempt: number) => SendBehaviour = () => "ok",
): { create: (family: 4 | 6) => FakeSocket; sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    create: (family) => {
      const socket = new FakeSocket(family, behave);
      sockets.push(socket);
      return socket;
    },
  };
}
