/**
 * Local demo: a server on a free loopback port and a client generating
 * sample logs into it for a few seconds. The server's entries are shown as
 * they arrive; both summaries are printed at the end. Exits 0 when every
 * entry the client sent was printed by the server.
 *
 *   npm run demo            (after npm install)
 *   DEMO_SECONDS=10 npm run demo
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const seconds = Number(process.env.DEMO_SECONDS ?? 4);
const rate = Number(process.env.DEMO_RATE ?? 25);

function start(command: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [`bin/${command}.js`, ...args], {
    cwd: root,
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: process.stdout.isTTY ? "1" : "0" },
  });
}

function lastJsonLine(lines: string[]): Record<string, unknown> | undefined {
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function collect(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  createInterface({ input: stream }).on("line", onLine);
}

async function main(): Promise<number> {
  const server = start("shipper-server", [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--format",
    "pretty",
  ]);
  const serverErr: string[] = [];
  let printed = 0;
  collect(server.stdout as NodeJS.ReadableStream, (line) => {
    printed += 1;
    process.stdout.write(`  ${line}\n`);
  });
  const port = await new Promise<number>((resolve, reject) => {
    collect(server.stderr as NodeJS.ReadableStream, (line) => {
      serverErr.push(line);
      const match = /listening on udp:\/\/.*:(\d+)/.exec(line);
      if (match) {
        process.stdout.write(`${line}\n`);
        resolve(Number(match[1]));
      }
    });
    server.once("exit", (code) => reject(new Error(`shipper-server exited early (${code})`)));
  });

  process.stdout.write(
    `shipper-client: generating ${rate} logs/s for ${seconds} s into 127.0.0.1:${port}\n`,
  );
  const client = start("shipper-client", [
    "--generate",
    "--target-host",
    "127.0.0.1",
    "--target-port",
    String(port),
    "--logs-per-second",
    String(rate),
    "--run-time",
    String(seconds),
    "--batch-size",
    "10",
    "--batch-interval",
    "0.5",
  ]);
  const clientErr: string[] = [];
  collect(client.stderr as NodeJS.ReadableStream, (line) => clientErr.push(line));
  const [clientCode] = (await once(client, "exit")) as [number | null];

  await new Promise((resolve) => setTimeout(resolve, 300));
  server.kill("SIGTERM");
  const [serverCode] = (await once(server, "exit")) as [number | null];

  const clientSummary = lastJsonLine(clientErr);
  const serverSummary = lastJsonLine(serverErr);
  process.stdout.write(
    `\nclient summary (exit ${clientCode}):\n${JSON.stringify(clientSummary, null, 2)}\n`,
  );
  process.stdout.write(
    `\nserver summary (exit ${serverCode}):\n${JSON.stringify(serverSummary, null, 2)}\n`,
  );

  const sent = Number(clientSummary?.sent ?? -1);
  const ok = clientCode === 0 && serverCode === 0 && sent > 0 && printed === sent;
  process.stdout.write(
    ok
      ? `\ndemo ok: ${sent} entries sent, ${printed} printed by the server\n`
      : `\ndemo FAILED: client exit ${clientCode}, server exit ${serverCode}, sent ${sent}, printed ${printed}\n`,
  );
  return ok ? 0 : 1;
}

process.exitCode = await main();
