/**
 * The UDP socket: bound to a host and port (udp6 for an IPv6 host, udp4
 * otherwise), its receive buffer sized, every datagram handed to a callback.
 */
import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import { platform as osPlatform } from "node:os";

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface ReceiverOptions {
  readonly host: string;
  /** 0 takes any free port. */
  readonly port: number;
  /** SO_RCVBUF to ask for, in bytes; undefined or 0 leaves the system default. */
  readonly recvBufferBytes?: number | undefined;
  readonly onMessage: (datagram: Buffer, from: Endpoint) => void;
  /** Errors after the socket is bound (rare for UDP). */
  readonly onError: (error: Error) => void;
  /** For tests: the platform whose SO_RCVBUF reporting rules apply. */
  readonly platform?: NodeJS.Platform;
}

/** What the kernel granted for the receive buffer. */
export interface RecvBufferReport {
  /** Bytes asked for; undefined when the system default was kept. */
  readonly askedBytes: number | undefined;
  /** Usable bytes the kernel granted (Linux reports twice this, for its bookkeeping). */
  readonly grantedBytes: number;
  /** Why the size could not be set, when it could not. */
  readonly error: string | undefined;
}

export interface Receiver {
  readonly address: Endpoint;
  readonly recvBuffer: RecvBufferReport;
  /** Sends a datagram from this socket; `done` is told whether it went (false once closed). */
  send(datagram: Uint8Array, to: Endpoint, done: (sent: boolean) => void): void;
  /** Stops receiving; resolves once the socket is closed. Idempotent. */
  close(): Promise<void>;
}

/** `1.2.3.4:5` or `[::1]:5`. */
export function formatEndpoint(endpoint: Endpoint): string {
  const host = endpoint.address.includes(":") ? `[${endpoint.address}]` : endpoint.address;
  return `${host}:${endpoint.port}`;
}

/**
 * Linux doubles the SO_RCVBUF value it reports (half is kept for its own
 * bookkeeping), so the usable size is half of what getsockopt returns.
 */
export function grantedFromReported(reported: number, platform: NodeJS.Platform): number {
  return platform === "linux" ? Math.floor(reported / 2) : reported;
}

function sizeBuffer(
  socket: dgram.Socket,
  asked: number | undefined,
  platform: NodeJS.Platform,
): RecvBufferReport {
  let error: string | undefined;
  if (asked !== undefined && asked > 0) {
    try {
      socket.setRecvBufferSize(asked);
    } catch (cause) {
      error = cause instanceof Error ? cause.message : String(cause);
    }
  }
  let granted = 0;
  try {
    granted = grantedFromReported(socket.getRecvBufferSize(), platform);
  } catch (cause) {
    error ??= cause instanceof Error ? cause.message : String(cause);
  }
  return {
    askedBytes: asked !== undefined && asked > 0 ? asked : undefined,
    grantedBytes: granted,
    error,
  };
}

/** Binds the socket; rejects with the bind error (its `code`: EADDRINUSE, EACCES...). */
export function listen(options: ReceiverOptions): Promise<Receiver> {
  const socket = dgram.createSocket({ type: isIPv6(options.host) ? "udp6" : "udp4" });
  return new Promise((resolve, reject) => {
    const onBindError = (error: Error) => {
      try {
        socket.close();
      } catch {
        // Already closed by the failed bind.
      }
      reject(error);
    };
    socket.once("error", onBindError);
    socket.on("message", (datagram, rinfo) =>
      options.onMessage(datagram, { address: rinfo.address, port: rinfo.port }),
    );
    const onBound = () => {
      socket.off("error", onBindError);
      socket.on("error", options.onError);
      const bound = socket.address();
      const recvBuffer = sizeBuffer(
        socket,
        options.recvBufferBytes,
        options.platform ?? osPlatform(),
      );
      let closed: Promise<void> | undefined;
      resolve({
        address: { address: bound.address, port: bound.port },
        recvBuffer,
        send(datagram, to, done) {
          if (closed !== undefined) {
            done(false);
            return;
          }
          try {
            socket.send(datagram, to.port, to.address, (error) => done(error == null));
          } catch {
            done(false);
          }
        },
        close() {
          closed ??= new Promise((done) => socket.close(() => done()));
          return closed;
        },
      });
    };
    try {
      socket.bind({ address: options.host, port: options.port }, onBound);
    } catch (error) {
      onBindError(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
