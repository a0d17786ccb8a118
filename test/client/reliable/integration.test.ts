/** Reliable delivery over real loopback sockets, against the test acker, through the proxy. */
import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { createShipper, type ShipperOptions } from "../../../src/client/shipper.js";
import { encodeAck } from "../../../src/wire/index.js";
import { Acker } from "../../support/acker.js";
import { UdpProxy } from "../../support/udp-proxy.js";

const started: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function acker(options: Parameters<typeof Acker.start>[0] = {}) {
  const made = await Acker.start(options);
  started.push(made);
  return made;
}

function shipperTo(port: number, options: Partial<ShipperOptions> = {}) {
  return createShipper({
    targetHost: "127.0.0.1",
    targetPort: port,
    batchSize: 20,
    flushIntervalMs: 20,
    batchBytes: 0,
    flushLevel: undefined,
    compress: true,
    compressThread: false,
    sequenced: true,
    maxDatagramBytes: 65_507,
    maxRetries: 3,
    reliable: true,
    ...options,
  });
}

/** Logs `count` entries, waiting whenever the shipper is full. */
async function logAll(shipper: ReturnType<typeof createShipper>, count: number) {
  for (let n = 0; n < count; n++) {
    void shipper.log({ n, level: "INFO", message: `entry ${n}` });
    if (shipper.isFull?.()) await shipper.ready();
  }
}

function ns(server: Acker): number[] {
  return [...server.messages.values()]
    .flat()
    .map((json) => (JSON.parse(json) as { n: number }).n)
    .sort((a, b) => a - b);
}

describe("reliable delivery over loopback", () => {
  it("every entry acknowledged, sent equals entries", async () => {
    const server = await acker();
    const shipper = shipperTo(server.port);
    await logAll(shipper, 2000);
    await shipper.flush();
    const summary = await shipper.close();
    expect(summary).toMatchObject({ entries: 2000, sent: 2000, dropped: 0, unacked_bytes: 0 });
    expect(summary.acked).toBe(100);
    expect(ns(server)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it("through 10 % loss each way, duplicates and reordering: every entry exactly once", async () => {
    const server = await acker();
    const proxy = await UdpProxy.start({
      targetPort: server.port,
      toTarget: { drop: 0.1, duplicate: 0.02, reorder: 0.02 },
      toClient: { drop: 0.1, duplicate: 0.02, reorder: 0.02 },
      seed: 11,
    });
    started.push(proxy);
    const shipper = shipperTo(proxy.port, { batchSize: 10, drainTimeoutMs: 30_000 });
    await logAll(shipper, 3000);
    const summary = await shipper.close();
    expect(summary).toMatchObject({ entries: 3000, sent: 3000, dropped: 0 });
    expect(summary.retransmits).toBeGreaterThan(0);
    expect(ns(server)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });

  it("an acker that never answers: entries dropped as unacknowledged after ackTimeoutMs", async () => {
    const server = await acker({ silent: true });
    const shipper = shipperTo(server.port, { ackTimeoutMs: 300 });
    const promises = Array.from({ length: 5 }, (_, n) => shipper.log({ n }));
    const results = await Promise.allSettled(promises);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const summary = await shipper.close();
    expect(summary).toMatchObject({ sent: 0, dropped_by_reason: { unacknowledged: 5 } });
    expect(server.entries).toBe(5);
  });

  it("with a key: unsigned and forged acknowledgements from the acker's port are ignored, counted", async () => {
    const key = new TextEncoder().encode("the key");
    const server = await acker({ key, silent: true });
    const shipper = shipperTo(server.port, { key, ackTimeoutMs: 60_000, drainTimeoutMs: 5000 });
    const done = shipper.log({ n: 0 });
    await server.waitFor(1);
    const [id] = [...server.messages.keys()];
    const stream = Buffer.from((id ?? "").slice(0, 16), "hex");
    // The client's address: where the acker would answer.
    const client = server.lastSender as dgram.RemoteInfo;
    const forge = (bytes: Uint8Array) =>
      new Promise<void>((resolve) =>
        server.socket.send(bytes, client.port, client.address, () => resolve()),
      );
    await forge(encodeAck(stream, [{ first: 0, last: 0 }]));
    await forge(encodeAck(stream, [{ first: 0, last: 0 }], new TextEncoder().encode("guess")));
    // From another port: the connected socket never even sees it.
    const other = dgram.createSocket("udp4");
    await new Promise<void>((resolve) =>
      other.send(encodeAck(stream, [{ first: 0, last: 0 }], key), client.port, client.address, () =>
        resolve(),
      ),
    );
    other.close();
    while ((shipper.summary().ignored_acks?.["bad-tag"] ?? 0) < 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(shipper.summary()).toMatchObject({
      acked: 0,
      dropped: 0,
      ignored_acks: { unsigned: 1, "bad-tag": 1 },
    });
    // The real, signed acknowledgement is taken.
    await forge(encodeAck(stream, [{ first: 0, last: 0 }], key));
    await done;
    expect((await shipper.close()).sent).toBe(1);
  });
});
