/**
 * What the workers case measures, each started fresh for a trial and
 * answering how much it took in: shipper-server with N workers (lines
 * written to a file), rsyslogd (imudp, one input thread, omfile; lines
 * written) and a bare node:dgram socket that only counts datagrams.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import dgram from "node:dgram";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerProcess } from "../../test/support/server-process.js";
import { countLines, settled } from "./output-file.js";

/** Asked for every receiver's socket, as the server asks by default. */
export const RCVBUF_BYTES = 8 * 1024 * 1024;

export interface Running {
  readonly port: number;
  /** The receiver's process, for its threads' CPU time. */
  readonly pid: number;
  /** Waits until intake settles, stops, and answers what was taken in (lines or datagrams). */
  stop(): Promise<number>;
}

export interface Receiver {
  readonly name: string;
  start(): Promise<Running>;
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "shipper-workers-"));
}

export function shipperServer(workers: number): Receiver {
  return {
    name: `shipper-server --workers ${workers}`,
    async start() {
      const dir = tempDir();
      const path = join(dir, "out.ndjson");
      const server = await ServerProcess.start({
        args: ["--format", "ndjson", "--workers", String(workers), "--stats-interval", "0"],
        stdout: { file: path },
      });
      return {
        port: server.port,
        pid: server.child.pid ?? 0,
        async stop() {
          await settled(path, 300, 30_000);
          await server.stop();
          const lines = await countLines(path);
          rmSync(dir, { recursive: true, force: true });
          return lines;
        },
      };
    },
  };
}

/** A free loopback UDP port: bound, read, released. */
async function freePort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

export function hasRsyslog(): boolean {
  try {
    execFileSync("rsyslogd", ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function rsyslogConf(dir: string, port: number): string {
  return [
    `global(workDirectory="${dir}" net.enableDNS="off" maxMessageSize="64k")`,
    'module(load="imudp" threads="1")',
    `input(type="imudp" address="127.0.0.1" port="${port}" rcvbufSize="${RCVBUF_BYTES}")`,
    'template(name="line" type="string" string="%msg%\\n")',
    `action(type="omfile" file="${dir}/out.log" template="line")`,
    "",
  ].join("\n");
}

/** rsyslogd in the foreground with its own config, pid file and work directory. */
export function rsyslog(): Receiver {
  return {
    name: "rsyslogd (imudp, 1 thread, omfile)",
    async start() {
      const dir = tempDir();
      const port = await freePort();
      const conf = join(dir, "rsyslog.conf");
      writeFileSync(conf, rsyslogConf(dir, port));
      const child = spawn("rsyslogd", ["-n", "-f", conf, "-i", join(dir, "rsyslogd.pid")], {
        stdio: "ignore",
      });
      const out = join(dir, "out.log");
      writeFileSync(out, "");
      // rsyslogd has no ready line; give it a moment to bind.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return {
        port,
        pid: child.pid ?? 0,
        async stop() {
          await settled(out, 300, 30_000);
          child.kill("SIGTERM");
          await exited(child);
          const lines = await countLines(out);
          rmSync(dir, { recursive: true, force: true });
          return lines;
        },
      };
    },
  };
}

const BARE = `
const d = require("node:dgram").createSocket("udp4");
let n = 0;
d.on("message", () => { n++; });
d.bind(0, "127.0.0.1", () => {
  try { d.setRecvBufferSize(${RCVBUF_BYTES}); } catch {}
  console.log(d.address().port);
});
process.on("SIGTERM", () => { console.log(n); process.exit(0); });
`;

/** node:dgram and a counter: the receive path's floor. */
export function bareDgram(): Receiver {
  return {
    name: "bare node:dgram (count only)",
    async start() {
      const child = spawn(process.execPath, ["-e", BARE], { stdio: ["ignore", "pipe", "inherit"] });
      const lines: string[] = [];
      let waiting: (() => void) | undefined;
      child.stdout?.on("data", (chunk: Buffer) => {
        lines.push(
          ...chunk
            .toString()
            .split("\n")
            .filter((l) => l !== ""),
        );
        waiting?.();
      });
      while (lines.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
      return {
        port: Number(lines[0]),
        pid: child.pid ?? 0,
        async stop() {
          await new Promise((resolve) => setTimeout(resolve, 300));
          const closed = new Promise((resolve) => child.once("close", resolve));
          child.kill("SIGTERM");
          await closed;
          return Number(lines[1] ?? 0);
        },
      };
    },
  };
}
