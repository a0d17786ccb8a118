/**
 * `shipper-client --follow` as a process against a real `shipper-server`: a
 * file written line by line while it is rotated three times by rename and
 * once by copytruncate, the client stopped with SIGTERM and started again in
 * the middle with the same state file; every line arrives exactly once.
 */
import { closeSync, copyFileSync, openSync, renameSync, truncateSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Run, runCommand, sleep, startServer, stop } from "../support/process.js";

/** Appends numbered lines to a log through a descriptor it keeps open, as a logger does. */
class Writer {
  written = 0;
  private fd: number;
  private paused = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly path: string) {
    this.fd = openSync(path, "a");
    this.timer = setInterval(() => {
      if (this.paused) return;
      for (let i = 0; i < 3; i++) writeSync(this.fd, `line ${this.written++} of the log\n`);
    }, 2);
  }

  /** The logger reopens its path (after a rename: a new file). */
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(this.path, "a");
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  stop(): void {
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}

let dir: string;
let server: Run;
let port: number;
let writer: Writer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "follow-e2e-"));
  ({ server, port } = await startServer([]));
});
afterEach(async () => {
  writer?.stop();
  writer = undefined;
  if (server.child.exitCode === null) await stop(server);
  await rm(dir, { recursive: true, force: true });
});

/** The numbers of the lines the server wrote out. */
const received = () =>
  server.stdout.map((line) => Number(/line (\d+) of/.exec(JSON.parse(line).message)?.[1]));

/** Waits until the server has written `count` lines. */
const arrived = (count: number) => server.until("stdout", (lines) => lines.length >= count);

describe("shipper-client --follow process", () => {
  it("rotated by rename three times and by copytruncate once, restarted midway: every line exactly once", async () => {
    const log = join(dir, "app.log");
    const args = [
      "--follow",
      log,
      "--state-file",
      join(dir, "state.json"),
      "--follow-interval",
      "0.05",
      "--batch-interval",
      "0.05",
      "--target-host",
      "127.0.0.1",
      "--target-port",
      String(port),
    ];
    const clientRun = () => runCommand("shipper-client", args);
    const w = new Writer(log);
    writer = w;
    const rotate = async () => {
      for (let n = 2; n >= 1; n--) {
        try {
          renameSync(`${log}.${n}`, `${log}.${n + 1}`);
        } catch {}
      }
      renameSync(log, `${log}.1`);
      // The logger writes on into the renamed file a moment before it reopens.
      await sleep(30);
      w.reopen();
      const reopenedAt = w.written;
      await arrived(reopenedAt + 30);
    };

    let client = clientRun();
    await arrived(200);
    await rotate();
    await rotate();
    // Stopped while the writer goes on; the old files are read to their end by now.
    const first = await stop(client);
    expect(first.code).toBe(0);
    expect(first.summary.input).toMatchObject({ files: 3, rotations: 2, unreadable: 0 });
    await sleep(200);

    client = clientRun();
    await arrived(w.written);
    await rotate();
    // copytruncate, with the writer paused: lines written between the copy and
    // the truncation would be lost by any follower (docs/client.md).
    w.pause();
    await arrived(w.written);
    copyFileSync(log, `${log}.copy`);
    truncateSync(log, 0);
    w.resume();
    await sleep(300);
    w.stop();
    writer = undefined;
    await arrived(w.written);
    const second = await stop(client);
    expect(second.code).toBe(0);
    expect(second.summary.input).toMatchObject({ rotations: 1, truncations: 1, unreadable: 0 });
    await stop(server);

    const numbers = received();
    const seen = new Map<number, number>();
    for (const n of numbers) seen.set(n, (seen.get(n) ?? 0) + 1);
    const twice = [...seen].filter(([, times]) => times > 1).map(([n]) => n);
    const missing = Array.from({ length: w.written }, (_, n) => n).filter((n) => !seen.has(n));
    expect({ twice, missing }).toEqual({ twice: [], missing: [] });
    expect(numbers).toHaveLength(w.written);
  }, 90_000);
});
