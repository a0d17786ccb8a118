/**
 * A link: one UDP socket connect()ed to one address of the target, with the
 * count of its sends not yet called back, so a retired link closes only once
 * its own sends have called back.
 *
 * The datagrams sent during one run of the caller's code go to the socket
 * together, in order, once that run ends (a microtask): on loopback, and
 * to a container on the same host, each send wakes the receiver when it
 * sleeps, and a datagram sent alone costs the sending thread much more
 * system time than one in a run of them (docs/performance.md, "Sends").
 */
import { createSocket as createDgramSocket, type SocketOptions } from "node:dgram";
import { createRequire } from "node:module";
import { isIP } from "node:net";

/** The part of a node:dgram Socket the client uses (a fake in tests). */
export interface DatagramSocket {
  connect(port: number, address: string, callback: () => void): void;
  /**
   * The address connected to; throws while not connected. node:dgram
   * connects within connect() when its lookup answers at once (an address,
   * literalLookup): the socket takes sends before connect() calls back.
   * Optional for fakes, which are taken as connected only when it calls back.
   */
  remoteAddress?(): unknown;
  send(datagram: Uint8Array, callback: (error: Error | null) => void): void;
  close(callback?: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  /** Datagrams that come back on the connected socket (acknowledgements); optional for fakes. */
  on(event: "message", listener: (datagram: Buffer) => void): unknown;
}

export type SocketFactory = (family: 4 | 6) => DatagramSocket;

/** A udp4 or udp6 node:dgram socket. */
export const defaultCreateSocket: SocketFactory = (family) =>
  createDgramSocket({ type: family === 6 ? "udp6" : "udp4", lookup: literalLookup });

type DnsLookup = typeof import("node:dns").lookup;
let dnsLookup: DnsLookup | undefined;

/**
 * The socket's lookup of the addresses it binds and connects to: the client
 * gives it addresses it has resolved, which are answered as they are, so a
 * run does not load node:dns for them (dgram's own lookup would). A name
 * goes to dns.lookup.
 */
export const literalLookup: NonNullable<SocketOptions["lookup"]> = (address, options, callback) => {
  const family = isIP(address);
  if (family !== 0) {
    callback(null, address, family);
    return;
  }
  dnsLookup ??= (createRequire(import.meta.url)("node:dns") as typeof import("node:dns")).lookup;
  dnsLookup(address, options, callback);
};

type SendDone = (error: Error | null) => void;

export interface Link {
  readonly socket: DatagramSocket;
  readonly address: string;
  inFlight: number;
  retired: boolean;
  closed: boolean;
}

/** A link being connected. */
export interface OpeningLink {
  readonly link: Link;
  /** The socket is connected already: it takes sends now. */
  readonly connectedNow: boolean;
  /** Resolves when connect() called back; rejects with the error of a failed connect. */
  readonly connected: Promise<Link>;
}

/**
 * Connects a new socket to `address`: the link at once, whether its socket
 * connected within the call, and the promise of connect() calling back,
 * which rejects with the error of a failed connect (the socket closed).
 * Errors of the socket after connect go to onError.
 */
export function startLink(
  createSocket: SocketFactory,
  port: number,
  address: string,
  family: 4 | 6,
  onError: (link: Link, error: Error) => void,
  onMessage?: (datagram: Buffer) => void,
): OpeningLink {
  const socket = createSocket(family);
  const link: Link = { socket, address, inFlight: 0, retired: false, closed: false };
  const connected = new Promise<Link>((resolve, reject) => {
    let connected = false;
    socket.on("error", (error) => {
      if (!connected) {
        closeLink(link);
        reject(error);
        return;
      }
      onError(link, error);
    });
    // A connected socket only receives from the address and port it is connected to.
    if (onMessage !== undefined) socket.on("message", (datagram) => onMessage(datagram));
    socket.connect(port, address, () => {
      connected = true;
      resolve(link);
    });
  });
  return { link, connectedNow: connectedNow(socket), connected };
}

function connectedNow(socket: DatagramSocket): boolean {
  if (socket.remoteAddress === undefined) return false;
  try {
    socket.remoteAddress();
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends one datagram on the link, after the others handed over before it,
 * once the caller's current run ends; rejects with the socket's error. A
 * send failing with ECONNREFUSED is passed to onRefused first. A retired
 * link closes when its last send calls back.
 */
export function sendOn(
  link: Link,
  datagram: Uint8Array,
  onRefused: (code: "ECONNREFUSED", address: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    link.inFlight += 1;
    const done: SendDone = (error) => {
      link.inFlight -= 1;
      if (link.retired && link.inFlight === 0) closeLink(link);
      if (!error) {
        resolve();
        return;
      }
      // Only a pending ICMP port unreachable fails a send with ECONNREFUSED;
      // EHOSTUNREACH and ENETUNREACH from a send may be local routing instead.
      if (errorCode(error) === "ECONNREFUSED") onRefused("ECONNREFUSED", link.address);
      reject(error);
    };
    hold(link, datagram, done);
  });
}

/** The datagrams handed over during the current run of code, in order, with their links. */
let held: { link: Link; datagram: Uint8Array; done: SendDone }[] = [];
let exitHook = false;

/**
 * Keeps a datagram for sendHeld(): once the current run of code ends (a
 * microtask), or when the thread exits before that (a `process.exit()`
 * right after a log call that sent a batch: a connected socket's send
 * reaches the kernel at once, as a send made at the call would have).
 */
function hold(link: Link, datagram: Uint8Array, done: SendDone): void {
  if (held.length === 0) queueMicrotask(sendHeld);
  held.push({ link, datagram, done });
  if (!exitHook) {
    exitHook = true;
    process.once("exit", sendHeld);
  }
}

/** Hands every held datagram to its link's socket, in order. */
function sendHeld(): void {
  const sends = held;
  held = [];
  for (const { link, datagram, done } of sends) {
    try {
      link.socket.send(datagram, done);
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** Closes the link's socket, once the datagrams held are handed to their sockets. */
export function closeLink(link: Link): void {
  if (link.closed) return;
  sendHeld();
  link.closed = true;
  try {
    link.socket.close();
  } catch {
    // Already closed: nothing left to release.
  }
}

/** The errno code of a socket error, when it has one. */
export function errorCode(error: Error): string | undefined {
  const { code } = error as { code?: unknown };
  return typeof code === "string" ? code : undefined;
}
