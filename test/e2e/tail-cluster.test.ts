/**
 * The cluster demo without Docker: three `shipper-client --reliable
 * --generate`, one service each, into two `shipper-server` publishing to a
 * 3-node loopback JetStream cluster with 3 replicas; `shipper-tail --count`
 * then finds every generated entry in the stream exactly once, per service,
 * and again with one NATS server stopped.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { natsServerPath, SKIP_LINE, startCluster } from "../support/nats-server.js";
import { lastJson, type Run, runCommand, sleep, startServer, stop } from "../support/process.js";

if (natsServerPath === undefined) console.log(SKIP_LINE);

const SERVICES = ["auth", "checkout", "search"] as const;
const PER_CLIENT = 2_000;

/** How long count() tries: a loaded machine can take tens of seconds to elect new leaders. */
const COUNT_WITHIN_MS = 60_000;

/** shipper-tail --count's totals; tried again while the cluster elects a new stream leader. */
async function count(servers: string): Promise<Record<string, unknown>> {
  const deadline = performance.now() + COUNT_WITHIN_MS;
  for (;;) {
    const tail = runCommand("shipper-tail", ["-s", servers, "--count", "--timeout", "5"]);
    const code = await tail.exited();
    if (code === 0) return JSON.parse(tail.stdout[0] ?? "") as Record<string, unknown>;
    if (performance.now() > deadline) {
      throw new Error(`shipper-tail exited ${code}: ${tail.stderr.join("\n")}`);
    }
    await sleep(1_000);
  }
}

describe.skipIf(natsServerPath === undefined)("three clients, two servers, JetStream R3", () => {
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const item of started.reverse()) await item.stop();
  });

  it("stores every generated entry once, per service, readable with a node down", async () => {
    const nats = await startCluster("shipper-tail-cluster");
    started.push({ stop: async () => void (await Promise.all(nats.map((n) => n.dispose()))) });
    const spec = `nats://${nats.map((n) => `127.0.0.1:${n.port}`).join(",")}`;
    const servers: Run[] = [];
    const ports: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { server, port } = await startServer([
        "--quiet",
        "--output",
        spec,
        "--nats-replicas",
        "3",
      ]);
      started.push({ stop: async () => void (await stop(server)) });
      servers.push(server);
      ports.push(port);
    }
    const clients = SERVICES.map((service, i) =>
      runCommand("shipper-client", [
        ...["--target-host", "127.0.0.1", "--target-port", String(ports[i % 2])],
        ...["--generate", "--reliable", "--service", service],
        ...["--logs-per-second", String(PER_CLIENT), "--run-time", "1"],
      ]),
    );
    for (const client of clients) {
      expect(await client.exited()).toBe(0);
      expect(lastJson(client.stderr)).toMatchObject({ entries: PER_CLIENT, sent: PER_CLIENT });
    }
    const expected = {
      entries: PER_CLIENT * SERVICES.length,
      duplicates: 0,
      without_id: 0,
      unparsed: 0,
      services: Object.fromEntries(SERVICES.map((service) => [service, PER_CLIENT])),
    };
    expect(await count(spec)).toMatchObject(expected);
    const nc = await connect({ servers: nats.map((n) => n.url) });
    const info = await (await jetstreamManager(nc)).streams.info("LOGS");
    await nc.close();
    expect(info.config.num_replicas).toBe(3);
    await nats[0]?.stop();
    const rest = `nats://${nats
      .slice(1)
      .map((n) => `127.0.0.1:${n.port}`)
      .join(",")}`;
    expect(await count(rest)).toMatchObject(expected);
    // Two counts of up to COUNT_WITHIN_MS each, the clients' drains, the cluster's start.
  }, 180_000);
});
