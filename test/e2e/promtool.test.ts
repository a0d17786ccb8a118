/**
 * Both commands' /metrics pass `promtool check metrics` (Prometheus's own
 * linter), process and Node.js metrics included. Runs where promtool is on
 * PATH (Debian: `apt-get install prometheus`); .ci/run installs it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import dgram from "node:dgram";
import { describe, expect, it } from "vitest";
import { get } from "../metrics/scrape.js";
import { type Run, runCommand } from "../support/process.js";

const METRICS_LINE = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/;
const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
if (!hasPromtool) {
  console.log("skipping the promtool checks: promtool is not on PATH (apt-get install prometheus)");
}

/** promtool's verdict on one scrape: its exit code and what it printed. */
async function lint(run: Run): Promise<{ status: number | null; output: string; body: string }> {
  await run.until("stderr", (lines) => lines.some((line) => METRICS_LINE.test(line)));
  const url = METRICS_LINE.exec(run.stderr.find((l) => METRICS_LINE.test(l)) ?? "")?.[1] ?? "";
  const { body } = await get(url);
  const result = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, body };
}

describe.skipIf(!hasPromtool)("promtool check metrics", () => {
  it("passes the server's metrics, process metrics included", async () => {
    const server = runCommand("shipper-server", ["--port", "0", "--metrics-port", "0"], {
      readStdout: false,
    });
    try {
      const { status, output, body } = await lint(server);
      expect(output).toBe("");
      expect(status).toBe(0);
      expect(body).toContain("process_resident_memory_bytes");
      expect(body).toContain("nodejs_active_handles{");
      expect(body).toContain("shipper_server_datagrams_total");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited();
    }
  });

  it("passes the client's metrics", async () => {
    const sink = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => sink.bind(0, "127.0.0.1", resolve));
    const args = ["--generate", "--target-host", "127.0.0.1", "--metrics-port", "0"];
    const client = runCommand("shipper-client", [
      ...args,
      "--target-port",
      String(sink.address().port),
    ]);
    try {
      const { status, output, body } = await lint(client);
      expect(output).toBe("");
      expect(status).toBe(0);
      expect(body).toContain("shipper_client_datagrams_total");
    } finally {
      client.child.kill("SIGTERM");
      await client.exited();
      sink.close();
    }
  });

  it("is a linter that fails a gauge named _total (the check can fail)", () => {
    const bad = "# HELP x_total a gauge\n# TYPE x_total gauge\nx_total 1\n";
    const result = spawnSync("promtool", ["check", "metrics"], { input: bad, encoding: "utf8" });
    expect(result.status).not.toBe(0);
    expect(execFileSync("promtool", ["--version"], { encoding: "utf8" })).toMatch(/promtool/);
  });
});
