/** A shipper over three targets, on real loopback sockets, against the test acker. */
import { afterEach, describe, expect, it } from "vitest";
import type { TargetChange } from "../../../src/client/shard/failover.js";
import { createShipper, type ShipperOptions } from "../../../src/client/shipper.js";
import { Acker } from "../../support/acker.js";
import { freePort } from "../../support/udp.js";

const started: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function ackers(options: Parameters<typeof Acker.start>[0][]): Promise<Acker[]> {
  const made = await Promise.all(options.map((o) => Acker.start(o)));
  started.push(...made);
  return made;
}

function shipperTo(servers: readonly Acker[], options: Partial<ShipperOptions> = {}) {
  return createShipper({
    targets: servers.map((server) => `127.0.0.1:${server.port}`),
    batchSize: 10,
    flushIntervalMs: 20,
    compressThread: false,
    reliable: true,
    ackSilenceMs: 300,
    probeIntervalMs: 100,
    ...options,
  });
}

/** The services each server received, by server. */
function servicesOf(server: Acker): Set<string> {
  const services = new Set<string>();
  for (const json of [...server.messages.values()].flat()) {
    services.add((JSON.parse(json) as { service: string }).service);
  }
  return services;
}

function ns(servers: readonly Acker[]): number[] {
  return servers
    .flatMap((server) => [...server.messages.values()].flat())
    .map((json) => (JSON.parse(json) as { n: number }).n);
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("a sharded shipper", () => {
  it("keeps each service on one target, each with its own stream", async () => {
    const servers = await ackers([{}, {}, {}]);
    const shipper = shipperTo(servers);
    const logged: Promise<void>[] = [];
    for (let n = 0; n < 900; n++) logged.push(shipper.log({ n, service: `svc-${n % 30}` }));
    await Promise.all(logged);
    const summary = await shipper.close();
    const sets = servers.map(servicesOf);
    expect(sets.reduce((sum, set) => sum + set.size, 0)).toBe(30);
    for (const set of sets) expect(set.size).toBeGreaterThan(0);
    expect(summary).toMatchObject({ entries: 900, sent: 900, dropped: 0 });
    const lines = Object.values(summary.targets ?? {});
    expect(lines.map((line) => line.sent).reduce((a, b) => a + b)).toBe(900);
    servers.forEach((server, i) => {
      expect(lines[i]?.sent).toBe(ns([server]).length);
      expect(lines[i]?.state).toBe("live");
    });
    const streams = servers.map((server) => [...server.messages.keys()][0]?.split("-")[0]);
    expect(new Set(streams).size).toBe(3);
  });

  it("takes a silent target out, moves its entries, and brings it back once it acknowledges", async () => {
    const servers = await ackers([{}, { silent: true }, {}]);
    const shipper = shipperTo(servers);
    const changes: TargetChange[] = [];
    shipper.onTargetChange?.((change) => changes.push(change));
    const silent = `127.0.0.1:${servers[1]?.port}`;
    const logged: Promise<void>[] = [];
    for (let n = 0; n < 300; n++) logged.push(shipper.log({ n, service: `svc-${n % 30}` }));
    await Promise.all(logged);
    expect(changes).toEqual([{ target: silent, state: "out", reason: "unacknowledged" }]);
    expect(shipper.summary().targets?.[silent]).toMatchObject({ state: "out", sent: 0 });
    expect(shipper.summary().targets?.[silent]?.moved).toBeGreaterThan(0);
    expect(new Set(ns([servers[0] as Acker, servers[2] as Acker])).size).toBe(300);
    expect(shipper.settledEntries?.()).toBe(300);
    servers[1]?.speak();
    await until(() => changes.length === 2);
    expect(changes[1]).toEqual({ target: silent, state: "live", reason: undefined });
    for (let n = 300; n < 600; n++) logged.push(shipper.log({ n, service: `svc-${n % 30}` }));
    await Promise.all(logged);
    const summary = await shipper.close();
    expect(summary).toMatchObject({ entries: 600, sent: 600, dropped: 0 });
    expect(ns([servers[1] as Acker]).some((n) => n >= 300)).toBe(true);
  });

  it("best effort: a refusing target is taken out, and back once a server listens there", async () => {
    const servers = await ackers([{}, {}]);
    const port = await freePort();
    const targets = [...servers.map((server) => `127.0.0.1:${server.port}`), `127.0.0.1:${port}`];
    const shipper = createShipper({
      targets,
      batchSize: 5,
      flushIntervalMs: 10,
      compressThread: false,
      probeIntervalMs: 100,
    });
    const changes: TargetChange[] = [];
    shipper.onTargetChange?.((change) => changes.push(change));
    let n = 0;
    const logSome = async (count: number) => {
      for (const end = n + count; n < end; n++) void shipper.log({ n, service: `svc-${n % 30}` });
      await shipper.flush();
    };
    while (changes.length === 0) await logSome(30);
    expect(changes[0]).toEqual({ target: targets[2], state: "out", reason: "ECONNREFUSED" });
    const afterOut = n;
    await logSome(300);
    // Every later entry reaches the two others (the test times out otherwise).
    await until(() => ns(servers).filter((value) => value >= afterOut).length === 300);
    const third = await Acker.start({ port });
    started.push(third);
    await until(() => changes.length === 2);
    expect(changes[1]).toMatchObject({ target: targets[2], state: "live" });
    await logSome(300);
    const summary = await shipper.close();
    expect(third.entries).toBeGreaterThan(0);
    expect(summary.targets?.[targets[2] as string]).toMatchObject({ state: "live", outages: 1 });
    expect(summary.targets?.[targets[2] as string]?.refusals).toBeGreaterThan(0);
    expect(summary.entries).toBe(n);
  }, 30_000);

  it("every target out: nothing moves until one comes back, which then takes every entry", async () => {
    const servers = await ackers([{ silent: true }, { silent: true }]);
    const shipper = shipperTo(servers);
    const changes: TargetChange[] = [];
    shipper.onTargetChange?.((change) => changes.push(change));
    const logged: Promise<void>[] = [];
    for (let n = 0; n < 200; n++) logged.push(shipper.log({ n, service: `svc-${n % 30}` }));
    await until(() => changes.length === 2);
    expect(changes.map((change) => change.state)).toEqual(["out", "out"]);
    const held = shipper.summary();
    expect(Object.values(held.targets ?? {}).map((line) => line.moved)).toEqual([0, 0]);
    expect(held.sent).toBe(0);
    servers[0]?.speak();
    await Promise.all(logged);
    const summary = await shipper.close();
    expect(summary).toMatchObject({ entries: 200, sent: 200, dropped: 0 });
    const first = summary.targets?.[`127.0.0.1:${servers[0]?.port}`];
    const second = summary.targets?.[`127.0.0.1:${servers[1]?.port}`];
    expect(first?.state).toBe("live");
    expect(second).toMatchObject({ state: "out", sent: 0 });
    expect(second?.moved).toBe(second?.entries);
  }, 30_000);
});
