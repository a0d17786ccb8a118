/**
 * `shipper-client --reliable` into `shipper-server --output nats://` (a real
 * nats-server), with the server killed by `kill -9` in the middle of the
 * run and started again on the same port 10 s later: the copies the client
 * sends again carry the ids of their first sends, JetStream removes the
 * duplicates, and every entry is in the stream exactly once.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { afterAll, describe, expect, it } from "vitest";
import { NatsServer, natsServerPath, readStream, SKIP_LINE } from "../support/nats-server.js";
import { lastJson, runCommand, sleep, startServer, stop } from "../support/process.js";

if (natsServerPath === undefined) console.log(SKIP_LINE);

const ENTRIES = 100_000;
/** Entries a client message carries; the server publishes one JetStream message per message. */
const PER_MESSAGE = 100;

const root = mkdtempSync(join(tmpdir(), "shipper-reliable-nats-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(natsServerPath === undefined)("--reliable into JetStream across a kill -9", () => {
  it("stores every entry exactly once when the server is killed and restarted 10 s later", async () => {
    const input = join(root, "entries.ndjson");
    const parts: string[] = [];
    for (let n = 0; n < ENTRIES; n++) parts.push(`{"n":${n}}\n`);
    writeFileSync(input, parts.join(""));
    const nats = await NatsServer.start();
    const args = ["--quiet", "--output", nats.url];
    let first: Awaited<ReturnType<typeof startServer>> | undefined;
    let second: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      first = await startServer(args);
      const port = first.port;
      const target = ["--target-host", "127.0.0.1", "--target-port", String(port)];
      const client = runCommand(
        "shipper-client",
        [...target, "--reliable", "--json-format", "raw", "--batch-size", String(PER_MESSAGE)],
        { stdin: "pipe" },
      );
      // The input stays open until the new server runs: a client at the end
      // of its input drains for at most 10 s, shorter than the outage.
      client.child.stdin?.write(readFileSync(input));
      // Killed once JetStream holds some of the entries and the client has more to send.
      for (let stored = 0; stored < ENTRIES / PER_MESSAGE / 4; await sleep(100)) {
        stored = await streamCount(nats.url);
      }
      first.server.child.kill("SIGKILL");
      await first.server.exited();
      await sleep(10_000);
      second = await startServer(["--port", String(port), ...args]);
      client.child.stdin?.end();
      const code = await client.exited();
      const summary = lastJson(client.stderr);
      expect(summary, JSON.stringify(summary)).toMatchObject({
        entries: ENTRIES,
        sent: ENTRIES,
        dropped: 0,
      });
      expect(code).toBe(0);
      expect((await stop(second.server)).code).toBe(0);

      const stored = await readStream([nats.url], "LOGS");
      const times = new Uint32Array(ENTRIES);
      for (const message of stored) {
        for (const match of message.data.matchAll(/"n":(\d+)/g)) {
          const n = Number(match[1]);
          times[n] = (times[n] ?? 0) + 1;
        }
      }
      const ids = stored.map((message) => message.id ?? "(none)");
      expect(new Set(ids).size).toBe(ids.length);
      expect(times.filter((t) => t === 0).length).toBe(0);
      expect(times.filter((t) => t > 1).length).toBe(0);
    } finally {
      for (const run of [first?.server, second?.server]) {
        if (run?.child.exitCode === null) run.child.kill("SIGKILL");
      }
      await nats.dispose();
    }
  }, 180_000);
});

/** Messages in the LOGS stream so far; 0 before it exists. */
async function streamCount(url: string): Promise<number> {
  const nc = await connect({ servers: [url] });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 5_000 });
    return (await jsm.streams.info("LOGS")).state.messages;
  } catch {
    return 0;
  } finally {
    await nc.close();
  }
}
