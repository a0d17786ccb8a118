/** --metrics-port and --metrics-host of both commands, and their main() in-process with a fake CliIO. */
import dgram from "node:dgram";
import { createServer as createTcpServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { resolveClient } from "../../../src/commands/client/config.js";
import { main as clientMain } from "../../../src/commands/client/main.js";
import { main as serverMain } from "../../../src/commands/server/main.js";
import { parseServerArgs } from "../../../src/commands/server/options.js";
import { get, scrape } from "../../metrics/scrape.js";
import { utf8 } from "../../server/helpers.js";
import { FakeIO, type Output } from "../../support/fake-io.js";
import { sendAll } from "../../support/udp.js";

/** The URL of the `metrics on http://...` line, once printed. */
async function metricsUrl(stderr: Output): Promise<string> {
  await stderr.until((lines) => lines.some((line) => line.includes(" metrics on ")));
  const line = stderr.lines.find((l) => l.includes(" metrics on ")) ?? "";
  return line.slice(line.indexOf("http://"));
}

const taken: Server[] = [];
afterEach(() => {
  for (const server of taken.splice(0)) server.close();
});

/** A TCP port bound by someone else. */
async function takenPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  taken.push(server);
  return (server.address() as { port: number }).port;
}

describe("metrics options", () => {
  it("are off unless a port is given; the host defaults to 127.0.0.1", () => {
    const io = new FakeIO();
    expect(parseServerArgs([], {}, io)).toMatchObject({ metrics: undefined });
    expect(parseServerArgs(["--metrics-port", "0"], {}, io)).toMatchObject({
      metrics: { host: "127.0.0.1", port: 0 },
    });
  });

  it("come from METRICS_PORT and METRICS_HOST, a flag winning over its variable", () => {
    const io = new FakeIO();
    const env = { METRICS_PORT: "9464", METRICS_HOST: "::" };
    expect(parseServerArgs([], env, io)).toMatchObject({ metrics: { host: "::", port: 9464 } });
    expect(parseServerArgs(["--metrics-port", "9100"], env, io)).toMatchObject({
      metrics: { host: "::", port: 9100 },
    });
  });

  it("reject a port out of range with exit 2 and a line naming the option", () => {
    const flag = new FakeIO();
    expect(parseServerArgs(["--metrics-port", "70000"], {}, flag)).toBe(2);
    expect(flag.stderr.lines.join("\n")).toContain("--metrics-port");
    const env = new FakeIO();
    expect(parseServerArgs([], { METRICS_PORT: "x" }, env)).toBe(2);
    expect(env.stderr.lines.join("\n")).toContain("METRICS_PORT");
  });

  it("are the same on the client", async () => {
    const io = new FakeIO();
    const on = await resolveClient(["--metrics-port", "0"], { METRICS_HOST: "::1" }, io);
    expect(on).toMatchObject({ config: { metrics: { host: "::1", port: 0 } } });
    expect(await resolveClient([], {}, io)).toMatchObject({ config: { metrics: undefined } });
    expect(await resolveClient(["--metrics-port", "-1"], {}, new FakeIO())).toBe(2);
  });
});

describe("shipper-server main with --metrics-port", () => {
  it("announces the metrics URL before the listening line, serves live counters, stops on SIGTERM", async () => {
    const io = new FakeIO();
    const { stderr, raise } = io;
    const argv = ["--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--quiet"];
    const done = serverMain(argv, {}, io);
    await stderr.until((lines) => lines.some((line) => line.includes("listening on")));
    const url = await metricsUrl(stderr);
    const metricsLine = stderr.lines.findIndex((line) => line.includes(" metrics on "));
    const listening = stderr.lines.findIndex((line) => line.includes("listening on"));
    expect(stderr.lines[metricsLine]).toMatch(
      /^shipper-server: metrics on http:\/\/127\.0\.0\.1:\d+\/metrics$/,
    );
    expect(metricsLine).toBeLessThan(listening);
    expect(await get(url.replace(/metrics$/, "healthz"))).toMatchObject({ status: 200 });

    const udpPort = Number(/:(\d+)$/.exec(stderr.lines[listening] ?? "")?.[1]);
    await sendAll([utf8('{"message":"one"}'), utf8("nope")], udpPort);
    let metrics = await scrape(url);
    while ((metrics.get('shipper_server_datagrams_total{kind="unknown"}') ?? 0) < 1) {
      metrics = await scrape(url);
    }
    expect(metrics.get("shipper_server_entries_total")).toBe(1);
    expect(metrics.get('shipper_server_rejected_total{reason="unknown-format"}')).toBe(1);

    raise("SIGTERM");
    expect(await done).toBe(0);
    await expect(get(url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("exits 1 with one line when the metrics port is taken, before binding UDP", async () => {
    const port = await takenPort();
    const io = new FakeIO();
    const { stderr } = io;
    expect(await serverMain(["--port", "0", "--metrics-port", String(port)], {}, io)).toBe(1);
    expect(stderr.lines).toEqual([
      `shipper-server: cannot serve metrics on http://127.0.0.1:${port}: address already in use (EADDRINUSE)`,
    ]);
  });
});

describe("shipper-client main with --metrics-port", () => {
  it("serves the shipper's counters while reading, and closes the endpoint at the end", async () => {
    const sink = dgram.createSocket("udp4");
    const received: Buffer[] = [];
    const arrived = new Promise<void>((resolve) =>
      sink.on("message", (message) => {
        received.push(message);
        if (received.length === 2) resolve();
      }),
    );
    await new Promise<void>((resolve) => sink.bind(0, "127.0.0.1", resolve));
    try {
      const io = new FakeIO();
      const { stdin, stderr } = io;
      const argv = [
        "--target-host",
        "127.0.0.1",
        "--target-port",
        String(sink.address().port),
        "--batch-size",
        "2",
        "--metrics-port",
        "0",
      ];
      const done = clientMain(argv, {}, io);
      const url = await metricsUrl(stderr);
      stdin.write("one\ntwo\nthree\nfour\n");
      await arrived;
      let metrics = await scrape(url);
      while ((metrics.get("shipper_client_sent_entries_total") ?? 0) < 4)
        metrics = await scrape(url);
      expect(metrics.get("shipper_client_entries_total")).toBe(4);
      expect(metrics.get("shipper_client_datagrams_total")).toBe(2);
      expect(metrics.get('shipper_client_flushes_total{trigger="size"}')).toBe(2);
      expect(metrics.get("shipper_client_batch_entries_sum")).toBe(4);
      stdin.end();
      expect(await done).toBe(0);
      await expect(get(url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      sink.close();
    }
  });

  it("exits 1 with one line when the metrics port is taken, before reading input", async () => {
    const port = await takenPort();
    const io = new FakeIO();
    const { stdin, stderr } = io;
    expect(await clientMain(["--metrics-port", String(port)], {}, io)).toBe(1);
    expect(stderr.lines).toEqual([
      `shipper-client: cannot serve metrics on http://127.0.0.1:${port}: address already in use (EADDRINUSE)`,
    ]);
    expect(stdin.readableFlowing).toBe(null);
  });
});
