/**
 * The built server's NATS JetStream output against a real nats-server that
 * stops for 10 s in the middle of 100,000 entries and starts again on the
 * same port and store: the spool holds what JetStream could not take, and
 * every entry lands in the stream exactly once.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeFrame } from "../../src/wire/frame.js";
import {
  NatsServer,
  natsServerPath,
  readStream,
  SKIP_LINE,
  type StoredMessage,
} from "../support/nats-server.js";
import {
  eventually,
  numberedDatagrams,
  type OutputServer,
  sendPaced,
  spooledEntries,
  startOutputServer,
  stopOutputServer,
} from "../support/output-server.js";
import { sleep } from "../support/process.js";

if (natsServerPath === undefined) console.log(SKIP_LINE);

const ENTRIES = 100_000;
const PER_DATAGRAM = 100;
const OUTAGE_MS = 10_000;

const root = mkdtempSync(join(tmpdir(), "shipper-outputs-nats-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** How many times each `n` is stored, and the message ids, one per JetStream message. */
function countEntries(stored: readonly StoredMessage[]): { times: number[]; ids: string[] } {
  const times = new Array<number>(ENTRIES).fill(0);
  const ids: string[] = [];
  for (const message of stored) {
    ids.push(message.id ?? "(none)");
    // Batch mode: one NDJSON line per entry, each ended by a line feed.
    expect(message.data.endsWith("\n")).toBe(true);
    for (const line of message.data.slice(0, -1).split("\n")) {
      const n = (JSON.parse(line) as { n: number }).n;
      times[n] = (times[n] ?? 0) + 1;
    }
  }
  return { times, ids };
}

describe.skipIf(natsServerPath === undefined)("shipper-server --output nats://", () => {
  it("stores 100,000 entries exactly once across a 10 s stop of nats-server", async () => {
    const spool = join(root, "spool");
    const nats = await NatsServer.start();
    let shipper: OutputServer | undefined;
    try {
      shipper = await startOutputServer([
        "--output",
        nats.url,
        "--spool-dir",
        spool,
        "--nats-timeout",
        "2",
      ]);
      const { server, port } = shipper;
      const name = `nats://127.0.0.1:${nats.port}`;
      const datagrams = numberedDatagrams(ENTRIES / PER_DATAGRAM, PER_DATAGRAM);
      const half = datagrams.length / 2;
      await sendPaced(port, datagrams.slice(0, half), 5, 5);
      await nats.stop();
      const stoppedAt = Date.now();
      await sendPaced(port, datagrams.slice(half), 5, 5);
      // What JetStream cannot take now goes to the spool.
      expect(await eventually(() => spooledEntries(spool) > 0, OUTAGE_MS)).toBe(true);
      await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
      await nats.restart();
      expect(await eventually(() => spooledEntries(spool) === 0, 90_000)).toBe(true);
      const { code, summary, outputs } = await stopOutputServer(server);
      expect(code).toBe(0);
      expect(summary.entries).toBe(ENTRIES);
      const output = outputs[name];
      expect(output).toMatchObject({ entries: ENTRIES, dropped: {}, queued: 0, spool_bytes: 0 });
      expect(output?.spooled).toBeGreaterThan(0);
      expect(spooledEntries(spool)).toBe(0);

      const { times, ids } = countEntries(await readStream([nats.url], "LOGS"));
      expect(new Set(ids).size).toBe(ids.length);
      expect(times.filter((t) => t === 0)).toHaveLength(0);
      expect(times.filter((t) => t > 1)).toHaveLength(0);
      expect(times.reduce((a, b) => a + b, 0)).toBe(ENTRIES);
    } finally {
      if (shipper?.server.child.exitCode === null) shipper.server.child.kill("SIGKILL");
      await nats.dispose();
    }
  }, 180_000);

  it("uses the whole max_payload, and stores a message it cannot keep together one entry by one", async () => {
    const config = join(root, "small-payload.conf");
    writeFileSync(config, "max_payload: 4096\n");
    const nats = await NatsServer.start({ extraArgs: ["-c", config] });
    let shipper: OutputServer | undefined;
    try {
      shipper = await startOutputServer(["--output", nats.url, "--nats-timeout", "2"]);
      const stream = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0xaa]);
      const framed = (seq: number, entries: readonly object[]) =>
        Buffer.from(
          encodeFrame({ compressed: false, stream, seq }, Buffer.from(JSON.stringify(entries))),
        );
      // 3,600 bytes of NDJSON: over 4096 minus the 1 KiB once kept for headers, under 4096 with them.
      const big = { service: "api", message: "x".repeat(3570) };
      const two = [
        { service: "api", message: "a" },
        { service: "web", message: "b" },
      ];
      const three = Array.from({ length: 3 }, () => ({
        service: "api",
        message: "y".repeat(1500),
      }));
      await sendPaced(shipper.port, [framed(1, [big]), framed(2, two), framed(3, three)]);
      const name = `nats://127.0.0.1:${nats.port}`;
      await sleep(500);
      const { code, outputs } = await stopOutputServer(shipper.server);
      expect(code).toBe(0);
      expect(outputs[name]).toMatchObject({ entries: 6, dropped: {} });
      const stored = await readStream([nats.url], "LOGS");
      expect(stored.map((m) => [m.subject, m.id])).toEqual([
        ["logs.api", "00000000000000aa-1"],
        ["logs.api", "00000000000000aa-2-0"],
        ["logs.web", "00000000000000aa-2-1"],
        ["logs.api", "00000000000000aa-3-0"],
        ["logs.api", "00000000000000aa-3-1"],
        ["logs.api", "00000000000000aa-3-2"],
      ]);
      expect(stored[0]?.data).toBe(`${JSON.stringify(big)}\n`);
      expect(stored[1]?.data).toBe(JSON.stringify(two[0]));
    } finally {
      if (shipper?.server.child.exitCode === null) shipper.server.child.kill("SIGKILL");
      await nats.dispose();
    }
  }, 60_000);
});
