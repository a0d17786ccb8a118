/** The built commands with --metrics-port 0: the announced endpoint answers, and it never keeps the process alive. */
import dgram from "node:dgram";
import { describe, expect, it } from "vitest";
import { byLabel, get, scrape } from "../metrics/scrape.js";
import { utf8 } from "../server/helpers.js";
import { listeningPort, type Run, runCommand, summaryOf } from "../support/process.js";
import { sendAll } from "../support/udp.js";

const METRICS_LINE =
  /^shipper-(?:server|client): metrics on (http:\/\/127\.0\.0\.1:(\d+)\/metrics)$/;

/** The URL the command announced. */
async function metricsUrl(run: Run): Promise<string> {
  await run.until("stderr", (lines) => lines.some((line) => METRICS_LINE.test(line)));
  const line = run.stderr.find((l) => METRICS_LINE.test(l)) ?? "";
  return METRICS_LINE.exec(line)?.[1] ?? "";
}

/** Scrapes until `done` holds for the samples (the command updates them as it goes). */
async function scrapeUntil(url: string, done: (samples: ReadonlyMap<string, number>) => boolean) {
  let samples = await scrape(url);
  while (!done(samples)) samples = await scrape(url);
  return samples;
}

describe("shipper-server --metrics-port 0", () => {
  it("announces the real port, serves metrics and healthz, and exits 0 on SIGTERM", async () => {
    const args = ["--host", "127.0.0.1", "--port", "0", "--metrics-port", "0"];
    const server = runCommand("shipper-server", args, { readStdout: false });
    const url = await metricsUrl(server);
    const udpPort = await listeningPort(server);
    expect(await get(url.replace(/metrics$/, "healthz"))).toMatchObject({
      status: 200,
      body: "ok\n",
    });
    expect((await get(url.replace(/metrics$/, "other"))).status).toBe(404);

    await sendAll([utf8('[{"message":"a"},{"message":"b"}]')], udpPort);
    const metrics = await scrapeUntil(url, (s) => s.get("shipper_server_entries_total") === 2);
    expect(metrics.get('shipper_server_datagrams_total{kind="json"}')).toBe(1);
    expect(metrics.get("process_resident_memory_bytes")).toBeGreaterThan(0);

    server.child.kill("SIGTERM");
    expect(await server.exited()).toBe(0);
    expect(summaryOf(server)).toMatchObject({ entries: 2 });
  });

  it("exits 1 with one line when the metrics port is taken", async () => {
    const first = runCommand("shipper-server", ["--port", "0", "--metrics-port", "0"], {
      readStdout: false,
    });
    const port = Number(/:(\d+)\/metrics$/.exec(await metricsUrl(first))?.[1]);
    try {
      const second = runCommand("shipper-server", ["--port", "0"], {
        env: { METRICS_PORT: String(port) },
      });
      expect(await second.exited()).toBe(1);
      expect(second.stderr).toEqual([
        `shipper-server: cannot serve metrics on http://127.0.0.1:${port}: address already in use (EADDRINUSE)`,
      ]);
    } finally {
      first.child.kill("SIGTERM");
      await first.exited();
    }
  });
});

describe("shipper-client --metrics-port 0", () => {
  it("serves metrics while generating and exits 0 after draining on SIGTERM", async () => {
    const sink = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => sink.bind(0, "127.0.0.1", resolve));
    try {
      const client = runCommand("shipper-client", [
        "--generate",
        "--run-time",
        "0",
        "--logs-per-second",
        "1000",
        "--batch-size",
        "5",
        "--target-host",
        "127.0.0.1",
        "--target-port",
        String(sink.address().port),
        "--metrics-port",
        "0",
      ]);
      const url = await metricsUrl(client);
      const metrics = await scrapeUntil(
        url,
        (s) => (s.get("shipper_client_sent_entries_total") ?? 0) >= 10,
      );
      expect(metrics.get("shipper_client_datagrams_total")).toBeGreaterThanOrEqual(2);
      const flushes = Object.values(byLabel(metrics, "shipper_client_flushes_total", "trigger"));
      expect(metrics.get("shipper_client_batch_entries_count")).toBe(
        flushes.reduce((sum, count) => sum + count, 0),
      );
      client.child.kill("SIGTERM");
      expect(await client.exited()).toBe(0);
      const summary = summaryOf(client);
      expect(summary.sent).toBe(summary.entries);
    } finally {
      sink.close();
    }
  });
});
