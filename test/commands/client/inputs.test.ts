/**
 * `shipper-client` in-process with a fake io and shipper: --multiline,
 * --tee, --version, an unresolvable target and a terminal on stdin.
 */
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Shipper } from "../../../src/client/shipper.js";
import type { ShipperSummary } from "../../../src/client/summary.js";
import { type ClientDeps, main } from "../../../src/commands/client/main.js";
import { main as serverMain } from "../../../src/commands/server/main.js";
import { FakeIO } from "../../support/fake-io.js";
import { FakeTime, settle } from "../../support/fake-time.js";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

/** Keeps every entry; `full` makes logJson ask for a pause. */
class RecordingShipper implements Shipper {
  readonly messages: string[] = [];
  log(entry: Record<string, unknown>): Promise<void> {
    this.take(entry);
    return Promise.resolve();
  }
  private take(entry: Record<string, unknown>): boolean {
    this.messages.push(String(entry.message));
    return true;
  }
  logJson(json: string): boolean {
    return this.take(JSON.parse(json) as Record<string, unknown>);
  }
  tryLog(entry: Record<string, unknown>): boolean {
    return this.take(entry);
  }
  ready(): Promise<void> {
    return Promise.resolve();
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  reconfigure(): void {}
  async close(): Promise<ShipperSummary> {
    return this.summary();
  }
  summary(): ShipperSummary {
    const entries = this.messages.length;
    return { entries, sent: entries, dropped: 0, refused: 0 } as ShipperSummary;
  }
}

function deps(shipper: Shipper, extra: Partial<ClientDeps> = {}): Partial<ClientDeps> {
  return {
    createShipper: () => shipper,
    lookup: async () => ({ address: "127.0.0.1", family: 4 }),
    ...extra,
  };
}

async function run(argv: string[], input: string, env: Record<string, string> = {}) {
  const fake = new FakeIO();
  const shipper = new RecordingShipper();
  fake.stdin.end(input);
  const code = await main(argv, env, fake, deps(shipper));
  const last = fake.stderr.lines.at(-1) ?? "";
  const summary = (last.startsWith("{") ? JSON.parse(last) : {}) as Record<string, unknown>;
  return { code, fake, messages: shipper.messages, summary };
}

const JAVA = readFileSync(new URL("../../fixtures/multiline/java.log", import.meta.url), "utf8");

describe("--multiline", () => {
  it("ships a Java stack trace as one entry", async () => {
    const { code, messages, summary } = await run(["--multiline", "java"], JAVA);
    expect(code).toBe(0);
    expect(messages).toHaveLength(4);
    expect(messages[1]?.split("\n")).toHaveLength(16);
    expect(summary.input).toEqual({ lines: 20, cut: 0, unreadable: 0, multiline_splits: 0 });
  });

  it("takes MULTILINE from the env", async () => {
    const { messages } = await run([], JAVA, { MULTILINE: "java" });
    expect(messages).toHaveLength(4);
  });

  it("counts entries split at --multiline-max-lines in the summary", async () => {
    const { messages, summary } = await run(
      ["--multiline-start", "^S", "--multiline-max-lines", "2"],
      "S1\na\nb\nc\nS2\n",
    );
    expect(messages).toEqual(["S1\na", "b\nc", "S2"]);
    expect(summary.input).toMatchObject({ lines: 5, multiline_splits: 1 });
  });

  it("sends a pending entry once no line follows for --multiline-timeout", async () => {
    const fake = new FakeIO();
    const shipper = new RecordingShipper();
    const time = new FakeTime();
    const done = main(
      ["--multiline-start", "^S", "--multiline-timeout", "250ms"],
      {},
      fake,
      deps(shipper, { timers: time }),
    );
    fake.stdin.write("S1\ncontinued\n");
    for (let i = 0; i < 20 && time.pending === 0; i++) await settle();
    expect(shipper.messages).toEqual([]);
    await time.advance(249);
    expect(shipper.messages).toEqual([]);
    await time.advance(1);
    expect(shipper.messages).toEqual(["S1\ncontinued"]);
    fake.stdin.end("late\nS2\n");
    expect(await done).toBe(0);
    expect(shipper.messages).toEqual(["S1\ncontinued", "late", "S2"]);
  });

  it("ships the pending entry at a stop signal", async () => {
    const fake = new FakeIO();
    const shipper = new RecordingShipper();
    const done = main(["--multiline", "python"], {}, fake, deps(shipper));
    fake.stdin.write('Traceback (most recent call last):\n  File "a.py", line 1\n');
    for (let i = 0; i < 20 && fake.stdin.readableLength > 0; i++) await settle();
    await settle();
    fake.raise("SIGTERM");
    expect(await done).toBe(0);
    expect(shipper.messages).toEqual(['Traceback (most recent call last):\n  File "a.py", line 1']);
  });

  it.each([
    [["--multiline", "ruby"], "--multiline"],
    [["--multiline-start", "(unclosed"], "--multiline-start"],
    [["--multiline-timeout", "0"], "--multiline-timeout"],
    // Below the 1 ms minimum as written, though it rounds to 1 ms.
    [["--multiline-timeout", "0.5ms"], "--multiline-timeout"],
    [["--multiline-timeout", "3600.4s"], "--multiline-timeout"],
    [["--multiline-timeout", "soon"], "--multiline-timeout"],
    [["--multiline-max-lines", "0"], "--multiline-max-lines"],
    [["--multiline", "java", "--multiline-start", "^x"], "--multiline-start"],
    [["--generate", "--multiline", "java"], "--generate"],
    [["--generate", "--tee"], "--tee"],
  ])("%j exits 2 with one line naming %s", async (argv, option) => {
    const { code, fake } = await run(argv, "");
    expect(code).toBe(2);
    expect(fake.stderr.lines).toHaveLength(1);
    expect(fake.stderr.lines[0]).toContain(option);
  });

  it("names MULTILINE and the option when the env value is bad", async () => {
    const { code, fake } = await run([], "", { MULTILINE: "cobol" });
    expect(code).toBe(2);
    expect(fake.stderr.lines).toHaveLength(1);
    expect(fake.stderr.lines[0]).toContain("MULTILINE");
    expect(fake.stderr.lines[0]).toContain("--multiline");
  });
});

/** A stdout whose writes fail with EPIPE, as when its reader went away. */
class BrokenPipe extends Writable {
  override _write(_chunk: unknown, _encoding: string, done: (error?: Error) => void): void {
    done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
  }
}

describe("--tee", () => {
  it("copies the input to stdout byte for byte while shipping it", async () => {
    const input = "one\r\n\n  \ntwo\n\u00e9\nlast without newline";
    const { code, fake, messages } = await run(["--tee"], input);
    expect(code).toBe(0);
    expect(fake.stdout.text).toBe(input);
    expect(messages).toEqual(["one", "two", "\u00e9", "last without newline"]);
  });

  it("stops copying with one warning when stdout fails; shipping goes on", async () => {
    const fake = new FakeIO();
    const stdout = new BrokenPipe();
    const io = Object.assign(Object.create(fake) as FakeIO, { stdout });
    const shipper = new RecordingShipper();
    fake.stdin.end("a\nb\nc\n");
    expect(await main(["--tee"], { TEE: "1" }, io, deps(shipper))).toBe(0);
    expect(shipper.messages).toEqual(["a", "b", "c"]);
    const warnings = fake.stderr.lines.filter((line) => line.includes("--tee"));
    expect(warnings).toEqual([
      "shipper-client: --tee stopped: cannot write stdout (EPIPE); shipping goes on",
    ]);
  });
});

describe("--version", () => {
  it.each([["--version"], ["-V"]])(
    "%s prints the package version on both commands",
    async (flag) => {
      const client = new FakeIO();
      expect(await main([flag], {}, client, deps(new RecordingShipper()))).toBe(0);
      expect(client.stdout.text).toBe(`${VERSION}\n`);
      const server = new FakeIO();
      expect(await serverMain([flag], {}, server)).toBe(0);
      expect(server.stdout.text).toBe(`${VERSION}\n`);
    },
  );
});

describe("target resolution", () => {
  it("a name that does not resolve: one line naming it and the error, the summary, exit 1", async () => {
    const fake = new FakeIO();
    const shipper = new RecordingShipper();
    fake.stdin.end("never shipped\n");
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND logs.invalid"), { code: "ENOTFOUND" });
    };
    const argv = ["--target-host", "logs.invalid"];
    expect(await main(argv, {}, fake, deps(shipper, { lookup }))).toBe(1);
    expect(fake.stderr.lines).toHaveLength(2);
    expect(fake.stderr.lines[0]).toBe(
      "shipper-client: cannot resolve logs.invalid: ENOTFOUND (no such host)",
    );
    expect(JSON.parse(fake.stderr.lines[1] ?? "")).toMatchObject({
      entries: 0,
      input: { lines: 0, cut: 0, unreadable: 0 },
    });
    expect(shipper.messages).toEqual([]);
  });

  it("a name that does not resolve: the input's counters of the mode, all 0", async () => {
    const fake = new FakeIO();
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND logs.invalid"), { code: "ENOTFOUND" });
    };
    const argv = ["--target-host", "logs.invalid", "--follow", "app.log", "--multiline", "java"];
    expect(await main(argv, {}, fake, deps(new RecordingShipper(), { lookup }))).toBe(1);
    expect(JSON.parse(fake.stderr.lines.at(-1) ?? "").input).toEqual({
      lines: 0,
      cut: 0,
      unreadable: 0,
      files: 0,
      rotations: 0,
      truncations: 0,
      deleted: 0,
      state_errors: 0,
      multiline_splits: 0,
    });
    const generated = new FakeIO();
    const generate = ["--target-host", "logs.invalid", "--generate"];
    expect(await main(generate, {}, generated, deps(new RecordingShipper(), { lookup }))).toBe(1);
    expect(JSON.parse(generated.stderr.lines.at(-1) ?? "")).not.toHaveProperty("input");
  });

  it("a failed re-resolve while running: the shipper's report becomes one line", async () => {
    const fake = new FakeIO();
    let report: ((error: unknown, kept: string) => void) | undefined;
    const shipper = new RecordingShipper();
    const createShipper: ClientDeps["createShipper"] = (options) => {
      report = options.onResolveFailed;
      return shipper;
    };
    const argv = ["--target-host", "logs.invalid"];
    const done = main(argv, {}, fake, deps(shipper, { createShipper }));
    for (let i = 0; i < 50 && report === undefined; i++) await settle();
    report?.(Object.assign(new Error("try again"), { code: "EAI_AGAIN" }), "10.0.0.5");
    fake.stdin.end("x\n");
    expect(await done).toBe(0);
    expect(fake.stderr.lines[0]).toBe(
      "shipper-client: cannot resolve logs.invalid again: EAI_AGAIN (the resolver did not answer; try again later); still sending to 10.0.0.5",
    );
  });

  it("an IP address is not looked up", async () => {
    const fake = new FakeIO();
    fake.stdin.end("x\n");
    const lookup = async () => {
      throw new Error("looked up");
    };
    const argv = ["--target-host", "127.0.0.1"];
    expect(await main(argv, {}, fake, deps(new RecordingShipper(), { lookup }))).toBe(0);
  });
});
