/**
 * The NATS sink against a real nats-server (JetStream, loopback, free
 * ports, temporary stores), started and stopped here by pid.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterEach, describe, expect, it } from "vitest";
import { createNatsSink } from "../../../src/server/outputs/nats-sink.js";
import type { NatsMode, NatsSinkOptions } from "../../../src/server/outputs/sink-options.js";
import type { DeliveryResult, OutputBatch, Sink } from "../../../src/server/outputs/types.js";
import {
  freePort,
  NatsServer,
  natsServerPath,
  readStream,
  SKIP_LINE,
  startCluster,
} from "../../support/nats-server.js";
import { sleep } from "../../support/process.js";

async function deleteStream(servers: string[], stream: string): Promise<void> {
  const nc = await connect({ servers });
  try {
    await (await jetstreamManager(nc)).streams.delete(stream);
  } finally {
    await nc.close();
  }
}

if (natsServerPath === undefined) console.log(SKIP_LINE);

const never = new AbortController().signal;
/** Tries a batch until it is delivered, as the output's retry loop would (bounded). */
async function deliverUntilOk(
  sink: Sink,
  batch: OutputBatch,
  reasons: string[] = [],
): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const result: DeliveryResult = await sink.deliver(batch, never);
    if (result.ok) return;
    expect(result.retry).toBe(true);
    reasons.push(result.reason);
    await sleep(100);
  }
  throw new Error(`not delivered: ${reasons.slice(-3).join(", ")}`);
}

/** `count` messages of `perMessage` entries each, their service alternating a and b.c. */
function makeBatches(first: number, count: number, perMessage: number): OutputBatch[] {
  const batches: OutputBatch[] = [];
  for (let m = first; m < first + count; m++) {
    const entries = Array.from({ length: perMessage }, (_, i) =>
      JSON.stringify({ level: "INFO", message: `m${m} e${i}`, service: m % 2 === 0 ? "a" : "b.c" }),
    );
    const id = `00000000000000ff-${m}`;
    batches.push({ messages: [{ id, entries }], entries: perMessage, bytes: 0 });
  }
  return batches;
}

function options(servers: string[], more: Partial<NatsSinkOptions> = {}): NatsSinkOptions {
  return {
    servers,
    stream: "LOGS",
    createStream: true,
    replicas: 1,
    subject: "logs.{service}",
    mode: "batch",
    timeoutMs: 2_000,
    ...more,
  };
}

/** Entry ids stored, one per entry, whatever the mode. */
async function storedEntries(
  servers: string[],
  auth?: { user: string; pass: string },
): Promise<string[]> {
  const stored = await readStream(servers, "LOGS", auth);
  return stored.flatMap((m) =>
    m.data
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line).message as string),
  );
}

describe.skipIf(natsServerPath === undefined)("the NATS sink against a real nats-server", () => {
  const started: NatsServer[] = [];
  const sinks: Sink[] = [];
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    await Promise.all(started.splice(0).map((s) => s.dispose()));
  });
  const start = async (server: Promise<NatsServer>) => {
    const s = await server;
    started.push(s);
    return s;
  };
  const sinkOf = (o: NatsSinkOptions) => {
    const sink = createNatsSink(o);
    sinks.push(sink);
    return sink;
  };

  it.each<NatsMode>(["entry", "batch"])(
    "publishes in %s mode, every id once, on subjects by service",
    async (mode) => {
      const server = await start(NatsServer.start());
      const sink = sinkOf(options([server.url], { mode }));
      expect(sink.name).toBe(`nats://127.0.0.1:${server.port}`);
      for (const batch of makeBatches(0, 5, 4)) await deliverUntilOk(sink, batch);
      const stored = await readStream([server.url], "LOGS");
      const ids = stored.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      if (mode === "entry") {
        expect(ids).toContain("00000000000000ff-3-2");
        expect(stored).toHaveLength(20);
      } else {
        // One JetStream message per protocol message, under its id.
        expect(ids).toEqual([0, 1, 2, 3, 4].map((m) => `00000000000000ff-${m}`));
        expect(stored).toHaveLength(5);
      }
      expect(new Set(stored.map((m) => m.subject))).toEqual(new Set(["logs.a", "logs.b_c"]));
      expect((await storedEntries([server.url])).sort()).toHaveLength(20);
    },
  );

  it("stores a batch sent twice once, and counts the duplicate as delivered", async () => {
    const server = await start(NatsServer.start());
    const sink = sinkOf(options([server.url], { mode: "entry" }));
    const [batch] = makeBatches(0, 1, 3) as [OutputBatch];
    await deliverUntilOk(sink, batch);
    expect(await sink.deliver(batch, never)).toEqual({ ok: true });
    expect(await storedEntries([server.url])).toEqual(["m0 e0", "m0 e1", "m0 e2"]);
  });

  it("answers nats-connect while NATS is down at start, then delivers once it is up", async () => {
    const port = await freePort();
    const sink = sinkOf(options([`nats://127.0.0.1:${port}`]));
    const [batch] = makeBatches(0, 1, 2) as [OutputBatch];
    expect(await sink.deliver(batch, never)).toMatchObject({
      ok: false,
      retry: true,
      reason: "nats-connect",
    });
    const server = await start(NatsServer.start({ port }));
    await deliverUntilOk(sink, batch);
    expect(await storedEntries([server.url])).toEqual(["m0 e0", "m0 e1"]);
  });

  it("authenticates with a token and with a user and password, and keeps trying a wrong one", async () => {
    const tokenServer = await start(NatsServer.start({ extraArgs: ["--auth", "s3cret-token"] }));
    const [batch] = makeBatches(0, 1, 2) as [OutputBatch];
    const good = sinkOf(
      options([tokenServer.url], { credentials: { kind: "token", token: "s3cret-token" } }),
    );
    await deliverUntilOk(good, batch);
    const wrong = sinkOf(
      options([tokenServer.url], { credentials: { kind: "token", token: "nope" } }),
    );
    let refused: DeliveryResult = await wrong.deliver(batch, never);
    for (let i = 0; i < 100 && !refused.ok && refused.reason === "nats-connect"; i++) {
      await sleep(100);
      refused = await wrong.deliver(batch, never);
    }
    expect(refused).toMatchObject({ ok: false, retry: true, reason: "nats-auth" });
    const userServer = await start(
      NatsServer.start({ extraArgs: ["--user", "shipper", "--pass", "pw"] }),
    );
    const user = sinkOf(
      options([userServer.url], { credentials: { kind: "user", user: "shipper", pass: "pw" } }),
    );
    await deliverUntilOk(user, batch);
    expect(await storedEntries([userServer.url], { user: "shipper", pass: "pw" })).toEqual([
      "m0 e0",
      "m0 e1",
    ]);
  });

  it("makes the stream again when it is gone", async () => {
    const server = await start(NatsServer.start());
    const sink = sinkOf(options([server.url]));
    const [first, second] = makeBatches(0, 2, 2) as [OutputBatch, OutputBatch];
    await deliverUntilOk(sink, first);
    await deleteStream([server.url], "LOGS");
    const reasons: string[] = [];
    await deliverUntilOk(sink, second, reasons);
    expect(reasons).toContain("nats-no-responders");
    expect(await storedEntries([server.url])).toEqual(["m1 e0", "m1 e1"]);
  });

  it("keeps every entry exactly once when NATS stops mid-run and comes back", {
    timeout: 90_000,
  }, async () => {
    const server = await start(NatsServer.start());
    const sink = sinkOf(options([server.url], { mode: "entry" }));
    const batches = makeBatches(0, 40, 5);
    const reasons: string[] = [];
    for (const [i, batch] of batches.entries()) {
      if (i === 15) {
        await server.stop();
        expect(await sink.deliver(batch, never)).toMatchObject({ ok: false, retry: true });
        await server.restart();
      }
      await deliverUntilOk(sink, batch, reasons);
    }
    expect(reasons.length).toBeGreaterThan(0);
    const entries = await storedEntries([server.url]);
    expect(entries).toHaveLength(200);
    expect(new Set(entries).size).toBe(200);
  });

  it("keeps every entry exactly once on a 3-node cluster with R3 when a node is killed", async () => {
    const nodes = await startCluster();
    started.push(...nodes);
    const urls = nodes.map((n) => n.url);
    // Only n1 is named: the client learns the others from the cluster and
    // has to fail over to one of them when n1 is killed.
    const sink = sinkOf(options([urls[0] as string], { replicas: 3, mode: "entry" }));
    const batches = makeBatches(0, 60, 5);
    const reasons: string[] = [];
    for (const [i, batch] of batches.entries()) {
      if (i === 20) await nodes[0]?.stop("SIGKILL");
      await deliverUntilOk(sink, batch, reasons);
    }
    expect(reasons.length).toBeGreaterThan(0);
    const alive = urls.slice(1);
    const entries = await storedEntries(alive);
    expect(entries).toHaveLength(300);
    expect(new Set(entries).size).toBe(300);
    const stored = await readStream(alive, "LOGS");
    expect(new Set(stored.map((m) => m.id)).size).toBe(300);
  }, 90_000);
});
