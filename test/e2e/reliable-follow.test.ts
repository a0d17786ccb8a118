/**
 * `shipper-client --reliable --follow` killed with `kill -9` while a writer
 * appends numbered lines and the path of the acknowledgements loses some,
 * then started again with the same state file: the state file records only
 * offsets whose lines were acknowledged, so no line is lost; the lines read
 * again after the kill are output twice, and counted.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lastJson, type Run, runCommand, sleep, startServer, stop } from "../support/process.js";
import { UdpProxy } from "../support/udp-proxy.js";

const started: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of started.splice(0).reverse()) await close();
});

/** Appends numbered lines to a log every 2 ms, as a logger does. */
function startWriter(path: string): { written: () => number; stop: () => void } {
  const fd = openSync(path, "a");
  let written = 0;
  let closed = false;
  const timer = setInterval(() => {
    for (let i = 0; i < 5; i++) writeSync(fd, `line ${written++} of the log\n`);
  }, 2);
  return {
    written: () => written,
    stop: () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      closeSync(fd);
    },
  };
}

/** How many times the server wrote out each line number. */
function timesOf(server: Run): Map<number, number> {
  const times = new Map<number, number>();
  for (const line of server.stdout) {
    const n = Number(/line (\d+) of/.exec(line)?.[1]);
    times.set(n, (times.get(n) ?? 0) + 1);
  }
  return times;
}

describe("shipper-client --reliable --follow across a kill -9", () => {
  it("loses no line when killed while acknowledgements are lost, and restarted with its state file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "reliable-follow-"));
    started.push(() => rm(dir, { recursive: true, force: true }));
    const { server, port } = await startServer([]);
    started.push(() => stop(server));
    const proxy = await UdpProxy.start({
      targetPort: port,
      toTarget: { drop: 0.05 },
      toClient: { drop: 0.2, reorder: 0.05 },
      seed: 44,
    });
    started.push(() => proxy.close());
    const log = join(dir, "app.log");
    const writer = startWriter(log);
    started.push(async () => writer.stop());
    const args = [
      ...["--target-host", "127.0.0.1", "--target-port", String(proxy.port), "--reliable"],
      ...["--follow", log, "--state-file", join(dir, "state.json"), "--follow-interval", "0.05"],
      ...["--batch-size", "20"],
    ];
    const first = runCommand("shipper-client", args);
    await server.until("stdout", (lines) => lines.length >= 10_000);
    first.child.kill("SIGKILL");
    await first.exited();
    const second = runCommand("shipper-client", args);
    await server.until("stdout", (lines) => lines.length >= 15_000);
    writer.stop();
    const written = writer.written();
    await server.until("stdout", () => timesOf(server).size >= written);
    // Every line is out; the last acknowledgements may need resends to get through.
    await sleep(3_000);
    second.child.kill("SIGTERM");
    const code = await second.exited();
    const summary = lastJson(second.stderr) ?? {};
    // Messages whose acknowledgements the proxy still loses when the drain
    // ends count as `unacknowledged` (exit 1), and nothing else is dropped;
    // the server output them all the same (no line missing, below).
    const dropped = Number(summary.dropped);
    const byReason = (summary.dropped_by_reason ?? {}) as Record<string, number>;
    expect(byReason).toEqual(dropped === 0 ? {} : { unacknowledged: dropped });
    expect(code).toBe(dropped === 0 ? 0 : 1);
    expect(proxy.stats.toClient.dropped).toBeGreaterThan(0);

    const times = timesOf(server);
    const missing: number[] = [];
    let twice = 0;
    for (let n = 0; n < written; n++) {
      const seen = times.get(n) ?? 0;
      if (seen === 0) missing.push(n);
      if (seen > 1) twice += seen - 1;
    }
    expect(missing).toEqual([]);
    console.log(
      `--reliable --follow kill -9: ${written} lines, ${twice} output again after the restart, ` +
        `${dropped} unacknowledged at the end`,
    );
  }, 120_000);
});
