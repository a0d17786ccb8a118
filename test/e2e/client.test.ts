/**
 * The built `shipper-client` as a process: stdin piped in, datagrams caught
 * by a node:dgram receiver on 127.0.0.1 and decoded with the project's own
 * Decoder, signals sent, exit codes and the summary line checked.
 */
import { createSocket, type Socket } from "node:dgram";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { type RunOptions, runCommand, summaryOf } from "../support/process.js";

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
  "refused",
  "refused_by_code",
  "flush_triggers",
  "batch_size",
  "send_ms",
];

/** A UDP receiver decoding every datagram into entries. */
class Receiver {
  readonly entries: Record<string, unknown>[] = [];
  readonly rejected: string[] = [];
  private readonly decoder = createDecoder({ now: () => performance.now() });
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

/** Runs `shipper-client` with stdin a pipe: `input` piped in and ended, or left open to write. */
const startClient = (args: string[], options: RunOptions = {}) =>
  runCommand("shipper-client", args, { stdin: "pipe", ...options });

describe("shipper-client process", () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await Receiver.start();
  });
  afterEach(() => receiver.socket.close());

  it("ships 1000 piped lines, every one arrives, exit 0 and the summary last", async () => {
    const target = ["--target-host", "127.0.0.1", "--target-port", String(receiver.port)];
    const lines = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0 ? `plain line ${i}` : JSON.stringify({ message: `json line ${i}`, n: i }),
    );
    const client = startClient([...target, "--batch-size", "25"], {
      input: `${lines.join("\n")}\n`,
    });
    const code = await client.exited();
    await receiver.received(1000);
    expect(code).toBe(0);
    const summary = summaryOf(client);
    for (const field of SUMMARY_FIELDS) expect(summary).toHaveProperty(field);
    expect(summary).toMatchObject({ entries: 1000, sent: 1000, dropped: 0 });
    const messages = receiver.entries.map((entry) => entry.message).sort();
    expect(messages).toEqual(
      lines.map((line, i) => (i % 2 === 0 ? line : `json line ${i}`)).sort(),
    );
    expect(receiver.rejected).toEqual([]);
  });

  it.each([[[]], [["--no-compress-thread"]]])(
    "ships batches of 8 KiB and more in order, compressed %j",
    async (extra) => {
      const target = ["--target-host", "127.0.0.1", "--target-port", String(receiver.port)];
      const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${"x".repeat(150)}`);
      const client = startClient([...target, "--batch-size", "100", ...extra], {
        input: `${lines.join("\n")}\n`,
      });
      const code = await client.exited();
      await receiver.received(5000);
      expect(code).toBe(0);
      expect(summaryOf(client)).toMatchObject({ entries: 5000, sent: 5000, datagrams: 50 });
      expect(receiver.entries.map((entry) => entry.message)).toEqual(lines);
      expect(receiver.rejected).toEqual([]);
    },
  );

  it("drains on SIGTERM during a slow stdin and prints the summary", async () => {
    const target = ["--target-host", "127.0.0.1", "--target-port", String(receiver.port)];
    const client = startClient([...target, "--batch-size", "2"]);
    client.child.stdin?.write("one\ntwo\nthree\n"); // stdin stays open
    await receiver.received(2);
    client.child.kill("SIGTERM");
    const code = await client.exited();
    await receiver.received(3);
    expect(code).toBe(0);
    expect(client.stderr[0]).toContain("SIGTERM: draining");
    const summary = summaryOf(client);
    expect(summary).toMatchObject({ entries: 3, sent: 3, dropped: 0 });
    expect(summary.flush_triggers).toMatchObject({ size: 1, shutdown: 1 });
    expect(receiver.entries.map((entry) => entry.message)).toEqual(["one", "two", "three"]);
  });

  it("reads files in order with the original framing under --no-sequence", async () => {
    const dir = await mkdtemp(join(tmpdir(), "client-files-"));
    try {
      await writeFile(join(dir, "a.log"), "a1\na2\n");
      await writeFile(join(dir, "b.log"), '{"message":"b1","level":"ERROR"}');
      const client = startClient([join(dir, "a.log"), join(dir, "b.log"), "--no-sequence"], {
        env: { TARGET_HOST: "127.0.0.1", TARGET_PORT: String(receiver.port), BATCH_SIZE: "1" },
      });
      const code = await client.exited();
      await receiver.received(3);
      expect(code).toBe(0);
      expect(receiver.entries.map((entry) => entry.message)).toEqual(["a1", "a2", "b1"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("generates rate x run time entries with --generate", async () => {
    const client = startClient(
      [
        "--generate",
        "--target-host",
        "127.0.0.1",
        "--target-port",
        String(receiver.port),
        "--logs-per-second",
        "200",
        "--run-time",
        "0.25",
      ],
      { input: "" },
    );
    const code = await client.exited();
    await receiver.received(50);
    expect(code).toBe(0);
    expect(summaryOf(client)).toMatchObject({ entries: 50, sent: 50, dropped: 0 });
  });

  it("against a closed port: counts refused datagrams, warns in one line, exits 1", async () => {
    const closed = await Receiver.start();
    const port = closed.port;
    closed.socket.close();
    const target = ["--target-host", "127.0.0.1", "--target-port", String(port)];
    const client = startClient(
      [
        ...target,
        "--generate",
        "--logs-per-second",
        "100",
        "--run-time",
        "0.5",
        "--batch-size",
        "5",
      ],
      { input: "" },
    );
    expect(await client.exited()).toBe(1);
    expect(client.stderr).toHaveLength(2);
    expect(client.stderr[0]).toBe(
      `shipper-client: 127.0.0.1:${port} refuses datagrams (ECONNREFUSED): is shipper-server running there?`,
    );
    const summary = summaryOf(client);
    expect(summary.refused).toBeGreaterThan(0);
    expect(summary.refused_by_code).toEqual({ ECONNREFUSED: summary.refused });
    expect(summary.entries).toBe(50);
    expect(Number(summary.sent) + Number(summary.dropped)).toBe(50);
  });

  it("exits 2 with one line naming a bad option", async () => {
    const client = startClient(["--batch-size", "0"], { input: "" });
    expect(await client.exited()).toBe(2);
    expect(client.stderr).toHaveLength(1);
    expect(client.stderr[0]).toContain("--batch-size");
  });

  it("keeps to one line an error quoting a short file or naming a path with a newline", async () => {
    const dir = await mkdtemp(join(tmpdir(), "client-one-line-"));
    try {
      // YAML given for the JSON config: the parser's message quotes the text, newlines and all.
      const config = join(dir, "batch.json");
      await writeFile(config, "batch_size: 3\nx: 1\n");
      const bad = startClient(["--config", config], { input: "" });
      expect(await bad.exited()).toBe(2);
      expect(bad.stderr).toHaveLength(1);
      expect(bad.stderr[0]).toMatch(/--config.*batch_size: 3\\nx: 1\\n/);
      // A file that cannot be read, its name holding a newline: one line naming it, then the summary.
      const missing = startClient(
        [
          "--target-host",
          "127.0.0.1",
          "--target-port",
          String(receiver.port),
          join(dir, "no\nfile"),
        ],
        { input: "" },
      );
      expect(await missing.exited()).toBe(1);
      const lines = missing.stderr.filter((line) => !line.startsWith("{"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain("cannot read");
      expect(lines[0]).toContain("no\\nfile");
      expect(summaryOf(missing)).toMatchObject({ entries: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
