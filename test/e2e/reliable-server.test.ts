/**
 * The built `shipper-client --reliable` into the built `shipper-server`:
 * a million entries through the test proxy's loss, duplication and
 * reordering, each output exactly once; and a `kill -9` of the server with
 * a restart on the same port 10 s later, where nothing is lost and what is
 * output twice is only what the killed server had output and not
 * acknowledged (as the proxy saw the acknowledgements reach the client).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { AckTap } from "../support/ack-tap.js";
import { lastJson, runCommand, sleep, startServer, stop } from "../support/process.js";
import { ServerProcess } from "../support/server-process.js";
import { UdpProxy } from "../support/udp-proxy.js";

const root = mkdtempSync(join(tmpdir(), "shipper-reliable-server-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const started: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

/** A file of `count` numbered JSON lines. */
function numberedFile(name: string, count: number): string {
  const path = join(root, name);
  const parts: string[] = [];
  for (let n = 0; n < count; n++) parts.push(`{"n":${n},"message":"entry ${n}"}\n`);
  writeFileSync(path, parts.join(""));
  return path;
}

/** How many times each entry number occurs in `text` (one entry per line). */
function countNumbers(text: string, count: number): Uint32Array {
  const times = new Uint32Array(count);
  for (const match of text.matchAll(/"n":(\d+)/g)) {
    const n = Number(match[1]);
    if (n < count) times[n] = (times[n] ?? 0) + 1;
  }
  return times;
}

function clientArgs(port: number, extra: readonly string[]): string[] {
  const target = ["--target-host", "127.0.0.1", "--target-port", String(port), "--reliable"];
  return [...target, "--json-format", "raw", ...extra];
}

describe("shipper-client --reliable into shipper-server", () => {
  it("1,000,000 entries through 10 % loss each way, 2 % duplication and reordering: each output once", async () => {
    const count = 1_000_000;
    const input = numberedFile("million.ndjson", count);
    const out = join(root, "million.out");
    const server = await ServerProcess.start({ args: ["--quiet"], stdout: { file: out } });
    const impair = { drop: 0.1, duplicate: 0.02, reorder: 0.02 };
    const proxy = await UdpProxy.start({
      targetPort: server.port,
      toTarget: impair,
      toClient: impair,
      seed: 1_000_000,
    });
    started.push(proxy);
    // 500 entries a message: 2,000 messages, two windows' worth, so the
    // loss costs round trips, not the run.
    const run = runCommand(
      "shipper-client",
      clientArgs(proxy.port, ["--batch-size", "500", input]),
    );
    const code = await run.exited();
    const summary = lastJson(run.stderr);
    const stopped = await server.stop();
    expect(summary).toMatchObject({ entries: count, sent: count, dropped: 0 });
    expect(code).toBe(0);
    expect(summary?.retransmits).toBeGreaterThan(0);
    expect(proxy.stats.toTarget.dropped).toBeGreaterThan(0);
    expect(proxy.stats.toClient.dropped).toBeGreaterThan(0);
    expect(proxy.stats.toTarget.duplicated).toBeGreaterThan(0);
    expect(stopped.code).toBe(0);
    const times = countNumbers(readFileSync(out, "utf8"), count);
    expect(times.filter((t) => t === 0).length).toBe(0);
    expect(times.filter((t) => t > 1).length).toBe(0);
    expect(stopped.summary?.duplicates as number).toBeGreaterThan(0);
  }, 240_000);

  it("kill -9 of the server, restart on its port 10 s later: nothing lost, twice only output-not-acknowledged", async () => {
    const count = 200_000;
    const input = numberedFile("killed.ndjson", count);
    const first = await startServer(["--quiet"]);
    const tap = new AckTap();
    const proxy = await UdpProxy.start({ targetPort: first.port, tap: tap.tap });
    started.push(proxy);
    const args = ["--batch-size", "50", "--no-compress"];
    const client = runCommand("shipper-client", clientArgs(proxy.port, args), { stdin: "pipe" });
    // The input stays open until the new server runs: a client at the end
    // of its input drains for at most 10 s, shorter than the outage.
    client.child.stdin?.write(readFileSync(input));
    await first.server.until("stdout", (lines) => lines.length >= count / 4);
    first.server.child.kill("SIGKILL");
    await first.server.exited();
    // Acknowledgements the killed server sent have reached the client by now.
    await sleep(500);
    const ackedByOld = tap.ackedEntries();
    await sleep(9_500);
    const second = await startServer(["--quiet", "--port", String(first.port)]);
    // The input ends once every entry is out of one server or the other:
    // the client finds the new server at its next probe, up to the 10 s RTO
    // cap away, longer than the drain that the end of input starts.
    const oldSeen = countNumbers(first.server.stdout.join("\n"), count);
    const waitUntil = Date.now() + 90_000;
    for (;;) {
      const newSeen = countNumbers(second.server.stdout.join("\n"), count);
      const missing = oldSeen.filter((old, n) => old + (newSeen[n] ?? 0) === 0).length;
      if (missing === 0) break;
      if (Date.now() > waitUntil) throw new Error(`${missing} entries still missing after 90 s`);
      await sleep(500);
    }
    client.child.stdin?.end();
    const code = await client.exited();
    const summary = lastJson(client.stderr);
    const { code: serverCode } = await stop(second.server);
    expect(summary).toMatchObject({ entries: count, sent: count, dropped: 0 });
    expect(code).toBe(0);
    expect(serverCode).toBe(0);

    const oldOut = countNumbers(first.server.stdout.join("\n"), count);
    const newOut = countNumbers(second.server.stdout.join("\n"), count);
    let outputNotAcked = 0;
    const twice: number[] = [];
    for (let n = 0; n < count; n++) {
      const old = oldOut[n] ?? 0;
      const now = newOut[n] ?? 0;
      // Each server outputs an entry at most once; together at least once.
      expect(old <= 1 && now <= 1 && old + now >= 1).toBe(true);
      if (old === 1 && !ackedByOld.has(n)) outputNotAcked++;
      if (old + now === 2) twice.push(n);
    }
    for (const n of twice) expect(ackedByOld.has(n)).toBe(false);
    expect(twice.length).toBeLessThanOrEqual(outputNotAcked);
    console.log(
      `kill -9 with stdout: ${twice.length} entries output twice; the killed server had output ${outputNotAcked} it had not acknowledged`,
    );
  }, 240_000);
});
