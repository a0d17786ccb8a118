/** Loopback UDP for tests: sending datagrams to a server, finding a port nobody listens on. */
import dgram from "node:dgram";

/** Sends each datagram in order from one socket to `host:port`; resolves once all are sent. */
export async function sendAll(
  datagrams: readonly Uint8Array[],
  port: number,
  host = "127.0.0.1",
): Promise<void> {
  const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  try {
    for (const datagram of datagrams) {
      await new Promise<void>((resolve, reject) =>
        socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())),
      );
    }
  } finally {
    socket.close();
  }
}

/** A UDP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  return new Promise((resolve) =>
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    }),
  );
}
