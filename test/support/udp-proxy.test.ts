/** The test proxy itself: forwards both ways, impairs by its seeded odds, pauses. */
import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { UdpProxy } from "./udp-proxy.js";

const opened: { close(): unknown }[] = [];

afterEach(async () => {
  for (const thing of opened.splice(0)) await thing.close();
});

/** A socket on loopback that keeps what it gets and can answer. */
async function endpoint() {
  const socket = dgram.createSocket("udp4");
  const got: string[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  socket.on("message", (datagram, from) => {
    got.push(datagram.toString());
    last = from;
    const ready = waiters.filter((w) => got.length >= w.n);
    waiters = waiters.filter((w) => got.length < w.n);
    for (const w of ready) w.resolve();
  });
  let last: dgram.RemoteInfo | undefined;
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  opened.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return {
    socket,
    got,
    port: () => socket.address().port,
    from: () => last,
    until: (n: number) =>
      got.length >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    send: (text: string, port: number) =>
      new Promise<void>((resolve) => socket.send(text, port, "127.0.0.1", () => resolve())),
  };
}

async function proxyTo(port: number, options: Partial<Parameters<typeof UdpProxy.start>[0]> = {}) {
  const proxy = await UdpProxy.start({ targetPort: port, ...options });
  opened.push(proxy);
  return proxy;
}

describe("UdpProxy", () => {
  it("forwards to the target and the target's answers back to the client", async () => {
    const server = await endpoint();
    const client = await endpoint();
    const proxy = await proxyTo(server.port());
    await client.send("ping", proxy.port);
    await server.until(1);
    expect(server.got).toEqual(["ping"]);
    expect(server.from()?.port).toBe(proxy.targetSidePort);
    await server.send("pong", proxy.targetSidePort);
    await client.until(1);
    expect(client.got).toEqual(["pong"]);
  });

  it("drops and duplicates by its odds, the same way for the same seed", async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const server = await endpoint();
      const client = await endpoint();
      const proxy = await proxyTo(server.port(), {
        toTarget: { drop: 0.3, duplicate: 0.2 },
        seed: 5,
      });
      for (let i = 0; i < 200; i++) await client.send(String(i), proxy.port);
      while (proxy.stats.toTarget.received < 200) await new Promise((r) => setTimeout(r, 5));
      const { toTarget } = proxy.stats;
      await server.until(toTarget.forwarded);
      expect(toTarget.received).toBe(200);
      expect(toTarget.dropped).toBeGreaterThan(20);
      expect(toTarget.duplicated).toBeGreaterThan(10);
      expect(server.got.length).toBe(200 - toTarget.dropped + toTarget.duplicated);
      runs.push([toTarget.dropped, toTarget.duplicated]);
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it("reorders: a held datagram goes after the next one", async () => {
    const server = await endpoint();
    const client = await endpoint();
    const proxy = await proxyTo(server.port(), { toTarget: { reorder: 1, delayMs: 5_000 } });
    await client.send("first", proxy.port);
    await client.send("second", proxy.port);
    await server.until(2);
    expect(server.got).toEqual(["second", "first"]);
  });

  it("delays by delayMs", async () => {
    const server = await endpoint();
    const client = await endpoint();
    const proxy = await proxyTo(server.port(), { toTarget: { delay: 1, delayMs: 30 } });
    await client.send("late", proxy.port);
    await server.until(1);
    expect(proxy.stats.toTarget.delayed).toBe(1);
  });

  it("drops everything while paused, both ways, and forwards again after resume()", async () => {
    const server = await endpoint();
    const client = await endpoint();
    const proxy = await proxyTo(server.port());
    await client.send("hello", proxy.port);
    await server.until(1);
    proxy.pause();
    await client.send("lost", proxy.port);
    await server.send("lost too", proxy.targetSidePort);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(proxy.stats.toTarget.dropped + proxy.stats.toClient.dropped).toBe(2);
    proxy.resume();
    await client.send("back", proxy.port);
    await server.until(2);
    expect(server.got).toEqual(["hello", "back"]);
    expect(client.got).toEqual([]);
  });
});
