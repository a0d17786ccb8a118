import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RefusalNotice, Shipper } from "../../../src/client/shipper.js";
import type { ShipperOptions } from "../../../src/client/shipper-options.js";
import type { ShipperSummary } from "../../../src/client/summary.js";
import { type ClientDeps, main } from "../../../src/commands/client/main.js";
import { EXIT_INTERRUPTED, refusalWarning } from "../../../src/commands/client/run.js";
import { formatStatus, StatusLine } from "../../../src/commands/client/status-line.js";
import { ExitCalled, FakeIO, Output } from "../../support/fake-io.js";

function summaryOf(entries: number, dropped: number): ShipperSummary {
  return {
    entries,
    sent: entries - dropped,
    dropped,
    dropped_by_reason: dropped > 0 ? { "send-failed": dropped } : {},
    refused: 0,
    refused_by_code: {},
    truncated: 0,
    batches: 1,
    datagrams: 1,
    bytes: 100,
    retries: 0,
    send_errors: 0,
    flush_triggers: { size: 0, interval: 0, bytes: 0, level: 0, shutdown: 1, manual: 0 },
    batch_size: { p50: entries, p95: entries },
    send_ms: { p50: 0, p95: 0 },
    fragmented: 0,
  };
}

class FakeShipper implements Shipper {
  options: ShipperOptions | undefined;
  logged: Record<string, unknown>[] = [];
  tried = 0;
  reconfigured: unknown[] = [];
  dropAll = false;
  /** log() answers false (pause) while this holds. */
  full = false;
  private waiters: (() => void)[] = [];
  closed = false;
  /** The next log() reports a refusal to the listeners. */
  refuseNext = false;
  refused = 0;
  private readonly refusalListeners = new Set<(notice: RefusalNotice) => void>();

  log(entry: Record<string, unknown>): Promise<void> {
    this.take(entry);
    return Promise.resolve();
  }
  private take(entry: Record<string, unknown>): boolean {
    this.logged.push(entry);
    if (this.refuseNext) {
      this.refuseNext = false;
      this.refused += 1;
      const notice: RefusalNotice = { code: "ECONNREFUSED", address: "127.0.0.1", port: 9 };
      for (const listener of this.refusalListeners) listener(notice);
    }
    return !this.full;
  }
  logJson(json: string): boolean {
    return this.take(JSON.parse(json));
  }
  onRefusing(listener: (notice: RefusalNotice) => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }
  tryLog(entry: Record<string, unknown>): boolean {
    this.tried++;
    return this.take(entry);
  }
  ready(): Promise<void> {
    return this.full ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
  release(): void {
    this.full = false;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  reconfigure(settings: unknown): void {
    this.reconfigured.push(settings);
  }
  async close(): Promise<ShipperSummary> {
    this.closed = true;
    return this.summary();
  }
  summary(): ShipperSummary {
    const count = this.logged.length;
    const summary = summaryOf(count, this.dropAll ? count : 0);
    if (this.refused > 0) {
      summary.refused = this.refused;
      summary.refused_by_code = { ECONNREFUSED: this.refused };
    }
    return summary;
  }
}

function deps(shipper: FakeShipper, extra: Partial<ClientDeps> = {}): Partial<ClientDeps> {
  return {
    createShipper: (options) => {
      shipper.options = options;
      return shipper;
    },
    wallClock: () => Date.parse("2026-11-24T10:30:00.000Z"),
    lookup: async () => ({ address: "127.0.0.1", family: 4 }),
    ...extra,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** `now` and `sleep` for generating: a clock that only `sleep` moves. */
function sleepMovesTime(): Pick<ClientDeps, "now" | "sleep"> {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

/** Runs main over stdin text; returns the code, the shipper and stderr lines. */
async function run(argv: string[], env: Record<string, string> = {}, input = "") {
  const fake = new FakeIO();
  const shipper = new FakeShipper();
  fake.stdin.end(input);
  const code = await main(argv, env, fake, deps(shipper));
  return { code, shipper, stderr: fake.stderr.lines };
}

describe("shipper-client usage errors", () => {
  it.each([
    [["--batch-size", "ten"], "--batch-size"],
    [["--target-port", "70000"], "--target-port"],
    [["--batch-interval", "0"], "--batch-interval"],
    [["--max-datagram", "100"], "--max-datagram"],
    [["--flush-level", "loud"], "--flush-level"],
    [["--level", "chatty"], "--level"],
    [["--max-retries", "-1"], "--max-retries"],
    [["--batch-bytes", "lots"], "--batch-bytes"],
    [["--bogus"], "--bogus"],
  ])("%j exits 2 with one line naming %s", async (argv, option) => {
    const { code, shipper, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain(option);
    expect(shipper.options).toBeUndefined();
  });

  it("names the env var and the option of a bad env value", async () => {
    const { code, stderr } = await run([], { BATCH_SIZE: "many" });
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain("BATCH_SIZE");
    expect(stderr[0]).toContain("--batch-size");
  });

  it("rejects --generate with FILE arguments", async () => {
    const { code, stderr } = await run(["--generate", "app.log"]);
    expect(code).toBe(2);
    expect(stderr).toEqual([
      "shipper-client: error: --generate cannot be combined with FILE arguments",
    ]);
  });

  it("rejects a bad --config file before sending anything", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    const code = await main(
      ["--config", "batch.json"],
      {},
      fake,
      deps(shipper, { readConfigText: async () => '{"batchSize": 5}' }),
    );
    expect(code).toBe(2);
    expect(fake.stderr.lines).toHaveLength(1);
    expect(fake.stderr.lines[0]).toContain("--config");
    expect(fake.stderr.lines[0]).toContain('unknown key "batchSize"');
    expect(shipper.options).toBeUndefined();
  });

  it("prints help on stdout and exits 0", async () => {
    const fake = new FakeIO();
    expect(await main(["--help"], {}, fake, deps(new FakeShipper()))).toBe(0);
    expect(fake.stdout.text).toContain("--target-host");
    expect(fake.stdout.text).toContain("FLUSH_INTERVAL)");
  });
});

describe("shipper-client options", () => {
  it("uses the defaults", async () => {
    const { shipper } = await run([]);
    expect(shipper.options).toEqual({
      batchSize: 10,
      flushIntervalMs: 5000,
      batchBytes: 0,
      flushLevel: undefined,
      targetHost: "localhost",
      targetPort: 9999,
      compress: true,
      compressThread: true,
      compressionLevel: 3,
      sequenced: true,
      maxDatagramBytes: 65_507,
      maxRetries: 3,
      lookup: expect.any(Function),
      onResolveFailed: expect.any(Function),
    });
  });

  it("falls back to env vars", async () => {
    const env = {
      TARGET_HOST: "logs.internal",
      TARGET_PORT: "1234",
      BATCH_SIZE: "50",
      FLUSH_INTERVAL: "0.5",
      BATCH_BYTES: "64KiB",
      FLUSH_LEVEL: "error",
      COMPRESS: "false",
      COMPRESS_THREAD: "false",
      COMPRESSION_LEVEL: "9",
      SEQUENCE: "no",
      MAX_RETRIES: "0",
      MAX_DATAGRAM: "1400",
    };
    const { shipper } = await run([], env);
    expect(shipper.options).toEqual({
      batchSize: 50,
      flushIntervalMs: 500,
      batchBytes: 65_536,
      flushLevel: "ERROR",
      targetHost: "logs.internal",
      targetPort: 1234,
      compress: false,
      compressThread: false,
      compressionLevel: 9,
      sequenced: false,
      maxDatagramBytes: 1400,
      maxRetries: 0,
      lookup: expect.any(Function),
      onResolveFailed: expect.any(Function),
    });
  });

  it("lets a flag override its env var", async () => {
    const env = { TARGET_PORT: "1234", BATCH_SIZE: "50", FLUSH_LEVEL: "ERROR", COMPRESS: "true" };
    const argv = ["--target-port", "4321", "--batch-size", "5", "--flush-level", "off"];
    const { shipper } = await run([...argv, "--no-compress", "--no-compress-thread"], env);
    expect(shipper.options).toMatchObject({
      targetPort: 4321,
      batchSize: 5,
      flushLevel: undefined,
      compress: false,
      compressThread: false,
    });
  });

  it("applies the config file over flags and env", async () => {
    const fake = new FakeIO();
    fake.stdin.end();
    const shipper = new FakeShipper();
    await main(
      ["--config", "batch.json", "--batch-size", "5", "--flush-level", "INFO"],
      {},
      fake,
      deps(shipper, {
        readConfigText: async () => '{"batch_size": 100, "flush_level": null}',
      }),
    );
    expect(shipper.options).toMatchObject({ batchSize: 100, flushLevel: undefined });
  });
});

describe("shipper-client input", () => {
  it("turns stdin lines into entries and prints the summary as the last stderr line", async () => {
    const input = 'plain text\r\n\n{"level":"ERROR","message":"boom"}\nlast';
    const args = ["--level", "warn", "--service", "svc", "--parse", "none", "--json-format", "raw"];
    const { code, shipper, stderr } = await run(args, {}, input);
    expect(code).toBe(0);
    expect(shipper.logged).toEqual([
      {
        timestamp: "2026-11-24T10:30:00.000Z",
        level: "WARNING",
        message: "plain text",
        service: "svc",
        metadata: {},
      },
      { level: "ERROR", message: "boom", timestamp: "2026-11-24T10:30:00.000Z" },
      {
        timestamp: "2026-11-24T10:30:00.000Z",
        level: "WARNING",
        message: "last",
        service: "svc",
        metadata: {},
      },
    ]);
    expect(shipper.closed).toBe(true);
    const summary = JSON.parse(stderr.at(-1) ?? "");
    expect(summary).toMatchObject({ entries: 3, sent: 3, dropped: 0 });
    expect(summary.input).toEqual({ lines: 3, cut: 0, unreadable: 0 });
  });

  it("reads LOG_LEVEL and SERVICE_NAME for plain lines", async () => {
    const { shipper } = await run([], { LOG_LEVEL: "DEBUG", SERVICE_NAME: "api" }, "x\n");
    expect(shipper.logged[0]).toMatchObject({ level: "DEBUG", service: "api" });
  });

  it("exits 1 when entries were dropped", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    shipper.dropAll = true;
    fake.stdin.end("a\nb\n");
    expect(await main([], {}, fake, deps(shipper))).toBe(1);
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "")).toMatchObject({ dropped: 2 });
  });

  it("warns in one line when the target refuses datagrams, and exits 1", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    shipper.refuseNext = true;
    fake.stdin.end("a\nb\n");
    const argv = ["--target-host", "127.0.0.1", "--target-port", "9"];
    expect(await main(argv, {}, fake, deps(shipper))).toBe(1);
    expect(fake.stderr.lines).toHaveLength(2);
    expect(fake.stderr.lines[0]).toBe(
      "shipper-client: 127.0.0.1:9 refuses datagrams (ECONNREFUSED): is shipper-server running there?",
    );
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "")).toMatchObject({
      sent: 2,
      dropped: 0,
      refused: 1,
      refused_by_code: { ECONNREFUSED: 1 },
    });
  });

  it.each([
    [
      "logs.internal",
      "10.0.0.5",
      "ECONNREFUSED",
      "logs.internal:9999 (10.0.0.5) refuses datagrams",
    ],
    ["::1", "::1", "ECONNREFUSED", "[::1]:9999 refuses datagrams (ECONNREFUSED)"],
    ["10.0.0.5", "10.0.0.5", "EHOSTUNREACH", "10.0.0.5:9999 is unreachable (EHOSTUNREACH)"],
  ] as const)("names %s (%s) and %s in the refusal warning", (host, address, code, text) => {
    expect(refusalWarning(host, { code, address, port: 9999 })).toContain(text);
  });

  it("reports an unreadable file, reads the others and exits 1", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    const files: Record<string, string> = { "a.log": "a1\n", "c.log": "c1\n" };
    const openSource = async (name: string) => {
      const text = files[name];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: ${name}`), { code: "ENOENT" });
      return Readable.from([Buffer.from(text)]);
    };
    const code = await main(["a.log", "b.log", "c.log"], {}, fake, deps(shipper, { openSource }));
    expect(code).toBe(1);
    expect(shipper.logged.map((entry) => entry.message)).toEqual(["a1", "c1"]);
    expect(fake.stderr.lines[0]).toBe("shipper-client: cannot read b.log: ENOENT: b.log");
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "").input.unreadable).toBe(1);
  });

  it("stops reading while the shipper asks to pause, and goes on once it is ready", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    shipper.full = true;
    fake.stdin.end("1\n2\n3\n");
    const done = main([], {}, fake, deps(shipper));
    for (let i = 0; i < 5; i++) await tick();
    expect(shipper.logged).toHaveLength(1);
    shipper.release();
    expect(await done).toBe(0);
    expect(shipper.logged).toHaveLength(3);
  });

  it("stops taking lines at a stop signal while paused, counting only the lines it took", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    shipper.full = true;
    fake.stdin.write("1\n2\n3\n");
    const done = main([], {}, fake, deps(shipper));
    for (let i = 0; i < 5; i++) await tick();
    expect(shipper.logged).toHaveLength(1);
    fake.raise("SIGTERM");
    expect(await done).toBe(0);
    expect(shipper.logged.map((entry) => entry.message)).toEqual(["1"]);
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "").input.lines).toBe(1);
  });

  it("reads a terminal on stdin after one note, and generates nothing", async () => {
    const fake = new FakeIO({ stdinTTY: true });
    const shipper = new FakeShipper();
    fake.stdin.end("typed line\n");
    const code = await main([], {}, fake, deps(shipper, sleepMovesTime()));
    expect(code).toBe(0);
    expect(shipper.tried).toBe(0);
    expect(shipper.logged.map((entry) => entry.message)).toEqual(["typed line"]);
    expect(fake.stderr.lines).toHaveLength(2);
    expect(fake.stderr.lines[0]).toBe(
      "shipper-client: reading log lines from stdin (a terminal); Ctrl-D ends the input",
    );
  });

  it("generates with --generate when stdin is a terminal, without the note", async () => {
    const fake = new FakeIO({ stdinTTY: true });
    const shipper = new FakeShipper();
    const code = await main(
      ["--generate", "--logs-per-second", "20", "--run-time", "2"],
      {},
      fake,
      deps(shipper, sleepMovesTime()),
    );
    expect(code).toBe(0);
    expect(shipper.tried).toBe(40);
    expect(fake.stderr.lines).toHaveLength(1);
  });
  it("generates with GENERATE=true even when stdin is a pipe, leaving stdin unread", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    fake.stdin.write("not read\n");
    const code = await main(
      ["--logs-per-second", "3", "--run-time", "1"],
      { GENERATE: "true" },
      fake,
      deps(shipper, sleepMovesTime()),
    );
    expect(code).toBe(0);
    expect(shipper.tried).toBe(3);
    expect(shipper.logged.map((entry) => entry.message)).not.toContain("not read");
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "")).not.toHaveProperty("input");
  });
});

describe("shipper-client signals", () => {
  it("drains on SIGTERM while stdin is silent, then prints the summary", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    fake.stdin.write("one\n");
    const done = main([], {}, fake, deps(shipper));
    for (let i = 0; i < 5; i++) await tick();
    fake.raise("SIGTERM");
    expect(await done).toBe(0);
    expect(shipper.closed).toBe(true);
    expect(fake.stdin.destroyed).toBe(true);
    const lines = fake.stderr.lines;
    expect(lines[0]).toContain("SIGTERM: draining");
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({ entries: 1, sent: 1 });
    expect(fake.handlers.get("SIGTERM")?.size).toBe(0);
  });

  it("exits at once on a second signal", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    shipper.close = () => new Promise(() => {}); // a drain that never ends
    fake.stdin.end("one\n");
    const done = main([], {}, fake, deps(shipper));
    for (let i = 0; i < 5; i++) await tick();
    fake.raise("SIGINT");
    expect(() => fake.raise("SIGINT")).toThrow(new ExitCalled(EXIT_INTERRUPTED));
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "")).toMatchObject({
      entries: 1,
      input: { lines: 1, cut: 0, unreadable: 0 },
    });
    void done;
  });

  it("re-reads --config on SIGHUP, keeping the old settings when it is bad", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    let text = '{"batch_size": 20}';
    const done = main(
      ["--config", "batch.json", "--batch-interval", "2"],
      {},
      fake,
      deps(shipper, { readConfigText: async () => text }),
    );
    await tick();
    text = '{"batch_size": 3, "flush_level": "ERROR"}';
    fake.raise("SIGHUP");
    for (let i = 0; i < 3; i++) await tick();
    text = '{"batch_size": 0}';
    fake.raise("SIGHUP");
    for (let i = 0; i < 3; i++) await tick();
    text = "{}";
    fake.raise("SIGHUP");
    for (let i = 0; i < 3; i++) await tick();
    fake.stdin.end();
    expect(await done).toBe(0);
    expect(shipper.reconfigured).toEqual([
      { batchSize: 3, flushIntervalMs: 2000, batchBytes: 0, flushLevel: "ERROR" },
      { batchSize: 10, flushIntervalMs: 2000, batchBytes: 0, flushLevel: undefined },
    ]);
    const notes = fake.stderr.lines.slice(0, -1);
    expect(notes).toHaveLength(3);
    expect(notes[1]).toContain("batch_size expects an integer from 1 to 1000000");
    expect(notes[1]).toContain("keeping the previous settings");
  });

  it("notes a SIGHUP without --config and changes nothing", async () => {
    const fake = new FakeIO();
    const shipper = new FakeShipper();
    const done = main([], {}, fake, deps(shipper));
    await tick();
    fake.raise("SIGHUP");
    fake.stdin.end();
    expect(await done).toBe(0);
    expect(shipper.reconfigured).toEqual([]);
    expect(fake.stderr.lines[0]).toBe(
      "shipper-client: SIGHUP ignored: no --config file to re-read",
    );
  });
});

describe("status line", () => {
  it("formats entries/s, sent, dropped and retries", () => {
    expect(formatStatus({ entries: 120, sent: 100, dropped: 2, retries: 1 }, 12.34)).toBe(
      "entries 120 (12.3/s)  sent 100  dropped 2  retries 1",
    );
  });

  it("redraws in place on a terminal and clears before other lines", () => {
    const stream = new Output(true);
    let now = 0;
    let tickFn: (() => void) | undefined;
    const status = new StatusLine(stream, {
      now: () => now,
      setInterval: (fn) => {
        tickFn = fn;
        return 1;
      },
      clearInterval: () => {
        tickFn = undefined;
      },
    });
    let entries = 0;
    status.start(() => ({ entries, sent: 0, dropped: 0, retries: 0 }));
    entries = 50;
    now = 250;
    tickFn?.();
    status.print("note");
    status.stop();
    expect(tickFn).toBeUndefined();
    expect(stream.text).toBe(
      "\r\x1b[Kentries 50 (200/s)  sent 0  dropped 0  retries 0\r\x1b[Knote\n",
    );
  });

  it("draws nothing when the stream is not a terminal", async () => {
    const fake = new FakeIO({ stderrTTY: false });
    fake.stdin.end("a\n");
    await main([], {}, fake, deps(new FakeShipper()));
    expect(fake.stderr.text).not.toContain("\r");
    expect(fake.stderr.lines).toHaveLength(1);
  });

  it("off a terminal, writes a plain stats line every lineIntervalMs", () => {
    const stream = new Output(false);
    let now = 0;
    let tickFn: (() => void) | undefined;
    let every = 0;
    const status = new StatusLine(stream, {
      now: () => now,
      lineIntervalMs: 5000,
      setInterval: (fn, ms) => {
        tickFn = fn;
        every = ms;
        return 1;
      },
      clearInterval: () => {
        tickFn = undefined;
      },
    });
    let entries = 0;
    status.start(() => ({ entries, sent: entries, dropped: 0, retries: 0 }));
    expect(every).toBe(5000);
    entries = 500;
    now = 5000;
    tickFn?.();
    status.print("note");
    status.stop();
    expect(tickFn).toBeUndefined();
    expect(stream.text).toBe(
      "shipper-client: stats: entries 500 (100/s)  sent 500  dropped 0  retries 0\nnote\n",
    );
  });

  it("off a terminal with --stats-interval 0, writes no stats line", () => {
    const stream = new Output(false);
    let started = false;
    const status = new StatusLine(stream, {
      now: () => 0,
      lineIntervalMs: 0,
      setInterval: () => {
        started = true;
        return 1;
      },
    });
    status.start(() => ({ entries: 1, sent: 1, dropped: 0, retries: 0 }));
    expect(started).toBe(false);
  });
});
