/**
 * A real `nats-server` (the Debian package) for tests and the benchmark:
 * JetStream on, loopback only, free ports, a temporary store directory;
 * started and stopped by its pid. `startCluster` runs three of them routed
 * to each other on loopback. Without `nats-server` on PATH, `natsServerPath`
 * is undefined and the callers skip with one line.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { exited, sleep } from "./process.js";

/** The path of nats-server, or undefined when it is not installed. */
export const natsServerPath: string | undefined = (() => {
  try {
    return (
      execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim() || undefined
    );
  } catch {
    return undefined;
  }
})();

export const SKIP_LINE =
  "NATS tests skipped: nats-server is not on PATH (apt-get install nats-server)";

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

/** A loopback TCP port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  await once(server, "close");
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface NatsServerOptions {
  readonly port?: number;
  /** Reused across a restart, so the stream survives. */
  readonly storeDir?: string;
  readonly serverName?: string;
  readonly cluster?: {
    readonly name: string;
    readonly port: number;
    readonly routes: readonly number[];
  };
  /** More flags, such as `--auth TOKEN` or `--user U --pass P`. */
  readonly extraArgs?: readonly string[];
}

export class NatsServer {
  readonly port: number;
  readonly storeDir: string;
  readonly #options: NatsServerOptions;
  readonly #ownsStore: boolean;
  #child: ChildProcess | undefined;
  log = "";

  private constructor(
    options: NatsServerOptions,
    port: number,
    storeDir: string,
    ownsStore: boolean,
  ) {
    this.#options = options;
    this.port = port;
    this.storeDir = storeDir;
    this.#ownsStore = ownsStore;
  }

  static async start(options: NatsServerOptions = {}): Promise<NatsServer> {
    const port = options.port ?? (await freePort());
    const ownsStore = options.storeDir === undefined;
    const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), "shipper-nats-"));
    const server = new NatsServer(options, port, storeDir, ownsStore);
    await server.restart();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the process (again, on the same port and store) and waits until it is ready. */
  async restart(): Promise<void> {
    if (this.#child !== undefined) throw new Error("nats-server is running already");
    const child = spawn(natsServerPath ?? "nats-server", this.#args(), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.#child = child;
    child.once("exit", () => {
      if (this.#child === child) this.#child = undefined;
    });
    child.stderr?.setEncoding("utf8");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`nats-server not ready:\n${this.log}`)),
        READY_TIMEOUT_MS,
      );
      child.stderr?.on("data", (text: string) => {
        this.log += text;
        if (this.log.includes("Server is ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server exited with ${code}:\n${this.log}`));
      });
    });
  }

  /** SIGTERM (or `signal`) to its pid, then waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.#child;
    if (child?.pid === undefined) return;
    const done = exited(child, STOP_TIMEOUT_MS);
    process.kill(child.pid, signal);
    await done;
    this.#child = undefined;
  }

  /** Stops it and removes the store it made. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.#ownsStore) rmSync(this.storeDir, { recursive: true, force: true });
  }

  #args(): string[] {
    const o = this.#options;
    const args = ["-js", "-a", "127.0.0.1", "-p", String(this.port), "-sd", this.storeDir];
    if (o.serverName !== undefined) args.push("--server_name", o.serverName);
    if (o.cluster !== undefined) {
      const routes = o.cluster.routes.map((port) => `nats://127.0.0.1:${port}`).join(",");
      args.push(
        "--cluster",
        `nats://127.0.0.1:${o.cluster.port}`,
        "--cluster_name",
        o.cluster.name,
      );
      if (routes !== "") args.push("--routes", routes);
    }
    args.push(...(o.extraArgs ?? []));
    return args;
  }
}

/** Three servers routed to each other, named n1..n3; resolves when JetStream answers. */
export async function startCluster(name = "shipper-test"): Promise<NatsServer[]> {
  const clusterPorts = [await freePort(), await freePort(), await freePort()];
  const servers = await Promise.all(
    clusterPorts.map((port, i) =>
      NatsServer.start({
        serverName: `n${i + 1}`,
        cluster: { name, port, routes: clusterPorts.filter((p) => p !== port) },
      }),
    ),
  );
  await waitForJetStream(servers.map((s) => s.url));
  return servers;
}

/** Polls until JetStream answers an account-info request (a cluster has elected its meta leader). */
export async function waitForJetStream(
  servers: readonly string[],
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const nc = await connect({ servers: [...servers] });
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 1_000 });
        await jsm.getAccountInfo();
        return;
      } catch (error) {
        if (performance.now() > deadline) throw error;
        await sleep(200);
      }
    }
  } finally {
    await nc.close();
  }
}

export interface StoredMessage {
  readonly subject: string;
  readonly id: string | undefined;
  readonly data: string;
}

export interface NatsAuth {
  readonly user: string;
  readonly pass: string;
}

/**
 * Every message of `stream`, in order, with its Nats-Msg-Id; tried again a
 * few times while a cluster that lost a node elects new leaders.
 */
export async function readStream(
  servers: readonly string[],
  stream: string,
  auth?: NatsAuth,
): Promise<StoredMessage[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await readStreamOnce(servers, stream, auth);
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1_000);
    }
  }
}

async function readStreamOnce(
  servers: readonly string[],
  stream: string,
  auth: NatsAuth | undefined,
): Promise<StoredMessage[]> {
  const nc = await connect({ servers: [...servers], ...auth });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    const total = (await jsm.streams.info(stream)).state.messages;
    const out: StoredMessage[] = [];
    if (total === 0) return out;
    const consumer = await jsm.jetstream().consumers.get(stream);
    const messages = await consumer.consume();
    for await (const m of messages) {
      out.push({ subject: m.subject, id: m.headers?.get("Nats-Msg-Id"), data: m.string() });
      if (out.length >= total) break;
    }
    await messages.close();
    return out;
  } finally {
    await nc.close();
  }
}
