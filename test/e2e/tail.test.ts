/**
 * The built shipper-tail against a real nats-server: a stream of batch and
 * entry messages (one stored twice under the same Nats-Msg-Id) is printed
 * entry by entry, counted per service, filtered by subject, and followed
 * until SIGTERM; a missing stream or an unreachable server exits 1.
 */

import { type AddressInfo, createServer, type Socket } from "node:net";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTail } from "../../src/commands/tail/run.js";
import { FakeIO } from "../support/fake-io.js";
import { freePort, NatsServer, natsServerPath, SKIP_LINE } from "../support/nats-server.js";
import { exited, runCommand, sleep, spawnCommand } from "../support/process.js";

if (natsServerPath === undefined) console.log(SKIP_LINE);

const entry = (service: string, n: number) => JSON.stringify({ message: `m${n}`, service, n });
const batch = (service: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${entry(service, from + i)}\n`).join("");

/** Publishes `data` to JetStream under the Nats-Msg-Id `id`. */
async function publish(nc: NatsConnection, subject: string, data: string, id: string) {
  const h = headers();
  h.set("Nats-Msg-Id", id);
  await jetstream(nc).publish(subject, data, { headers: h });
}

async function tail(nats: NatsServer, args: string[]) {
  const run = runCommand("shipper-tail", ["--server", nats.url, ...args]);
  return { run, code: await run.exited() };
}

describe.skipIf(natsServerPath === undefined)("shipper-tail", () => {
  let nats: NatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await NatsServer.start();
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    // The shortest window JetStream takes (100 ms), so that one id is stored twice when it is
    // published again a second later.
    await jsm.streams.add({ name: "LOGS", subjects: ["logs.*"], duplicate_window: 100_000_000 });
    await publish(nc, "logs.api", batch("api", 0, 100), "s1-1");
    await publish(nc, "logs.web", batch("web", 0, 50), "s1-2");
    await publish(nc, "logs.web", entry("web", 50), "s2-1-0");
    await sleep(1_000);
    await publish(nc, "logs.api", batch("api", 0, 100), "s1-1");
    await jsm.streams.add({ name: "EMPTY", subjects: ["empty.>"] });
    // About 2 MB of entries: more than a pipe holds.
    await jsm.streams.add({ name: "BIG", subjects: ["big.>"] });
    for (let i = 0; i < 200; i++) await publish(nc, "big.x", batch("big", i * 200, 200), `b-${i}`);
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.dispose();
  });

  it("--count prints the totals: entries, per service, duplicates by message id", async () => {
    const { run, code } = await tail(nats, ["--count"]);
    expect(code).toBe(0);
    expect(run.stdout.map((line) => JSON.parse(line))).toEqual([
      {
        stream: "LOGS",
        messages: 4,
        entries: 251,
        duplicates: 1,
        duplicate_entries: 100,
        without_id: 0,
        unparsed: 0,
        services: { api: 200, web: 51 },
      },
    ]);
  });

  it("prints every stored entry as one NDJSON line, the totals last on stderr", async () => {
    const { run, code } = await tail(nats, []);
    expect(code).toBe(0);
    expect(run.stdout).toHaveLength(251);
    expect(run.stdout.slice(0, 3)).toEqual([entry("api", 0), entry("api", 1), entry("api", 2)]);
    expect(run.stdout[150]).toEqual(entry("web", 50));
    expect(JSON.parse(run.stderr.at(-1) ?? "")).toMatchObject({ entries: 251, duplicates: 1 });
  });

  it("--subject reads only the matching subjects", async () => {
    const { run, code } = await tail(nats, ["--count", "--subject", "logs.web"]);
    expect(code).toBe(0);
    expect(JSON.parse(run.stdout[0] ?? "")).toMatchObject({
      messages: 2,
      entries: 51,
      services: { web: 51 },
    });
    const none = await tail(nats, ["--count", "--subject", "logs.none"]);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.run.stdout[0] ?? "")).toMatchObject({ messages: 0, entries: 0 });
  });

  it("--follow prints what arrives until SIGTERM, then the totals", async () => {
    const run = runCommand("shipper-tail", ["--server", nats.url, "--stream", "EMPTY", "--follow"]);
    await publish(nc, "empty.a", batch("late", 0, 3), "late-1");
    await run.until("stdout", (lines) => lines.length >= 3);
    await publish(nc, "empty.b", batch("late", 3, 2), "late-2");
    await run.until("stdout", (lines) => lines.length >= 5);
    run.child.kill("SIGTERM");
    expect(await run.exited()).toBe(0);
    expect(run.stdout).toEqual([0, 1, 2, 3, 4].map((n) => entry("late", n)));
    expect(JSON.parse(run.stderr.at(-1) ?? "")).toMatchObject({ messages: 2, entries: 5 });
  });

  it("ends quietly with exit 0 when the reader of its stdout goes away", async () => {
    const child = spawnCommand("shipper-tail", ["--server", nats.url, "--stream", "BIG"]);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.once("data", () => child.stdout?.destroy());
    const { code } = await exited(child, 30_000);
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });

  it("a signal stops a read without --follow with 128 + its number, and --follow with 0", async () => {
    for (const [args, signal, expected] of [
      [["--count"], "SIGTERM", 143],
      [["--count"], "SIGINT", 130],
      [["--follow", "--stream", "EMPTY"], "SIGTERM", 0],
    ] as const) {
      const io = new FakeIO();
      const done = runTail(["--server", nats.url, ...args], {}, io);
      io.raise(signal);
      expect(await done).toBe(expected);
      const totals = JSON.parse((args[0] === "--count" ? io.stdout : io.stderr).lines.at(-1) ?? "");
      expect(totals).toMatchObject({ messages: 0, entries: 0 });
    }
  });

  it("exits 1 with one line when the stream does not exist or NATS cannot be reached", async () => {
    const missing = await tail(nats, ["--stream", "NOPE"]);
    expect(missing.code).toBe(1);
    expect(missing.run.stderr).toEqual([expect.stringMatching(/stream NOPE not found/)]);
    const closed = runCommand("shipper-tail", ["-s", `nats://127.0.0.1:${await freePort()}`]);
    expect(await closed.exited()).toBe(1);
    expect(closed.stderr).toEqual([expect.stringMatching(/cannot connect/)]);
  });
});

describe("shipper-tail against a peer that never answers", () => {
  it("gives up after --timeout: exit 1 with one line", async () => {
    // Takes the TCP connection and never says a word, for longer than the test.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = performance.now();
      const run = runCommand("shipper-tail", ["-s", `nats://127.0.0.1:${port}`, "--timeout", "1"]);
      expect(await run.exited()).toBe(1);
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(run.stderr).toEqual([expect.stringMatching(/cannot connect to .*: timeout$/)]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 20_000);
});
