/**
 * `shipper-client --reliable` as a process, against the test acker standing
 * in for a server that acknowledges (test/support/acker.ts), through the
 * test proxy for real loss, duplication and reordering.
 */
import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { encodeAck } from "../../src/wire/index.js";
import { Acker } from "../support/acker.js";
import { lastJson, runCommand } from "../support/process.js";
import { freePort } from "../support/udp.js";
import { UdpProxy } from "../support/udp-proxy.js";

const started: { close(): Promise<unknown> }[] = [];

afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function acker(options: Parameters<typeof Acker.start>[0] = {}): Promise<Acker> {
  const made = await Acker.start(options);
  started.push(made);
  return made;
}

function client(port: number, args: string[], input: string, env: Record<string, string> = {}) {
  // JSON lines kept as written: these tests count entries by their own `n`.
  const target = ["--target-host", "127.0.0.1", "--target-port", String(port), "--reliable"];
  target.push("--json-format", "raw");
  return runCommand("shipper-client", [...target, ...args], { input, env });
}

function lines(count: number): string {
  let text = "";
  for (let n = 0; n < count; n++) text += `{"n":${n},"message":"entry ${n}"}\n`;
  return text;
}

describe("shipper-client --reliable", () => {
  it("100,000 entries through 10 % loss each way, 2 % duplication and reordering: each exactly once", async () => {
    const count = 100_000;
    const server = await acker();
    const proxy = await UdpProxy.start({
      targetPort: server.port,
      toTarget: { drop: 0.1, duplicate: 0.02, reorder: 0.02 },
      toClient: { drop: 0.1, duplicate: 0.02, reorder: 0.02 },
      seed: 2026,
    });
    started.push(proxy);
    const run = client(proxy.port, ["--batch-size", "50"], lines(count));
    const code = await run.exited();
    const summary = lastJson(run.stderr);
    expect(summary).toMatchObject({ entries: count, sent: count, dropped: 0 });
    expect(code).toBe(0);
    expect(summary?.retransmits).toBeGreaterThan(0);
    expect(proxy.stats.toTarget.dropped).toBeGreaterThan(0);
    expect(proxy.stats.toClient.dropped).toBeGreaterThan(0);
    const seen = new Uint8Array(count);
    for (const entries of server.messages.values()) {
      for (const json of entries) {
        const { n } = JSON.parse(json) as { n: number };
        seen[n] = (seen[n] ?? 0) + 1;
      }
    }
    expect(seen.every((times) => times === 1)).toBe(true);
    expect(server.entries).toBe(count);
  }, 120_000);

  it("an acker that never answers: entries dropped as unacknowledged after --ack-timeout, exit 1", async () => {
    const server = await acker({ silent: true });
    const run = client(server.port, ["--ack-timeout", "0.3"], lines(100));
    const code = await run.exited();
    expect(code).toBe(1);
    expect(lastJson(run.stderr)).toMatchObject({
      entries: 100,
      sent: 0,
      dropped_by_reason: { unacknowledged: 100 },
    });
    expect(server.entries).toBe(100);
  });

  it("with a key: forged acknowledgements from another port and from the acker's port change nothing", async () => {
    const key = "reliable-e2e-key";
    const keyBytes = new TextEncoder().encode(key);
    const server = await acker({ key: keyBytes, silent: true });
    const run = runCommand(
      "shipper-client",
      ["--target-host", "127.0.0.1", "--target-port", String(server.port), "--reliable"],
      { stdin: "pipe", env: { SHIPPER_AUTH_KEY: key } },
    );
    run.child.stdin?.write(lines(20));
    await server.waitFor(20);
    const from = server.lastSender as dgram.RemoteInfo;
    const [id] = [...server.messages.keys()];
    const stream = Buffer.from((id ?? "").slice(0, 16), "hex");
    const everything = [{ first: 0, last: 1000 }];
    const send = (socket: dgram.Socket, bytes: Uint8Array) =>
      new Promise<void>((resolve) => socket.send(bytes, from.port, from.address, () => resolve()));
    await send(server.socket, encodeAck(stream, everything));
    await send(server.socket, encodeAck(stream, everything, new TextEncoder().encode("guess")));
    const other = dgram.createSocket("udp4");
    await send(other, encodeAck(stream, everything, keyBytes));
    other.close();
    // Let the forgeries land, then let the acker answer for real.
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.speak();
    run.child.stdin?.end();
    const code = await run.exited();
    const summary = lastJson(run.stderr);
    expect(summary).toMatchObject({
      entries: 20,
      sent: 20,
      dropped: 0,
      ignored_acks: { unsigned: 1, "bad-tag": 1 },
    });
    expect(code).toBe(0);
  });

  it("datagrams refused while nothing listens are sent again once an acker is there: exit 0", async () => {
    const port = await freePort();
    const run = runCommand(
      "shipper-client",
      ["--target-host", "127.0.0.1", "--target-port", String(port), "--reliable"],
      { stdin: "pipe" },
    );
    run.child.stdin?.write(lines(10));
    await run.until("stderr", (seen) => seen.some((line) => line.includes("ECONNREFUSED")));
    const server = await acker({ port });
    run.child.stdin?.end();
    const code = await run.exited();
    const summary = lastJson(run.stderr);
    expect(summary).toMatchObject({ entries: 10, sent: 10, dropped: 0 });
    expect(summary?.refused).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(server.entries).toBe(10);
  });

  it("the generator waits for acknowledgements instead of dropping as queue-full", async () => {
    const server = await acker();
    const args = ["--generate", "--logs-per-second", "40000", "--run-time", "0.5"];
    const run = client(server.port, [...args, "--max-unacked-bytes", "64KiB"], "");
    const code = await run.exited();
    const summary = lastJson(run.stderr);
    expect(summary?.entries).toBeGreaterThan(0);
    expect(summary).toMatchObject({ dropped: 0, dropped_by_reason: {} });
    expect(summary?.sent).toBe(summary?.entries);
    expect(code).toBe(0);
    expect(server.entries).toBe(summary?.entries);
  });
});
