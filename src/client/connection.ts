/**
 * One UDP socket connect()ed to the target, so the kernel reports ICMP port
 * or host unreachable (a datagram the target bounced) as ECONNREFUSED or
 * EHOSTUNREACH; each such report is passed to onRefused. The host
 * name is looked up again every resolveIntervalMs; when its address changes
 * (a server container restarted elsewhere) a new socket is connected, later
 * sends use it, and the old one closes once its own sends have called back.
 */
import { isIP } from "node:net";
import { ERROR_CODES, ShipperError } from "../foundation/errors.js";
import type { TimerHandle, Timers } from "../foundation/time.js";
import {
  closeLink,
  errorCode,
  type Link,
  type OpeningLink,
  type SocketFactory,
  sendOn,
  startLink,
} from "./link.js";
import { type RefusalCode, refusalCode } from "./refusals.js";

export { type DatagramSocket, defaultCreateSocket, type SocketFactory } from "./link.js";

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Lookup = (host: string) => Promise<ResolvedAddress>;

/**
 * The system resolver's first IPv4 address, else its first IPv6 address (as
 * the original shipper, which sent over IPv4, would reach "localhost").
 * An address is its own answer; the resolver loads at the first host name.
 */
export const defaultLookup: Lookup = async (host) => {
  const version = isIP(host);
  if (version !== 0) return { address: host, family: version === 6 ? 6 : 4 };
  const { lookup: dnsLookup } = await import("node:dns/promises");
  const answers = await dnsLookup(host, { all: true });
  const chosen = answers.find((answer) => answer.family === 4) ?? answers[0];
  if (chosen === undefined) {
    throw Object.assign(new Error(`no address for ${host}`), { code: "ENOTFOUND" });
  }
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
};

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Look the host up again this often; 0 = never (an IP literal is never looked up). */
  resolveIntervalMs: number;
  clock: Timers;
  createSocket: SocketFactory;
  lookup: Lookup;
  /**
   * The target reported that it bounced an earlier datagram (ICMP port, host
   * or network unreachable); `address` is where that datagram went. Node
   * reports one as an "error" event of the socket (which stays usable), or,
   * when a send comes first, as that send's ECONNREFUSED: that send did not go
   * out and rejects as well.
   */
  onRefused?: (code: RefusalCode, address: string) => void;
  /**
   * A later lookup of the host failed; sends keep going to `kept`. Called at
   * the first failure, and again only after a lookup succeeded in between.
   */
  onResolveFailed?: (error: unknown, kept: string) => void;
  /** A datagram came back from the target's address and port (an acknowledgement, maybe). */
  onMessage?: (datagram: Buffer) => void;
}

export class Connection {
  readonly #options: ConnectionOptions;
  #current: Link | undefined;
  #connecting: Promise<Link> | undefined;
  #timer: TimerHandle | undefined;
  #timerSet = false;
  #closed = false;
  readonly #refusalListeners = new Set<() => void>();
  /** The last lookup failed and was reported. */
  #resolveFailing = false;
  /** Times the socket was replaced because the host's address changed. */
  reconnects = 0;

  constructor(options: ConnectionOptions) {
    this.#options = options;
    if (options.resolveIntervalMs > 0 && isIP(options.host) === 0) this.#scheduleResolve();
  }

  /** The address sends go to now, once connected. */
  get address(): string | undefined {
    return this.#current?.address;
  }

  /**
   * Sends one datagram; rejects with the socket's error (its `code` says
   * which), or after close() with a ShipperError of code CONNECTION_CLOSED.
   * When connected, the datagram is handed to the socket once the caller's
   * current run ends, with those sent before it (link.ts), so datagrams go
   * out in call order.
   */
  send(datagram: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(notRunning());
    const link = this.#current ?? this.#connectNow();
    if (link !== undefined) return this.#sendOn(link, datagram);
    return this.#connect().then((opened) => this.#sendOn(opened, datagram));
  }

  /**
   * For a host that is an address (nothing to look up): a socket connected
   * within this call, made the current link, so that the first datagram
   * reaches the socket like any later one, at the end of the caller's run
   * or at a process.exit() before it (link.ts). Undefined for a host name,
   * while a connect is under way, or when the socket did not connect at once
   * (connect() then calls back, or fails, as for a name).
   */
  #connectNow(): Link | undefined {
    const { host } = this.#options;
    const family = isIP(host);
    if (family === 0 || this.#connecting !== undefined) return undefined;
    let opening: OpeningLink;
    try {
      opening = this.#start({ address: host, family: family === 6 ? 6 : 4 });
    } catch {
      return undefined;
    }
    this.#connecting = this.#settle(opening.connected);
    this.#connecting.catch(() => {});
    if (!opening.connectedNow) return undefined;
    this.#current = opening.link;
    return opening.link;
  }

  /**
   * Starts connecting now instead of at the first send, such as while the
   * caller waits for something else; a failure is met again, and reported,
   * by the next send.
   */
  open(): void {
    if (this.#closed || this.#current !== undefined) return;
    this.#connect().catch(() => {});
  }

  /**
   * Resolves once the event loop has polled the sockets twice, so reports the
   * kernel already holds (ICMP from this host: loopback, local containers)
   * reach onRefused before close(). Reports still on their way from a
   * distant host are not waited for.
   */
  async readPendingReports(): Promise<void> {
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Calls `listener` at every refusal reported from now on; returns the function that stops it. */
  onRefusal(listener: () => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  /** Closes every socket and stops looking the host up. Sends not yet called back are abandoned. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timerSet) this.#options.clock.clearTimeout(this.#timer);
    this.#timerSet = false;
    if (this.#current !== undefined) closeLink(this.#current);
    this.#current = undefined;
  }

  #connect(): Promise<Link> {
    this.#connecting ??= this.#settle(
      new Promise<ResolvedAddress>((resolve) =>
        resolve(this.#options.lookup(this.#options.host)),
      ).then((resolved) => this.#open(resolved)),
    );
    return this.#connecting;
  }

  /** A connect under way, made the current link once it called back. */
  #settle(connecting: Promise<Link>): Promise<Link> {
    return connecting.then(
      (link) => {
        this.#connecting = undefined;
        if (this.#closed) {
          closeLink(link);
          throw notRunning();
        }
        this.#current = link;
        return link;
      },
      (error: unknown) => {
        this.#connecting = undefined;
        throw error;
      },
    );
  }

  #open(resolved: ResolvedAddress): Promise<Link> {
    try {
      return this.#start(resolved).connected;
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #start({ address, family }: ResolvedAddress): OpeningLink {
    const { createSocket, port } = this.#options;
    return startLink(
      createSocket,
      port,
      address,
      family,
      (link, error) => {
        const refusal = refusalCode(errorCode(error));
        if (refusal !== undefined) this.#refused(refusal, link.address);
        // A socket-level failure after connect: later sends open a fresh socket.
        else if (this.#current === link) this.#retire(link);
      },
      this.#options.onMessage,
    );
  }

  #sendOn(link: Link, datagram: Uint8Array): Promise<void> {
    return sendOn(link, datagram, (code, address) => this.#refused(code, address));
  }

  #refused(code: RefusalCode, address: string): void {
    this.#options.onRefused?.(code, address);
    for (const listener of [...this.#refusalListeners]) listener();
  }

  #retire(link: Link): void {
    if (this.#current === link) this.#current = undefined;
    link.retired = true;
    if (link.inFlight === 0) closeLink(link);
  }

  #scheduleResolve(): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timerSet = false;
      void this.#resolveAgain().finally(() => {
        if (!this.#closed) this.#scheduleResolve();
      });
    }, this.#options.resolveIntervalMs);
    this.#timerSet = true;
    this.#timer.unref?.();
  }

  /** Looks the host up; on a new address, connects a new socket and retires the old one. */
  async #resolveAgain(): Promise<void> {
    const old = this.#current;
    if (old === undefined || this.#closed) return;
    let resolved: ResolvedAddress;
    try {
      resolved = await this.#options.lookup(this.#options.host);
    } catch (error) {
      // The resolver failing for now does not take the working address away.
      if (!this.#resolveFailing && !this.#closed)
        this.#options.onResolveFailed?.(error, old.address);
      this.#resolveFailing = true;
      return;
    }
    this.#resolveFailing = false;
    if (resolved.address === old.address || this.#closed || this.#current !== old) return;
    let link: Link;
    try {
      link = await this.#open(resolved);
    } catch {
      return;
    }
    if (this.#closed || this.#current !== old) {
      closeLink(link);
      return;
    }
    this.#current = link;
    this.reconnects += 1;
    this.#retire(old);
  }
}

function notRunning(): ShipperError {
  return new ShipperError(ERROR_CODES.CONNECTION_CLOSED, "the connection is closed");
}
