/** The server's source checks on a real socket: allow-list, rate limit, top sources, kernel drops. */
import { afterEach, describe, expect, it } from "vitest";
import { datagramText } from "../../src/commands/server/messages.js";
import type { KernelDrops } from "../../src/server/kernel-drops.js";
import {
  createServer,
  type DatagramEvent,
  type LogServer,
  type ServerOptions,
} from "../../src/server/server.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { sendAll } from "../support/udp.js";
import { Collector, utf8 } from "./helpers.js";

const running: LogServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function start(options: Partial<ServerOptions>, host = "127.0.0.1") {
  const events: DatagramEvent[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const output = new Collector();
  const server = await createServer({
    host,
    port: 0,
    output,
    ...options,
    onDatagram: (event) => {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.count <= events.length)) waiter.resolve();
    },
  });
  running.push(server);
  const send = async (datagrams: Uint8Array[], from = host) => {
    const target = events.length + datagrams.length;
    await sendAll(datagrams, server.address().port, from);
    if (events.length < target) {
      await new Promise<void>((resolve) => waiters.push({ count: target, resolve }));
    }
    // Output is written once per event-loop turn.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { server, events, output, send };
}

const entry = (n: number) => utf8(`[{"n":${n}}]`);

describe("source checks before decoding", () => {
  it("refuses sources outside the allow-list as not-allowed, without decoding them", async () => {
    const { server, events, output, send } = await start({ allow: ["10.0.0.0/8"] });
    await send([entry(1), utf8("junk"), entry(2)]);
    const stats = server.stats();
    expect(stats.datagrams).toBe(3);
    expect(stats.entries).toBe(0);
    expect(stats.rejected["not-allowed"]).toBe(3);
    expect(stats.rejected["unknown-format"]).toBe(0);
    expect(stats.kinds).toMatchObject({ json: 0, unknown: 0 });
    expect(output.lines()).toEqual([]);
    expect(events.map((e) => e.refused)).toEqual(["not-allowed", "not-allowed", "not-allowed"]);
    expect(datagramText(events[0] as DatagramEvent)).toMatch(
      /^rejected not-allowed from 127\.0\.0\.1:\d+ \(9 bytes\)$/,
    );
    expect(stats.top_sources.by_rejections).toEqual([{ source: "127.0.0.1", rejections: 3 }]);
  });

  it("decodes what the allow-list lets in", async () => {
    const { server, output, send } = await start({ allow: ["10.0.0.0/8", "127.0.0.1"] });
    await send([entry(1)]);
    expect(output.lines()).toEqual(['{"n":1}']);
    expect(server.stats().rejected["not-allowed"]).toBe(0);
  });

  it("matches IPv4 senders on a dual-stack socket against IPv4 rules", async () => {
    let started: Awaited<ReturnType<typeof start>>;
    try {
      started = await start({ allow: ["127.0.0.0/8"] }, "::");
    } catch {
      return; // No IPv6 on this host.
    }
    await started.send([entry(1)], "127.0.0.1");
    expect(started.output.lines()).toEqual(['{"n":1}']);
    expect(started.server.stats().top_sources.by_datagrams).toEqual([
      { source: "127.0.0.1", datagrams: 1 },
    ]);
  });

  it("refuses past the rate limit as rate-limited, and lets the source in again as time passes", async () => {
    let now = 0;
    const { server, output, send } = await start({ rateLimitPerSecond: 3, now: () => now });
    await send([entry(1), entry(2), entry(3), entry(4), entry(5)]);
    expect(server.stats().rejected["rate-limited"]).toBe(2);
    expect(output.lines()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    now += 1000;
    await send([entry(6), entry(7), entry(8), entry(9)]);
    expect(server.stats().rejected["rate-limited"]).toBe(3);
    expect(server.stats().entries).toBe(6);
  });

  it("counts the decoder's rejections per source, invalid entries included", async () => {
    const { server, send } = await start({});
    await send([utf8("junk"), utf8('[{"a":1},2,3]'), entry(1)]);
    const top = server.stats().top_sources;
    expect(top.by_datagrams).toEqual([{ source: "127.0.0.1", datagrams: 3 }]);
    expect(top.by_rejections).toEqual([{ source: "127.0.0.1", rejections: 3 }]);
  });

  it("rejects unsigned, bare JSON and wrongly signed datagrams when it has keys", async () => {
    const key = utf8("k3y");
    const { server, output, send } = await start({ keys: [utf8("old"), key] });
    const stream = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const signed = (seq: number, k: Uint8Array) =>
      encodeFrame({ compressed: false, stream, seq, key: k }, entry(seq));
    await send([signed(0, key), entry(1), signed(2, utf8("other")), signed(3, utf8("old"))]);
    expect(output.lines()).toEqual(['{"n":0}', '{"n":3}']);
    expect(server.stats().rejected.unauthenticated).toBe(2);
  });
});

describe("kernel drops", () => {
  it("reports the counter's reading in the stats, and its last reading before the socket closed", async () => {
    let reading: KernelDrops = { drops: 0, source: "socket" };
    const ports: number[] = [];
    const { server } = await start({
      kernelDrops: (port) => {
        ports.push(port);
        return { read: () => reading };
      },
    });
    expect(ports).toEqual([server.address().port]);
    reading = { drops: 7, source: "socket" };
    expect(server.stats()).toMatchObject({ kernel_drops: 7, kernel_drops_source: "socket" });
    reading = { drops: 9, source: "socket" };
    const summary = await server.close();
    expect(summary).toMatchObject({ kernel_drops: 9, kernel_drops_source: "socket" });
    reading = { drops: 1000, source: "socket" };
    expect(server.stats()).toMatchObject({ kernel_drops: 9, kernel_drops_source: "socket" });
  });

  it("says unavailable with a null count when the system does not tell", async () => {
    const { server } = await start({
      kernelDrops: () => ({ read: () => ({ drops: null, source: "unavailable" }) }),
    });
    const summary = await server.close();
    expect(summary.kernel_drops).toBe(null);
    expect(summary.kernel_drops_source).toBe("unavailable");
    expect(JSON.stringify(summary)).toContain(
      '"kernel_drops":null,"kernel_drops_source":"unavailable"',
    );
  });

  it.runIf(process.platform === "linux")(
    "reads this socket's counter from /proc by default",
    async () => {
      const { server } = await start({});
      expect(server.stats()).toMatchObject({ kernel_drops: 0, kernel_drops_source: "socket" });
    },
  );
});
