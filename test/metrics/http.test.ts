/** The metrics HTTP endpoint on a real loopback port. */
import { createServer as createTcpServer } from "node:net";
import { Counter, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { type MetricsServer, startMetricsServer } from "../../src/metrics/http.js";
import { get, parseSamples } from "./scrape.js";

const open: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function start(healthy?: () => boolean) {
  const registry = new Registry();
  const counter = new Counter({ name: "test_events_total", help: "events", registers: [registry] });
  counter.inc(3);
  const server = await startMetricsServer({
    host: "127.0.0.1",
    port: 0,
    registry,
    ...(healthy === undefined ? {} : { healthy }),
  });
  open.push(server);
  const base = server.url.replace(/\/metrics$/, "");
  return { registry, counter, server, base };
}

describe("startMetricsServer", () => {
  it("binds port 0 to a real port and names it in url", async () => {
    const { server } = await start();
    expect(server.address().address).toBe("127.0.0.1");
    expect(server.address().port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.address().port}/metrics`);
  });

  it("answers GET /metrics with the registry's text and content type, read at each request", async () => {
    const { registry, counter, base } = await start();
    const first = await get(`${base}/metrics`);
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toBe(registry.contentType);
    expect(first.body).toContain("# TYPE test_events_total counter");
    expect(parseSamples(first.body).get("test_events_total")).toBe(3);
    counter.inc(2);
    const second = await get(`${base}/metrics?name[]=x`);
    expect(parseSamples(second.body).get("test_events_total")).toBe(5);
  });

  it("answers HEAD with the headers only", async () => {
    const { base } = await start();
    const response = await get(`${base}/metrics`, "HEAD");
    expect(response.status).toBe(200);
    expect(response.body).toBe("");
    expect(Number(response.headers["content-length"])).toBeGreaterThan(0);
  });

  it("answers /healthz 200 ok while healthy, 503 otherwise", async () => {
    let healthy = false;
    const { base } = await start(() => healthy);
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 503, body: "unavailable\n" });
    healthy = true;
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: "ok\n" });
  });

  it("answers 200 on /healthz without a health callback", async () => {
    const { base } = await start();
    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: "ok\n" });
  });

  it("answers 404 for any other path and 405 for other methods", async () => {
    const { base } = await start();
    for (const path of ["/", "/metricsx", "/metrics/", "/favicon.ico"]) {
      expect((await get(`${base}${path}`)).status, path).toBe(404);
    }
    const post = await get(`${base}/metrics`, "POST");
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe("GET, HEAD");
  });

  it("answers 500 with the error when collecting fails", async () => {
    const { registry, base } = await start();
    new Counter({
      name: "test_broken_total",
      help: "fails",
      registers: [registry],
      collect() {
        throw new Error("collector broke");
      },
    });
    expect(await get(`${base}/metrics`)).toMatchObject({
      status: 500,
      body: "error: collector broke\n",
    });
  });

  it("rejects with the bind error when the port is taken", async () => {
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      await expect(
        startMetricsServer({ host: "127.0.0.1", port, registry: new Registry() }),
      ).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      taken.close();
    }
  });

  it("close() is idempotent and ends open keep-alive connections", async () => {
    const { server } = await start();
    // fetch keeps its connection open after the response.
    expect((await fetch(server.url)).status).toBe(200);
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    await expect(get(server.url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("puts an IPv6 host in brackets", async () => {
    const server = await startMetricsServer({ host: "::1", port: 0, registry: new Registry() });
    open.push(server);
    expect(server.url).toBe(`http://[::1]:${server.address().port}/metrics`);
    expect((await get(server.url)).status).toBe(200);
  });
});
