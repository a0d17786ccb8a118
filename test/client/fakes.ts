/** Test doubles for the client core: a clock moved by hand and a scripted UDP socket. */
import type { DatagramSocket } from "../../src/client/connection.js";
import type { TimerClock } from "../../src/client/retry.js";

/** Lets pending promise callbacks and immediates run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

export class FakeClock implements TimerClock {
  #now = 0;
  #nextId = 1;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), fn };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers not yet fired or cleared. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const due = this.#timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = due.at;
      due.fn();
      await settle();
    }
    this.#now = target;
    await settle();
  }
}

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

  on(_event: "error", listener: (error: Error) => void): void {
    this.#onError = listener;
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
