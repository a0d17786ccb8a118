/**
 * The NATS connection of one output, made in the background: connecting
 * never blocks the server's start, a server that cannot be reached is tried
 * again (backing off up to MAX_CONNECT_DELAY_MS) until close(), and once
 * connected the client reconnects by itself, forever, to any server of the
 * list or of the cluster it learns of.
 */
import {
  connect,
  credsAuthenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from "@nats-io/transport-node";
import type { TimerHandle, Timers } from "../../foundation/time.js";
import type { NatsSinkOptions } from "./sink-options.js";

export const FIRST_CONNECT_DELAY_MS = 250;
export const MAX_CONNECT_DELAY_MS = 5_000;
/** Wait between two reconnect attempts to one server. */
export const RECONNECT_WAIT_MS = 500;
/** How often the client pings an idle server, to notice a dead one. */
export const PING_INTERVAL_MS = 10_000;

export type LinkState =
  | { readonly kind: "connecting"; readonly lastError: Error | undefined }
  | { readonly kind: "disconnected"; readonly nc: NatsConnection }
  | { readonly kind: "connected"; readonly nc: NatsConnection };

export class NatsLink {
  readonly #options: NodeConnectionOptions;
  readonly #timers: Timers;
  readonly #onConnect: (nc: NatsConnection) => void;
  #nc: NatsConnection | undefined;
  #connected = false;
  #closed = false;
  #attempt = 0;
  #timer: TimerHandle | undefined;
  #lastError: Error | undefined;

  constructor(options: NatsSinkOptions, timers: Timers, onConnect: (nc: NatsConnection) => void) {
    this.#options = connectionOptions(options);
    this.#timers = timers;
    this.#onConnect = onConnect;
  }

  /** Starts connecting; returns at once. */
  start(): void {
    void this.#try();
  }

  get state(): LinkState {
    if (this.#nc === undefined) return { kind: "connecting", lastError: this.#lastError };
    return { kind: this.#connected ? "connected" : "disconnected", nc: this.#nc };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers.clearTimeout(this.#timer);
    const nc = this.#nc;
    this.#nc = undefined;
    await nc?.close().catch(() => undefined);
  }

  async #try(): Promise<void> {
    this.#timer = undefined;
    let nc: NatsConnection;
    try {
      nc = await connect(this.#options);
    } catch (error) {
      this.#lastError = error as Error;
      this.#retryLater();
      return;
    }
    if (this.#closed) {
      await nc.close().catch(() => undefined);
      return;
    }
    this.#attempt = 0;
    this.#nc = nc;
    this.#connected = true;
    this.#watch(nc);
    this.#onConnect(nc);
  }

  #retryLater(): void {
    if (this.#closed) return;
    const delay = Math.min(FIRST_CONNECT_DELAY_MS * 2 ** this.#attempt, MAX_CONNECT_DELAY_MS);
    this.#attempt++;
    this.#timer = this.#timers.setTimeout(() => void this.#try(), delay);
    this.#timer.unref?.();
  }

  /** Follows disconnects and reconnects; a connection that closes for good is made anew. */
  #watch(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === "disconnect") this.#connected = false;
        else if (status.type === "reconnect") this.#connected = true;
      }
    })().catch(() => undefined);
    void nc.closed().then((error) => {
      if (this.#closed || this.#nc !== nc) return;
      this.#nc = undefined;
      this.#connected = false;
      this.#lastError = error ?? new Error("the NATS connection closed");
      this.#retryLater();
    });
  }
}

function connectionOptions(options: NatsSinkOptions): NodeConnectionOptions {
  const base: NodeConnectionOptions = {
    servers: [...options.servers],
    name: "shipper-server",
    timeout: options.timeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    pingInterval: PING_INTERVAL_MS,
    waitOnFirstConnect: false,
  };
  return withCredentials(base, options.credentials);
}

/** The spec without credentials: `nats://host:port,host:port`. */
/** `base` with the credentials a NATS output (or shipper-tail) was given. */
export function withCredentials(
  base: NodeConnectionOptions,
  credentials: NatsSinkOptions["credentials"],
): NodeConnectionOptions {
  if (credentials === undefined) return base;
  switch (credentials.kind) {
    case "creds":
      return {
        ...base,
        authenticator: credsAuthenticator(new TextEncoder().encode(credentials.text)),
      };
    case "token":
      return { ...base, token: credentials.token };
    case "user":
      return { ...base, user: credentials.user, pass: credentials.pass };
  }
}
