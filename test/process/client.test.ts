/**
 * The built `shipper-client` as a process: stdin piped in, datagrams caught
 * by a node:dgram receiver on 127.0.0.1 and decoded with the project's own
 * Decoder, signals sent, exit codes and the summary line checked.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Decoder } from "../../src/protocol/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "shipper-client.js");

const SUMMARY_FIELDS = [
  "entries",
  "sent",
  "dropped",
  "truncated",
  "batches",
  "datagrams",
  "bytes",
  "retries",
  "send_errors",
  "flush_triggers",
  "batch_size",
  "send_ms",
];

/** A UDP receiver decoding every datagram into entries. */
class Receiver {
  readonly entries: Record<string, unknown>[] = [];
  readonly rejected: string[] = [];
  private readonly decoder = new Decoder({ now: () => performance.now() });
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.on("message", (datagram) => {
      const outcome = this.decoder.decode(datagram);
      if (outcome.rejected) this.rejected.push(outcome.rejected);
      for (const entry of outcome.entries) this.entries.push(JSON.parse(entry));
      this.waiters = this.waiters.filter((waiter) => {
        if (this.entries.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  static async start(): Promise<Receiver> {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    return new Receiver(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Resolves once `count` entries have arrived (the test timeout catches a loss). */
  received(count: number): Promise<void> {
    if (this.entries.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

interface Finished {
  code: number | null;
  stderr: string[];
}

function startClient(args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const finished: Promise<Finished> = once(child, "close").then(([code]) => ({
    code: code as number | null,
    stderr: stderr.split("\n").filter((line) => line !== ""),
  }));
  return { child, finished };
}

function lastJson(lines: string[]): Record<string, unknown> {
  return JSON.parse(lines.at(-1) ?? "null") as Record<string, unknown>;
}

beforeAll(() => {
  try {
    execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "ignore" });
  } catch {
    // tsc emits dist/ even when some file has type errors; the tests below use what it emitted.
  }
});

describe("shipper-client process", () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await Receiver.start();
  });
  afterEach(() => receiver.socket.close());

  it("ships 1000 piped lines, every one arrives, exit 0 and the summary last", async () => {
    const target = ["--target-host", "127.0.0.1", "--target-port", String(receiver.port)];
    const { child, finished } = startClient([...target, "--batch-size", "25"]);
    const lines = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? `plain line ${i}` : JSON.stringify({ message: `json line ${i}`, n: i }),
    );
    child.stdin?.end(`${lines.join("\n")}\n`);
    const { code, stderr } = await finished;
    await receiver.received(1000);
    expect(code).toBe(0);
    const summary = lastJson(stderr);
    for (const field of SUMMARY_FIELDS) expect(summary).toHaveProperty(field);
    expect(summary).toMatchObject({ entries: 1000, sent: 1000, dropped: 0 });
    const messages = receiver.entries.map((entry) => entry.message).sort();
    expect(messages).toEqual(
      lines.map((line, i) => (i % 2 === 0 ? line : `json line ${i}`)).sort(),
    );
    expect(receiver.rejected).toEqual([]);
  });

  it("drains on SIGTERM during a slow stdin and prints the summary", async () => {
    const target = ["--target-host", "127.0.0.1", "--target-port", String(receiver.port)];
    const { child, finished } = startClient([...target, "--batch-size", "2"]);
    child.stdin?.write("one\ntwo\nthree\n"); // stdin stays open
    await receiver.received(2);
    child.kill("SIGTERM");
    const { code, stderr } = await finished;
    await receiver.received(3);
    expect(code).toBe(0);
    expect(stderr[0]).toContain("SIGTERM: draining");
    const summary = lastJson(stderr);
    expect(summary).toMatchObject({ entries: 3, sent: 3, dropped: 0 });
    expect(summary.flush_triggers).toMatchObject({ size: 1, shutdown: 1 });
    expect(receiver.entries.map((entry) => entry.message)).toEqual(["one", "two", "three"]);
  });

  it("reads files in order with the original framing under --no-sequence", async () => {
    const dir = await mkdtemp(join(tmpdir(), "client-files-"));
    try {
      await writeFile(join(dir, "a.log"), "a1\na2\n");
      await writeFile(join(dir, "b.log"), '{"message":"b1","level":"ERROR"}');
      const { finished } = startClient([join(dir, "a.log"), join(dir, "b.log"), "--no-sequence"], {
        TARGET_HOST: "127.0.0.1",
        TARGET_PORT: String(receiver.port),
        BATCH_SIZE: "1",
      });
      const { code } = await finished;
      await receiver.received(3);
      expect(code).toBe(0);
      expect(receiver.entries.map((entry) => entry.message)).toEqual(["a1", "a2", "b1"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("generates rate x run time entries with --generate", async () => {
    const { child, finished } = startClient([
      "--generate",
      "--target-host",
      "127.0.0.1",
      "--target-port",
      String(receiver.port),
      "--logs-per-second",
      "200",
      "--run-time",
      "0.25",
    ]);
    child.stdin?.end();
    const { code, stderr } = await finished;
    await receiver.received(50);
    expect(code).toBe(0);
    expect(lastJson(stderr)).toMatchObject({ entries: 50, sent: 50, dropped: 0 });
  });

  it("exits 2 with one line naming a bad option", async () => {
    const { child, finished } = startClient(["--batch-size", "0"]);
    child.stdin?.end();
    const { code, stderr } = await finished;
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain("--batch-size");
  });
});
