/**
 * The built `shipper-client` with the input options: stack traces piped in
 * with --multiline arrive at a real `shipper-server` as one entry each;
 * --tee copies stdin to stdout; --version on both commands; a target name
 * that does not resolve.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  HOST,
  type Run,
  runCommand,
  spawnCommand,
  startServer,
  stop,
  TextSink,
} from "../support/process.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/multiline/${name}`, import.meta.url), "utf8");
const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  }
).version;

describe("shipper-client --multiline into shipper-server", () => {
  let server: Run;
  let port: number;
  let seen = 0;

  beforeAll(async () => {
    ({ server, port } = await startServer(["--quiet", "--format", "ndjson"]));
  });
  afterAll(async () => {
    await stop(server);
  });

  /** Pipes `input` into a client, waits for `count` more entries at the server, returns their messages. */
  async function ship(args: string[], input: string, count: number): Promise<string[]> {
    const client = runCommand(
      "shipper-client",
      ["--target-host", HOST, "--target-port", String(port), ...args],
      {
        input,
      },
    );
    expect(await client.exited()).toBe(0);
    const from = seen;
    seen += count;
    await server.until("stdout", (lines) => lines.length >= seen);
    return server.stdout
      .slice(from, seen)
      .map((line) => (JSON.parse(line) as { message: string }).message);
  }

  it("a Java stack trace arrives as one entry", async () => {
    const messages = await ship(["--multiline", "java"], fixture("java.log"), 4);
    const trace = messages.find((message) => message.includes("Caused by:")) ?? "";
    expect(trace.split("\n")).toHaveLength(16);
    expect(trace).toMatch(/^2026-11-24 10:30:01\.456 ERROR .*\norg\.springframework\.dao\./);
    expect(trace).toMatch(/\n\t\.\.\. 58 more$/);
    expect(messages.filter((message) => message.includes("\tat "))).toHaveLength(2);
  });

  it("a Node stack trace arrives as one entry", async () => {
    const lines = fixture("node.log")
      .split("\n")
      .filter((line) => line.trim() !== "");
    const messages = await ship(["--multiline", "node"], fixture("node.log"), 5);
    expect(messages).toEqual([
      lines[0],
      lines.slice(1, 9).join("\n"),
      lines[9],
      lines.slice(10, 18).join("\n"),
      lines.slice(18).join("\n"),
    ]);
    expect(messages[4]).toMatch(
      /^\/app\/src\/index\.js:7\n.*\nError: boot failed\n.*\nNode\.js v20\.20\.0$/s,
    );
  });
});

describe("shipper-client small things", () => {
  it("--tee copies stdin to stdout unchanged", async () => {
    const input = "first\r\n\nsecond\t with tab\n\u00e9t\u00e9\nno newline at the end";
    const child = spawnCommand("shipper-client", [
      "--tee",
      "--target-host",
      HOST,
      "--target-port",
      "9",
    ]);
    const stdout = new TextSink(child.stdout);
    const stderr = new TextSink(child.stderr);
    child.stdin?.end(input);
    await new Promise((resolve) => child.once("close", resolve));
    expect(stdout.text).toBe(input);
    expect(stderr.lastJson()).toMatchObject({ entries: 4 });
  });

  it("--tee into a closed stdout warns once and still ships every line", async () => {
    const child = spawnCommand("shipper-client", [
      "--tee",
      "--target-host",
      HOST,
      "--target-port",
      "9",
    ]);
    child.stdout?.destroy();
    const stderr = new TextSink(child.stderr);
    child.stdin?.end("a\nb\nc\n");
    const code = await new Promise((resolve) => child.once("close", resolve));
    const lines = stderr.text.trimEnd().split("\n");
    expect(lines.filter((line) => line.includes("--tee stopped"))).toEqual([
      "shipper-client: --tee stopped: cannot write stdout (EPIPE); shipping goes on",
    ]);
    expect(stderr.lastJson()).toMatchObject({ entries: 3 });
    expect(code).not.toBeNull();
  });

  it.each([["shipper-client"], ["shipper-server"]] as const)(
    "%s --version prints the version",
    async (command) => {
      const run = runCommand(command, ["--version"]);
      expect(await run.exited()).toBe(0);
      expect(run.stdout).toEqual([VERSION]);
      expect(run.stderr).toEqual([]);
    },
  );

  it("a target name that does not resolve: one line naming it, the summary, exit 1", async () => {
    const client = runCommand("shipper-client", ["--target-host", "logs.invalid"], {
      input: "x\n",
    });
    expect(await client.exited()).toBe(1);
    expect(client.stderr).toHaveLength(2);
    expect(client.stderr[0]).toMatch(/^shipper-client: cannot resolve logs\.invalid: E[A-Z_]+/);
    expect(JSON.parse(client.stderr[1] ?? "")).toMatchObject({ entries: 0, sent: 0 });
  });
});
