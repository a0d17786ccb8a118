/** The client's metrics scraped over HTTP while a real shipper sends to a UDP socket on loopback. */
import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { REFUSAL_CODES } from "../../src/client/refusals.js";
import { createShipper, type Shipper } from "../../src/client/shipper.js";
import { DROP_REASONS } from "../../src/client/summary.js";
import { clientObserver, registerClientMetrics } from "../../src/metrics/client-metrics.js";
import { startMetricsServer } from "../../src/metrics/http.js";
import { createMetricsRegistry } from "../../src/metrics/registry.js";
import { byLabel, parseTypes, sampleKey, scrape } from "./scrape.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A UDP socket that keeps the sizes of the datagrams it gets; `got(n)` resolves at n. */
async function sink() {
  const socket = dgram.createSocket("udp4");
  const sizes: number[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  socket.on("message", (message) => {
    sizes.push(message.length);
    for (const waiter of waiters.filter((w) => sizes.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  const got = (count: number) =>
    sizes.length >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  return { port: socket.address().port, sizes, got };
}

/** A UDP port on 127.0.0.1 with nothing bound to it. */
async function closedPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A shipper with metrics on, its endpoint, and the UDP socket it sends to. */
async function setUp(batchSize: number, port?: number) {
  const target = await sink();
  const registry = createMetricsRegistry({ processMetrics: false });
  const shipper: Shipper = createShipper({
    targetHost: "127.0.0.1",
    targetPort: port ?? target.port,
    batchSize,
    flushIntervalMs: 0,
    batchBytes: 0,
    flushLevel: undefined,
    compress: false,
    sequenced: true,
    maxDatagramBytes: 65_507,
    maxRetries: 0,
    observer: clientObserver(registry),
  });
  cleanups.push(() => shipper.close());
  registerClientMetrics(registry, shipper);
  const http = await startMetricsServer({ host: "127.0.0.1", port: 0, registry });
  cleanups.push(() => http.close());
  return { target, shipper, url: http.url };
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe("client metrics over HTTP", () => {
  it("count entries, sends, datagrams and bytes as the socket received them", async () => {
    const { target, shipper, url } = await setUp(3);
    for (let i = 0; i < 7; i++) shipper.log({ level: "INFO", message: `entry ${i}` });
    await shipper.flush();
    await target.got(3);
    const metrics = await scrape(url);

    expect(metrics.get("shipper_client_entries_total")).toBe(7);
    expect(metrics.get("shipper_client_sent_entries_total")).toBe(7);
    expect(metrics.get("shipper_client_datagrams_total")).toBe(3);
    expect(metrics.get("shipper_client_sent_bytes_total")).toBe(sum(target.sizes));
    expect(metrics.get("shipper_client_retries_total")).toBe(0);
    expect(metrics.get("shipper_client_send_errors_total")).toBe(0);
    expect(byLabel(metrics, "shipper_client_flushes_total", "trigger")).toEqual({
      size: 2,
      interval: 0,
      bytes: 0,
      level: 0,
      shutdown: 0,
      manual: 1,
    });
    const dropped = byLabel(metrics, "shipper_client_dropped_entries_total", "reason");
    expect(Object.keys(dropped)).toEqual([...DROP_REASONS]);
    expect(Object.values(dropped).every((count) => count === 0)).toBe(true);
    expect(metrics.get("shipper_client_queue_bytes")).toBe(0);
    const refused = byLabel(metrics, "shipper_client_refused_datagrams_total", "code");
    expect(refused).toEqual({ ECONNREFUSED: 0, EHOSTUNREACH: 0, ENETUNREACH: 0 });
    expect(Object.keys(refused)).toEqual([...REFUSAL_CODES]);
  });

  it("count datagrams a closed port bounced as refused, by code", async () => {
    const { shipper, url } = await setUp(1, await closedPort());
    const refusing = new Promise<void>((resolve) => shipper.onRefusing?.(() => resolve()));
    shipper.log({ message: "to nobody" });
    await refusing;
    const metrics = await scrape(url);
    expect(byLabel(metrics, "shipper_client_refused_datagrams_total", "code")).toEqual({
      ECONNREFUSED: 1,
      EHOSTUNREACH: 0,
      ENETUNREACH: 0,
    });
    expect(metrics.get("shipper_client_sent_entries_total")).toBe(1);
    expect(metrics.get("shipper_client_send_errors_total")).toBe(0);
  });

  it("observe every batch, datagram and send in the histograms", async () => {
    const { target, shipper, url } = await setUp(3);
    for (let i = 0; i < 7; i++) shipper.log({ message: `entry ${i}` });
    await shipper.flush();
    await target.got(3);
    const metrics = await scrape(url);
    const batch = (suffix: string, labels: Record<string, string> = {}) =>
      metrics.get(sampleKey(`shipper_client_batch_entries_${suffix}`, labels));

    expect(batch("count")).toBe(3);
    expect(batch("sum")).toBe(7);
    expect(batch("bucket", { le: "1" })).toBe(1);
    expect(batch("bucket", { le: "2" })).toBe(1);
    expect(batch("bucket", { le: "5" })).toBe(3);
    expect(metrics.get("shipper_client_datagram_bytes_count")).toBe(3);
    expect(metrics.get("shipper_client_datagram_bytes_sum")).toBe(sum(target.sizes));
    expect(metrics.get("shipper_client_send_duration_seconds_count")).toBe(3);
    const inf = sampleKey("shipper_client_send_duration_seconds_bucket", { le: "+Inf" });
    expect(metrics.get(inf)).toBe(3);
  });

  it("show the queue depth: the batch being gathered, in bytes of its JSON array", async () => {
    const { shipper, url } = await setUp(100);
    // With every field log() fills present, the entry goes as it is.
    const entry = {
      timestamp: "2026-11-24T10:30:00.000Z",
      message: "waiting",
      service: "s",
      host: "h",
    };
    shipper.log(entry);
    shipper.log(entry);
    const json = JSON.stringify(entry);
    const expected = Buffer.byteLength(`[${json},${json}]`);
    expect((await scrape(url)).get("shipper_client_queue_bytes")).toBe(expected);
  });

  it("count drops by reason", async () => {
    const { shipper, url } = await setUp(1);
    await shipper.close();
    shipper.log({ message: "too late" });
    const metrics = await scrape(url);
    expect(byLabel(metrics, "shipper_client_dropped_entries_total", "reason")).toMatchObject({
      closed: 1,
      "send-failed": 0,
      "encode-failed": 0,
    });
    expect(metrics.get("shipper_client_entries_total")).toBe(1);
  });

  it("declare counters, gauges and histograms by their names' conventions", async () => {
    const { url } = await setUp(1);
    const types = parseTypes(await (await fetch(url)).text());
    expect(types.get("shipper_client_batch_entries")).toBe("histogram");
    expect(types.get("shipper_client_datagram_bytes")).toBe("histogram");
    expect(types.get("shipper_client_send_duration_seconds")).toBe("histogram");
    expect(types.get("shipper_client_queue_bytes")).toBe("gauge");
    for (const [name, type] of types) {
      expect(name.startsWith("shipper_client_"), name).toBe(true);
      if (name.endsWith("_total")) expect(type, name).toBe("counter");
    }
  });
});
