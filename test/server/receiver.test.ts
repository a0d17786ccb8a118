import dgram from "node:dgram";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import {
  type Endpoint,
  formatEndpoint,
  grantedFromReported,
  listen,
} from "../../src/server/receiver.js";

function send(bytes: Uint8Array, port: number, host = "127.0.0.1"): Promise<Endpoint> {
  const socket = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  return new Promise((resolve, reject) => {
    socket.send(bytes, port, host, (error) => {
      const local = socket.address();
      socket.close();
      if (error) reject(error);
      else resolve({ address: local.address, port: local.port });
    });
  });
}

function ipv6Available(): Promise<boolean> {
  const socket = dgram.createSocket("udp6");
  return new Promise((resolve) => {
    socket.once("error", () => resolve(false));
    socket.bind(0, "::1", () => {
      socket.close();
      resolve(true);
    });
  });
}

describe("listen", () => {
  it("binds port 0 to a real port and hands each datagram and its sender to onMessage", async () => {
    const got: [string, Endpoint][] = [];
    let arrived: () => void = () => {};
    const receiver = await listen({
      host: "127.0.0.1",
      port: 0,
      onMessage: (datagram, sender) => {
        got.push([datagram.toString(), sender]);
        arrived();
      },
      onError: () => {},
    });
    try {
      expect(receiver.address.address).toBe("127.0.0.1");
      expect(receiver.address.port).toBeGreaterThan(0);
      const wait = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      const sender = await send(Buffer.from('{"a":1}'), receiver.address.port);
      await wait;
      expect(got).toEqual([['{"a":1}', { address: "127.0.0.1", port: sender.port }]]);
    } finally {
      await receiver.close();
    }
  });

  it("sizes the receive buffer and reports what the kernel granted", async () => {
    const receiver = await listen({
      host: "127.0.0.1",
      port: 0,
      recvBufferBytes: 65536,
      onMessage: () => {},
      onError: () => {},
    });
    try {
      expect(receiver.recvBuffer.askedBytes).toBe(65536);
      expect(receiver.recvBuffer.error).toBe(undefined);
      expect(receiver.recvBuffer.grantedBytes).toBeGreaterThanOrEqual(65536);
    } finally {
      await receiver.close();
    }
  });

  it("reports the system default when no size is asked", async () => {
    const receiver = await listen({
      host: "127.0.0.1",
      port: 0,
      onMessage: () => {},
      onError: () => {},
    });
    try {
      expect(receiver.recvBuffer.askedBytes).toBe(undefined);
      expect(receiver.recvBuffer.grantedBytes).toBeGreaterThan(0);
    } finally {
      await receiver.close();
    }
  });

  it("rejects with EADDRINUSE when the port is taken", async () => {
    const taken = dgram.createSocket("udp4");
    taken.bind(0, "127.0.0.1");
    await once(taken, "listening");
    try {
      const port = taken.address().port;
      await expect(
        listen({ host: "127.0.0.1", port, onMessage: () => {}, onError: () => {} }),
      ).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      taken.close();
    }
  });

  it("rejects an address that cannot be bound", async () => {
    await expect(
      listen({ host: "256.1.1.1", port: 0, onMessage: () => {}, onError: () => {} }),
    ).rejects.toHaveProperty("code");
  });

  it("binds udp6 for an IPv6 host", async (context) => {
    if (!(await ipv6Available())) context.skip();
    const got: string[] = [];
    let arrived: () => void = () => {};
    const receiver = await listen({
      host: "::1",
      port: 0,
      onMessage: (datagram) => {
        got.push(datagram.toString());
        arrived();
      },
      onError: () => {},
    });
    try {
      expect(receiver.address.address).toBe("::1");
      const wait = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      await send(Buffer.from("x"), receiver.address.port, "::1");
      await wait;
      expect(got).toEqual(["x"]);
    } finally {
      await receiver.close();
    }
  });

  it("close() is idempotent", async () => {
    const receiver = await listen({
      host: "127.0.0.1",
      port: 0,
      onMessage: () => {},
      onError: () => {},
    });
    await Promise.all([receiver.close(), receiver.close()]);
    await expect(receiver.close()).resolves.toBe(undefined);
  });
});

describe("grantedFromReported", () => {
  it("halves what Linux reports and keeps what other systems report", () => {
    expect(grantedFromReported(425984, "linux")).toBe(212992);
    expect(grantedFromReported(425984, "darwin")).toBe(425984);
  });
});

describe("formatEndpoint", () => {
  it("brackets IPv6 addresses", () => {
    expect(formatEndpoint({ address: "::", port: 9999 })).toBe("[::]:9999");
    expect(formatEndpoint({ address: "0.0.0.0", port: 9999 })).toBe("0.0.0.0:9999");
  });
});
