/**
 * The built server's HTTP output against a real node:http endpoint in the
 * test: one that answers 503 for 5 s and then 200 (every entry arrives,
 * none twice), and one that answers 400 (the entries are dropped, counted,
 * and the exit code says so).
 */
import { afterEach, describe, expect, it } from "vitest";
import { HttpReceiver } from "../server/outputs/http-receiver.js";
import {
  eventually,
  numberedDatagrams,
  type OutputServer,
  sendPaced,
  startOutputServer,
  stopOutputServer,
} from "../support/output-server.js";

const ns = (body: string) => (JSON.parse(body) as { n: number }[]).map((entry) => entry.n);

describe("shipper-server --output http://", () => {
  const receivers: HttpReceiver[] = [];
  const servers: OutputServer[] = [];
  afterEach(async () => {
    for (const { server } of servers.splice(0)) {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
    }
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
  });
  const start = async (receiver: HttpReceiver, more: readonly string[] = []) => {
    receivers.push(receiver);
    const url = `http://127.0.0.1:${receiver.port}/ingest`;
    const started = await startOutputServer(["--output", url, ...more]);
    servers.push(started);
    return { ...started, url };
  };

  it("delivers every entry once to an endpoint that answers 503 for 5 s", async () => {
    const receiver = await HttpReceiver.start();
    /** How many times each entry was accepted (answered 200). */
    const accepted = new Map<number, number>();
    let firstAt: number | undefined;
    receiver.handler = (req, res) => {
      firstAt ??= Date.now();
      if (Date.now() - firstAt < 5_000) {
        res.statusCode = 503;
        res.end();
        return;
      }
      for (const n of ns(req.body)) accepted.set(n, (accepted.get(n) ?? 0) + 1);
      res.end();
    };
    const { server, port, url } = await start(receiver, ["--output-batch-interval", "0.1"]);
    await sendPaced(port, numberedDatagrams(100));
    expect(await eventually(() => accepted.size === 10_000, 60_000)).toBe(true);
    const { code, outputs } = await stopOutputServer(server);
    expect(code).toBe(0);
    expect([...accepted.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10_000 }, (_, i) => i),
    );
    expect([...accepted.values()].filter((times) => times !== 1)).toEqual([]);
    // The endpoint refused before it took anything.
    expect(receiver.received.length).toBeGreaterThan(outputs[url]?.batches ?? 0);
    expect(outputs[url]).toMatchObject({ entries: 10_000, dropped: {}, queued: 0 });
    expect(outputs[url]?.retries).toBeGreaterThan(0);
    expect(outputs[url]?.errors["http-503"]).toBeGreaterThan(0);
  }, 90_000);

  it("drops what an endpoint answers 400, counts it and exits 1 naming the output", async () => {
    const receiver = await HttpReceiver.start();
    receiver.handler = (_req, res) => {
      res.statusCode = 400;
      res.end();
    };
    const { server, port, url } = await start(receiver, ["--output-batch-interval", "0.05"]);
    await sendPaced(port, numberedDatagrams(10));
    const refused = () => receiver.received.reduce((sum, r) => sum + ns(r.body).length, 0);
    expect(await eventually(() => refused() === 1000)).toBe(true);
    const { code, outputs, stderr } = await stopOutputServer(server);
    expect(code).toBe(1);
    expect(outputs[url]).toMatchObject({ entries: 0, retries: 0, dropped: { "http-400": 1000 } });
    // Each batch was tried once: a 400 is not retried.
    expect(receiver.received).toHaveLength(outputs[url]?.errors["http-400"] ?? -1);
    const named = stderr.filter((line) => line.includes(url));
    expect(named).toEqual([
      `shipper-server: error: output ${url}: 1000 entries not delivered (http-400 1000)`,
    ]);
  }, 60_000);
});
