/** The server's metrics scraped over HTTP while a real server receives datagrams on loopback. */
import type { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { startMetricsServer } from "../../src/metrics/http.js";
import { createMetricsRegistry } from "../../src/metrics/registry.js";
import { registerServerMetrics } from "../../src/metrics/server-metrics.js";
import { createServer } from "../../src/server/server.js";
import { Counters, SERVER_REJECT_REASONS, type ServerStats } from "../../src/server/stats.js";
import { encodeFrame } from "../../src/wire/frame.js";
import { Collector, legacyFrame, utf8 } from "../server/helpers.js";
import { sendAll } from "../support/udp.js";
import { byLabel, parseTypes, sampleKey, scrape } from "./scrape.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(registry: Registry) {
  const http = await startMetricsServer({ host: "127.0.0.1", port: 0, registry });
  cleanups.push(() => http.close());
  return http;
}

/** A server whose `received(n)` resolves once n datagrams have been handled. */
async function startServer() {
  let handled = 0;
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = await createServer({
    host: "127.0.0.1",
    port: 0,
    output: new Collector(),
    onDatagram: () => {
      handled += 1;
      for (const waiter of waiters.filter((w) => handled >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
  });
  cleanups.push(() => server.close());
  const received = (count: number) =>
    handled >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  return { server, received };
}

const STREAM = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
const sequenced = (seq: number, json: string) =>
  encodeFrame({ compressed: false, stream: STREAM, seq }, utf8(json));

/** Every counter and gauge, as the server's own stats say it should read. */
function expectMatches(metrics: ReadonlyMap<string, number>, stats: ServerStats): void {
  const value = (name: string) => metrics.get(`shipper_server_${name}`);
  expect(byLabel(metrics, "shipper_server_datagrams_total", "kind")).toEqual(stats.kinds);
  expect(byLabel(metrics, "shipper_server_rejected_total", "reason")).toEqual(stats.rejected);
  expect(value("entries_total")).toBe(stats.entries);
  expect(value("received_bytes_total")).toBe(stats.bytes);
  expect(value("lost_messages_total")).toBe(stats.lost);
  expect(value("duplicate_messages_total")).toBe(stats.duplicates);
  expect(value("reordered_messages_total")).toBe(stats.reordered);
  expect(value("late_messages_total")).toBe(stats.late);
  expect(value("output_dropped_entries_total")).toBe(stats.output_dropped);
  expect(value("acks_sent_total")).toBe(stats.acks_sent);
  expect(value("ack_datagrams_total")).toBe(stats.ack_datagrams);
  expect(value("ack_bytes_total")).toBe(stats.ack_bytes);
  expect(value("acks_skipped_total")).toBe(stats.acks_skipped);
  expect(value("streams")).toBe(stats.streams);
  expect(value("partial_messages")).toBe(stats.partials);
  expect(value("reassembly_bytes")).toBe(stats.reassembly_bytes);
  expect(value("output_pending_bytes")).toBe(stats.output_pending_bytes);
}

describe("server metrics over HTTP", () => {
  it("count datagrams by kind, entries, bytes and rejections by reason, as sent", async () => {
    const { server, received } = await startServer();
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => server.stats());
    const http = await serve(registry);

    const datagrams = [
      utf8('[{"message":"a"},{"message":"b"}]'),
      legacyFrame('[{"message":"c"}]'),
      utf8("hello, not a log"),
      utf8("{not json"),
      utf8('[{"message":"d"},7]'),
      sequenced(1, '{"message":"e"}'),
      sequenced(1, '{"message":"e"}'),
      sequenced(3, '{"message":"f"}'),
    ];
    await sendAll(datagrams, server.address().port);
    await received(datagrams.length);
    const metrics = await scrape(http.url);

    expect(byLabel(metrics, "shipper_server_datagrams_total", "kind")).toMatchObject({
      framed: 4,
      json: 3,
      unknown: 1,
    });
    expect(metrics.get("shipper_server_entries_total")).toBe(6);
    const bytes = datagrams.reduce((sum, d) => sum + d.byteLength, 0);
    expect(metrics.get("shipper_server_received_bytes_total")).toBe(bytes);
    const rejected = byLabel(metrics, "shipper_server_rejected_total", "reason");
    expect(Object.keys(rejected)).toEqual([...SERVER_REJECT_REASONS]);
    expect(rejected).toMatchObject({ "unknown-format": 1, "invalid-json": 1, "invalid-entry": 1 });
    expect(rejected["too-large"]).toBe(0);
    expect(metrics.get("shipper_server_duplicate_messages_total")).toBe(1);
    expect(metrics.get("shipper_server_streams")).toBe(1);
    expect(metrics.get("shipper_server_lost_messages_total")).toBe(0);
    expectMatches(metrics, server.stats());
  });

  it("count the acknowledgements sent to a sender that asked", async () => {
    const { server, received } = await startServer();
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => server.stats());
    const http = await serve(registry);
    const asking = encodeFrame(
      { compressed: false, stream: STREAM, seq: 9, ackRequested: true },
      utf8('{"message":"g"}'),
    );
    await sendAll([asking], server.address().port);
    await received(1);
    while (server.stats().ack_datagrams === 0) await new Promise((r) => setTimeout(r, 5));
    const metrics = await scrape(http.url);
    expect(metrics.get("shipper_server_acks_sent_total")).toBe(1);
    expect(metrics.get("shipper_server_ack_datagrams_total")).toBe(1);
    expect(metrics.get("shipper_server_ack_bytes_total")).toBe(21);
    expectMatches(metrics, server.stats());
  });

  it("read the counters at each scrape: the gap left open counts as lost after close", async () => {
    const { server, received } = await startServer();
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => server.stats());
    const http = await serve(registry);
    await sendAll([sequenced(10, "{}"), sequenced(12, "{}")], server.address().port);
    await received(2);
    expect((await scrape(http.url)).get("shipper_server_lost_messages_total")).toBe(0);
    await server.close();
    const after = await scrape(http.url);
    expect(after.get("shipper_server_lost_messages_total")).toBe(1);
    expectMatches(after, server.stats());
  });

  it("declare counters as counters, durations as histograms, the rest as gauges", async () => {
    const { server } = await startServer();
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => server.stats());
    const http = await serve(registry);
    const response = await fetch(http.url);
    const types = parseTypes(await response.text());
    for (const [name, type] of types) {
      expect(name.startsWith("shipper_server_"), name).toBe(true);
      const expected = name.endsWith("_total")
        ? "counter"
        : name.endsWith("_seconds")
          ? "histogram"
          : "gauge";
      expect(type, name).toBe(expected);
    }
    expect(types.get("shipper_server_reassembly_bytes")).toBe("gauge");
  });

  it("include the standard process metrics, unprefixed", async () => {
    const { server } = await startServer();
    const registry = createMetricsRegistry();
    registerServerMetrics(registry, () => server.stats());
    const metrics = await scrape((await serve(registry)).url);
    expect(metrics.get("process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(metrics.has("nodejs_eventloop_lag_seconds")).toBe(true);
  });
});

describe("shipper_server_kernel_drops_total", () => {
  const sequence = {
    lost: 0,
    duplicates: 0,
    reordered: 0,
    late: 0,
    streams: 0,
    partials: 0,
    reassemblyBytes: 0,
  };
  const statsWith = (drops: number | null, source: "socket" | "system" | "unavailable") =>
    new Counters().snapshot(sequence, 0, 0, {
      kernelDrops: { drops, source },
      topSources: { by_datagrams: [], by_rejections: [] },
    });

  it("is the server's kernel drops, labelled with where they come from", async () => {
    let drops = 5;
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => statsWith(drops, "socket"));
    const http = await serve(registry);
    const key = sampleKey("shipper_server_kernel_drops_total", { source: "socket" });
    expect((await scrape(http.url)).get(key)).toBe(5);
    drops = 8;
    expect((await scrape(http.url)).get(key)).toBe(8);
  });

  it("is absent, not a made-up 0, where the system does not report drops", async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => statsWith(null, "unavailable"));
    const metrics = await scrape((await serve(registry)).url);
    expect([...metrics.keys()].some((key) => key.includes("kernel_drops"))).toBe(false);
    expect(metrics.get("shipper_server_entries_total")).toBe(0);
  });
});

describe("shipper_server_unread_bytes", () => {
  const sequence = {
    lost: 0,
    duplicates: 0,
    reordered: 0,
    late: 0,
    streams: 0,
    partials: 0,
    reassemblyBytes: 0,
  };
  const statsWith = (unreadBytes: number | null) =>
    new Counters().snapshot(sequence, 0, 0, {
      kernelDrops: { drops: 0, source: "socket" },
      unreadBytes,
      topSources: { by_datagrams: [], by_rejections: [] },
    });

  it("is the bytes queued on the server's socket at each scrape", async () => {
    let unread = 0;
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => statsWith(unread));
    const http = await serve(registry);
    expect((await scrape(http.url)).get("shipper_server_unread_bytes")).toBe(0);
    unread = 9216;
    expect((await scrape(http.url)).get("shipper_server_unread_bytes")).toBe(9216);
  });

  it("is absent, not a made-up 0, where the socket's queue cannot be read", async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    registerServerMetrics(registry, () => statsWith(null));
    const metrics = await scrape((await serve(registry)).url);
    expect(metrics.has("shipper_server_unread_bytes")).toBe(false);
  });
});
