/** The built server receiving syslog (from util-linux `logger`), GELF and plain text, per `--accept`. */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { utf8 } from "../server/helpers.js";
import { type Run, runCommand, startServer, stop } from "../support/process.js";
import { sendAll } from "../support/udp.js";

function hasLogger(): boolean {
  try {
    execFileSync("logger", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const startQuiet = (args: string[] = []) => startServer(["--quiet", ...args]);

/** Stops the server, which exits 0; resolves with its summary. */
async function stopped(server: Run) {
  const { code, summary } = await stop(server);
  expect(code).toBe(0);
  return summary as { kinds: Record<string, number>; rejected: Record<string, number> };
}

describe.runIf(hasLogger())("syslog from util-linux logger", () => {
  it("prints RFC 5424 and RFC 3164 messages as entries with level, service and host", async () => {
    const { server, port } = await startQuiet();
    const send = (...args: string[]) =>
      execFileSync("logger", ["-n", "127.0.0.1", "-P", String(port), "-d", ...args]);
    send(
      "--rfc5424",
      "-t",
      "billing",
      "-p",
      "local0.err",
      "--sd-id",
      "req@32473",
      "--sd-param",
      'id="42"',
      "charge failed",
    );
    send("--rfc3164", "-t", "cron", "-p", "user.warning", "disk almost full");
    await server.until("stdout", (lines) => lines.length >= 2);
    const entries = server.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
    const billing = entries.find((e) => e.service === "billing");
    expect(billing).toMatchObject({ level: "ERROR", message: "charge failed" });
    expect(billing?.metadata).toMatchObject({
      facility: "local0",
      structured_data: { "req@32473": { id: "42" } },
    });
    expect(entries.find((e) => e.service === "cron")).toMatchObject({
      level: "WARNING",
      message: "disk almost full",
    });
    const summary = await stopped(server);
    expect(summary.kinds.syslog).toBe(2);
  });
});

describe("--accept", () => {
  it("turns kinds off: syslog is unknown-format with --accept framed,json", async () => {
    const { server, port } = await startQuiet(["--accept", "framed,json"]);
    await sendAll([utf8("<14>Nov 24 10:00:00 host app: hi"), utf8('{"message":"kept"}')], port);
    await server.until("stdout", (lines) => lines.length >= 1);
    const summary = await stopped(server);
    expect(server.stdout).toEqual(['{"message":"kept"}']);
    expect(summary.rejected["unknown-format"]).toBe(1);
  });

  it("takes plain text lines with --accept-text", async () => {
    const { server, port } = await startQuiet(["--accept-text"]);
    await sendAll([utf8("first line\nsecond line\n")], port);
    await server.until("stdout", (lines) => lines.length >= 2);
    const summary = await stopped(server);
    expect(server.stdout.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual([
      "first line",
      "second line",
    ]);
    expect(summary.kinds.text).toBe(1);
  });

  it("exits 2 naming --accept for an unknown kind", async () => {
    const server = runCommand("shipper-server", ["--accept", "framed,xml"]);
    expect(await server.exited()).toBe(2);
    expect(server.stderr).toHaveLength(1);
    expect(server.stderr[0]).toMatch(/--accept.*unknown kind "xml"/);
  });
});
