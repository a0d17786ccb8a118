/** `shipper-server`'s main() in-process, with a fake CliIO. */
import { describe, expect, it } from "vitest";
import { main } from "../../../src/commands/server/main.js";
import { parseServerArgs, type ServerConfig } from "../../../src/commands/server/options.js";
import { utf8 } from "../../server/helpers.js";
import { ExitCalled, FakeIO } from "../../support/fake-io.js";
import { sendAll } from "../../support/udp.js";

function config(argv: string[], env: Record<string, string> = {}, tty = false): ServerConfig {
  const io = new FakeIO({ stdoutTTY: tty });
  const result = parseServerArgs(argv, env, io);
  if (typeof result === "number") throw new Error(`exit ${result}: ${io.stderr.lines.join("|")}`);
  return result;
}

describe("parseServerArgs", () => {
  it("has documented defaults", () => {
    expect(config([])).toEqual({
      host: "0.0.0.0",
      port: 9999,
      recvBufferBytes: 8 * 1024 * 1024,
      maxDecompressedBytes: 1024 * 1024,
      maxMessageBytes: 4 * 1024 * 1024,
      limits: { maxDepth: 64, maxEntries: 30_000, maxFields: 1_000 },
      accept: new Set(["framed", "json", "syslog", "gelf"]),
      format: "ndjson",
      color: false,
      statsIntervalMs: 60_000,
      quiet: false,
      verbose: false,
      maxPendingOutputBytes: 64 * 1024 * 1024,
      access: { keys: [], keyFiles: [], envKey: undefined, allow: [], rateLimitPerSecond: 0 },
      metrics: undefined,
      outputs: {
        outputs: [
          {
            spec: { kind: "stdout", spec: "stdout" },
            batch: {
              maxEntries: 10_000,
              maxBytes: 1024 * 1024,
              intervalMs: 0,
              flushRank: undefined,
            },
            maxQueueBytes: 64 * 1024 * 1024,
            spoolMaxBytes: 1024 * 1024 * 1024,
          },
        ],
        spoolDir: undefined,
        drainTimeoutMs: 10_000,
        fields: [],
        configFile: undefined,
      },
      workers: 1,
    });
    expect(Object.isFrozen(config([]))).toBe(true);
  });

  it("reads every option from its env var, and a flag overrides it", () => {
    const env = {
      SERVER_HOST: "::1",
      SERVER_PORT: "0",
      BUFFER_SIZE: "1MiB",
      MAX_DECOMPRESSED: "2MiB",
      MAX_MESSAGE: "512KiB",
      MAX_DEPTH: "16",
      MAX_ENTRIES: "500",
      MAX_FIELDS: "50",
      FORMAT: "pretty",
      STATS_INTERVAL: "0.5",
      VERBOSE: "yes",
      MAX_PENDING_OUTPUT: "1MiB",
    };
    expect(config([], env)).toMatchObject({
      host: "::1",
      port: 0,
      recvBufferBytes: 1024 * 1024,
      maxDecompressedBytes: 2 * 1024 * 1024,
      maxMessageBytes: 512 * 1024,
      limits: { maxDepth: 16, maxEntries: 500, maxFields: 50 },
      format: "pretty",
      statsIntervalMs: 500,
      verbose: true,
      maxPendingOutputBytes: 1024 * 1024,
    });
    expect(config(["--port", "7", "--format", "ndjson"], env)).toMatchObject({
      port: 7,
      format: "ndjson",
    });
    expect(config([], { QUIET: "0" }).quiet).toBe(false);
    expect(config([], { QUIET: "true" }).quiet).toBe(true);
  });

  it("defaults to coloured pretty output on a terminal, honouring NO_COLOR and FORCE_COLOR", () => {
    expect(config([], {}, true)).toMatchObject({ format: "pretty", color: true });
    expect(config([], { NO_COLOR: "1" }, true)).toMatchObject({ format: "pretty", color: false });
    expect(config(["--format", "pretty"], { FORCE_COLOR: "1" })).toMatchObject({ color: true });
    expect(config(["--format", "pretty"])).toMatchObject({ color: false });
    expect(config(["--format", "ndjson"], {}, true)).toMatchObject({ color: false });
  });

  it.each([
    [["--port", "-1"], "--port"],
    [["--format", "xml"], "--format"],
    [["--buffer-size", "lots"], "--buffer-size"],
    [["--max-depth", "0"], "--max-depth"],
    [["--max-entries", "many"], "--max-entries"],
    [["--max-fields", "-3"], "--max-fields"],
    [["--stats-interval", "-5"], "--stats-interval"],
    [["--max-decompressed", "0"], "--max-decompressed"],
    [["--quiet", "--verbose"], "--quiet"],
    [["extra"], "too many arguments"],
  ])("exits 2 on %j with one line naming %s", (argv, name) => {
    const io = new FakeIO();
    const { stderr } = io;
    expect(parseServerArgs(argv, {}, io)).toBe(2);
    expect(stderr.lines).toHaveLength(1);
    expect(stderr.lines[0]).toContain(name);
  });
});

describe("main", () => {
  it("serves until SIGTERM, then ends stderr with the summary and returns 0", async () => {
    const io = new FakeIO();
    const { stdout, stderr, raise } = io;
    const done = main(["--host", "127.0.0.1", "--port", "0", "--buffer-size", "0"], {}, io);
    await expect.poll(() => stderr.lines.length).toBe(1);
    const match = /^shipper-server: listening on udp:\/\/127\.0\.0\.1:(\d+)$/.exec(
      stderr.lines[0] ?? "",
    );
    expect(match).not.toBe(null);
    await sendAll([utf8('{"a":1}'), utf8("??")], Number(match?.[1]));
    await expect.poll(() => stdout.lines).toEqual(['{"a":1}']);
    raise("SIGTERM");
    await expect(done).resolves.toBe(0);
    const lines = stderr.lines;
    expect(lines.at(-2)).toBe("shipper-server: SIGTERM: stopping; a second signal exits at once");
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({ datagrams: 2, entries: 1 });
  });

  it("exits at once with 128+signal on a second signal during shutdown", async () => {
    const io = new FakeIO();
    const { stderr, raise } = io;
    const done = main(["--host", "127.0.0.1", "--port", "0", "--quiet"], {}, io);
    await expect.poll(() => stderr.lines.length).toBe(1);
    raise("SIGINT");
    expect(() => raise("SIGINT")).toThrow(new ExitCalled(130));
    await expect(done).resolves.toBe(0);
  });

  it("returns 1 with one line when it cannot bind", async () => {
    const io = new FakeIO();
    const { stderr, handlers } = io;
    await expect(main(["--host", "203.0.113.1", "--port", "0"], {}, io)).resolves.toBe(1);
    expect(stderr.lines).toHaveLength(1);
    expect(stderr.lines[0]).toMatch(/^shipper-server: cannot listen on udp:\/\/203\.0\.113\.1:0: /);
    expect([...handlers.values()].every((set) => set.size === 0)).toBe(true);
  });
});
