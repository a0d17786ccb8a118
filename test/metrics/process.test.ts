/** The built commands with --metrics-port 0: the announced endpoint answers, and it never keeps the process alive. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { sendAll, utf8 } from "../server/helpers.js";
import { get, scrape } from "./scrape.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

beforeAll(() => {
  try {
    execFileSync(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"],
      {
        cwd: root,
        stdio: "ignore",
      },
    );
  } catch {
    // tsc emits even when some file has type errors; the spawned command is what is tested.
  }
});

/** A spawned command whose stderr lines are watched. */
function run(command: "shipper-server" | "shipper-client", args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [`bin/${command}.js`, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "ignore", "pipe"],
  });
  const stderr: string[] = [];
  const reader = createInterface({ input: child.stderr as NodeJS.ReadableStream });
  const read = once(reader, "close");
  reader.on("line", (text) => stderr.push(text));
  /** The exit code, once the process has exited and all of stderr is read. */
  const exit = Promise.all([once(child, "exit"), read]).then(([[code]]) => code as number | null);
  /** The first stderr line matching `pattern`. */
  const line = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        for (const text of stderr) {
          const match = pattern.exec(text);
          if (match) {
            reader.off("line", check);
            resolve(match);
            return;
          }
        }
      };
      reader.on("line", check);
      check();
      void exit.then((code) => reject(new Error(`exited (${code}): ${stderr.join("\n")}`)));
    });
  return { child, stderr, exit, line };
}

const METRICS_LINE = /^shipper-(?:server|client): metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/;

describe("shipper-server --metrics-port 0", () => {
  it("announces the real port, serves metrics and healthz, and exits 0 on SIGTERM", async () => {
    const server = run("shipper-server", [
      "--host",
      "127.0.0.1",
      "--port",
      "0",
      "--metrics-port",
      "0",
    ]);
    const url = (await server.line(METRICS_LINE))[1] ?? "";
    const udpPort = Number((await server.line(/listening on udp:\/\/127\.0\.0\.1:(\d+)$/))[1]);
    expect(await get(url.replace(/metrics$/, "healthz"))).toMatchObject({
      status: 200,
      body: "ok\n",
    });
    expect((await get(url.replace(/metrics$/, "other"))).status).toBe(404);

    await sendAll([utf8('[{"message":"a"},{"message":"b"}]')], udpPort);
    let metrics = await scrape(url);
    while (metrics.get("shipper_server_entries_total") !== 2) metrics = await scrape(url);
    expect(metrics.get('shipper_server_datagrams_total{kind="json"}')).toBe(1);
    expect(metrics.get("process_resident_memory_bytes")).toBeGreaterThan(0);

    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    expect(JSON.parse(server.stderr.at(-1) ?? "")).toMatchObject({ entries: 2 });
  });

  it("exits 1 with one line when the metrics port is taken", async () => {
    const first = run("shipper-server", ["--port", "0", "--metrics-port", "0"]);
    const port = Number(/:(\d+)\/metrics$/.exec((await first.line(METRICS_LINE))[1] ?? "")?.[1]);
    try {
      const second = run("shipper-server", ["--port", "0", "--metrics-port", String(port)]);
      expect(await second.exit).toBe(1);
      expect(second.stderr).toEqual([
        `shipper-server: cannot serve metrics on http://127.0.0.1:${port}: address already in use (EADDRINUSE)`,
      ]);
    } finally {
      first.child.kill("SIGTERM");
      await first.exit;
    }
  });
});

describe("shipper-client --metrics-port 0", () => {
  it("serves metrics while reading stdin and exits 0 at its end", async () => {
    const sink = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => sink.bind(0, "127.0.0.1", resolve));
    try {
      const client = run("shipper-client", [
        "--target-host",
        "127.0.0.1",
        "--target-port",
        String(sink.address().port),
        "--batch-size",
        "3",
        "--metrics-port",
        "0",
      ]);
      const url = (await client.line(METRICS_LINE))[1] ?? "";
      client.child.stdin?.write("a\nb\nc\n");
      let metrics = await scrape(url);
      while (metrics.get("shipper_client_sent_entries_total") !== 3) metrics = await scrape(url);
      expect(metrics.get("shipper_client_datagrams_total")).toBe(1);
      expect(metrics.get("shipper_client_batch_entries_count")).toBe(1);
      client.child.stdin?.end();
      expect(await client.exit).toBe(0);
      expect(JSON.parse(client.stderr.at(-1) ?? "")).toMatchObject({ entries: 3, sent: 3 });
    } finally {
      sink.close();
    }
  });
});
