import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerArgs, type ServerConfig } from "../../../src/commands/server/options.js";
import { outputSpec } from "../../../src/commands/server/output-spec.js";
import { FakeIO } from "../../support/fake-io.js";

const dir = mkdtempSync(join(tmpdir(), "outputs-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(argv: string[], env: Record<string, string> = {}) {
  const io = new FakeIO();
  const result = parseServerArgs(argv, env, io);
  return { result, io };
}

function config(argv: string[], env: Record<string, string> = {}): ServerConfig {
  const { result, io } = parse(argv, env);
  if (typeof result === "number") throw new Error(io.stderr.text);
  return result;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("--output specs", () => {
  it.each([
    ["stdout", { kind: "stdout" }],
    ["file:/var/log/a.ndjson", { kind: "file", path: "/var/log/a.ndjson" }],
    [
      "https://logs.example.invalid/v1/logs",
      { kind: "http", url: "https://logs.example.invalid/v1/logs" },
    ],
    [
      "nats://127.0.0.1:4222,[::1]:4223",
      { kind: "nats", servers: ["nats://127.0.0.1:4222", "nats://[::1]:4223"] },
    ],
  ])("reads %s", (spec, expected) => {
    expect(outputSpec(spec)).toMatchObject(expected);
  });

  it.each(["", "file:", "ftp://x", "nats://host", "nats://h:0", "nats://h:70000", "http://"])(
    "refuses %j naming what it accepts",
    (spec) => {
      expect(() => outputSpec(spec)).toThrow(/expects stdout, file:PATH/);
    },
  );

  it("answers any text with a spec or a message naming what is accepted, never another throw", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        try {
          expect(outputSpec(text).kind).toMatch(/^(stdout|file|http|nats)$/);
        } catch (error) {
          expect((error as Error).message).toMatch(/^expects stdout, file:PATH/);
        }
      }),
    );
  });
});

describe("outputs from flags", () => {
  it("is stdout alone by default, with its batch defaults", () => {
    const { outputs } = config([]);
    expect(outputs.outputs.map((o) => o.spec.kind)).toEqual(["stdout"]);
    expect(outputs.outputs[0]?.batch).toEqual({
      maxEntries: 10_000,
      maxBytes: 1 << 20,
      intervalMs: 0,
    });
    expect(outputs).toMatchObject({ spoolDir: undefined, drainTimeoutMs: 10_000, fields: [] });
    expect(Object.isFrozen(outputs)).toBe(true);
  });

  it("takes several outputs, each with the defaults of its kind and the flags given", () => {
    const { outputs } = config([
      "--output",
      "file:/tmp/x",
      "--output",
      "http://127.0.0.1:1/",
      "--output-flush-level",
      "warn",
      "--file-max-bytes",
      "1MiB",
      "--field",
      "env=prod",
      "--field",
      "dc=a=b",
      "--spool-dir",
      "/var/spool/s",
    ]);
    const [fileOut, http] = outputs.outputs;
    expect(fileOut).toMatchObject({
      batch: { maxEntries: 10_000, intervalMs: 0, flushRank: 2 },
      file: { maxBytes: 1 << 20, keep: 5, gzip: false, maxAgeMs: 0 },
    });
    expect(http).toMatchObject({
      batch: { maxEntries: 1000, intervalMs: 1000 },
      http: { url: "http://127.0.0.1:1/", format: "json-array", headers: [], timeoutMs: 10_000 },
    });
    expect(outputs.fields).toEqual([
      ["env", "prod"],
      ["dc", "a=b"],
    ]);
    expect(outputs.spoolDir).toBe("/var/spool/s");
  });

  it("reads an HTTP header's value from its file", () => {
    const secret = file("token", "  s3cret\n");
    const { outputs } = config([
      "--output",
      "https://h.invalid/",
      "--http-header",
      `Authorization: @${secret}`,
      "--http-header",
      "X-A: b",
    ]);
    expect(outputs.outputs[0]?.http?.headers).toEqual([
      ["Authorization", "s3cret"],
      ["X-A", "b"],
    ]);
  });

  it("builds the NATS settings, credentials from the environment", () => {
    const { outputs } = config(
      ["--output", "nats://127.0.0.1:4222", "--nats-mode", "batch", "--nats-no-create"],
      {
        NATS_TOKEN: "t0k",
      },
    );
    expect(outputs.outputs[0]?.nats).toEqual({
      servers: ["nats://127.0.0.1:4222"],
      stream: "LOGS",
      createStream: false,
      replicas: 1,
      subject: "logs.{service}",
      mode: "batch",
      timeoutMs: 10_000,
      credentials: { kind: "token", token: "t0k" },
    });
  });

  it.each([
    [["--output", "nats://h:1", "--nats-user", "u"], /--nats-user.*needs/],
    [
      ["--output", "nats://h:1", "--nats-user", "u", "--nats-token-file", "/nonexistent"],
      /--nats-token-file.*cannot read/,
    ],
    [["--output", "http://h:1/", "--http-header", "nocolon"], /--http-header.*Name: value/],
    [["--field", "novalue"], /--field.*key=value/],
    [["--output", "stdout", "--output", "stdout"], /--output.*stdout is given twice/],
    [
      ["--output", "http://127.0.0.1:9/x", "--output", "http://u:secret@127.0.0.1:9/x?key=k"],
      /^shipper-server: error: option '--output': outputs 1 and 2 are both named http:\/\/127\.0\.0\.1:9\/x \(/,
    ],
    [
      ["--output", "nats://127.0.0.1:1,127.0.0.2:1", "--output", "nats://127.0.0.1:1, 127.0.0.2:1"],
      /--output': outputs 1 and 2 are both named nats:\/\/127\.0\.0\.1:1,127\.0\.0\.2:1/,
    ],
    [["--output-flush-level", "loud"], /--output-flush-level.*DEBUG/],
  ])("exits 2 with one line for %j", (argv, line) => {
    const { result, io } = parse(argv);
    expect(result).toBe(2);
    expect(io.stderr.lines).toHaveLength(1);
    expect(io.stderr.lines[0]).toMatch(line);
  });
});

describe("--config", () => {
  it("says everything the flags say, outputs with settings of their own, flags winning", () => {
    const path = file(
      "full.yaml",
      [
        "port: 7777",
        "output-batch-size: 50",
        "field: {env: prod, team: logs}",
        "spool-dir: /var/spool/x",
        "outputs:",
        "  - stdout",
        "  - output: file:/tmp/a.ndjson",
        "    file-max-bytes: 10MiB",
        "    file-gzip: true",
        "    output-batch-size: 7",
        "  - output: nats://127.0.0.1:4222",
        "    nats-subject: app.{service}",
      ].join("\n"),
    );
    const result = config(["--config", path, "--port", "8888", "--file-keep", "2"]);
    expect(result.port).toBe(8888);
    const [stdout, fileOut, nats] = result.outputs.outputs;
    expect(stdout?.batch.maxEntries).toBe(50);
    expect(fileOut).toMatchObject({
      batch: { maxEntries: 7 },
      file: { maxBytes: 10 << 20, gzip: true, keep: 2 },
    });
    expect(nats?.nats).toMatchObject({ subject: "app.{service}", stream: "LOGS" });
    expect(result.outputs.fields).toEqual([
      ["env", "prod"],
      ["team", "logs"],
    ]);
    expect(result.outputs.spoolDir).toBe("/var/spool/x");
  });

  it("lets --output on the command line replace the file's outputs", () => {
    const path = file("outs.yaml", "outputs:\n  - file:/tmp/b\n");
    expect(
      config(["--config", path, "--output", "stdout"]).outputs.outputs.map((o) => o.spec.kind),
    ).toEqual(["stdout"]);
  });

  it.each([
    ["port: nope\n", /field port: expects an integer/],
    [
      "outputs:\n  - output: stdout\n    file-keep: [1, 2]\n",
      /field outputs\[0\]\.file-keep: expects one value/,
    ],
    ["outputs:\n  - output: stdout\n    port: 1\n", /field outputs\[0\]\.port: not a setting/],
    ["config: other.yaml\n", /field config: unknown field/],
    ["- a\n- b\n", /expects a mapping/],
  ])("exits 2 with one line naming the field for %j", (text, line) => {
    const path = file("bad.yaml", text);
    const { result, io } = parse(["--config", path]);
    expect(result).toBe(2);
    expect(io.stderr.lines).toHaveLength(1);
    expect(io.stderr.lines[0]).toMatch(line);
  });
});
