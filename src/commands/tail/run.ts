/**
 * `shipper-tail` as a command: connects to NATS, reads the stream, prints
 * each entry as one NDJSON line (or, with --count, nothing but the totals),
 * and ends with the totals: on stdout with --count, else as the last stderr
 * line. With --follow it runs until SIGINT/SIGTERM; a second signal exits at
 * once.
 */
import { once } from "node:events";
import { connect, credsAuthenticator, type NodeConnectionOptions } from "@nats-io/transport-node";
import type { CliIO } from "../shared/io.js";
import { type Env, NAME, parseTailArgs, type TailConfig } from "./options.js";
import { readStream } from "./read.js";
import { StreamTally } from "./tally.js";

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export async function runTail(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  const config = parseTailArgs(argv, env, io);
  if (typeof config === "number") return config;
  const abort = new AbortController();
  const unsubscribes = (["SIGINT", "SIGTERM"] as const).map((signal) =>
    io.onSignal(signal, () => {
      if (abort.signal.aborted) io.exit(SIGNAL_EXIT[signal]);
      abort.abort();
    }),
  );
  try {
    return await tail(config, io, abort.signal);
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
}

async function tail(config: TailConfig, io: CliIO, signal: AbortSignal): Promise<number> {
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect(connectionOptions(config));
  } catch (error) {
    io.stderr.write(`${NAME}: cannot connect to ${config.servers.join(",")}: ${message(error)}\n`);
    return 1;
  }
  const tally = new StreamTally(config.stream);
  try {
    const options = { ...config, signal };
    for await (const stored of readStream(nc, options)) {
      const lines = tally.add(stored);
      if (!config.count && lines.length > 0) await write(io.stdout, `${lines.join("\n")}\n`);
    }
  } catch (error) {
    io.stderr.write(`${NAME}: reading ${config.stream}: ${message(error)}\n`);
    return 1;
  } finally {
    await nc.close().catch(() => undefined);
  }
  const totals = `${JSON.stringify(tally.totals())}\n`;
  if (config.count) await write(io.stdout, totals);
  else io.stderr.write(totals);
  return 0;
}

/** Writes, waiting for the stream to drain when its buffer is full. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function connectionOptions(config: TailConfig): NodeConnectionOptions {
  const base: NodeConnectionOptions = {
    servers: [...config.servers],
    name: NAME,
    timeout: config.timeoutMs,
    // Following: reconnect for as long as it runs; reading once: give up as the client does.
    ...(config.follow ? { maxReconnectAttempts: -1 } : {}),
  };
  const credentials = config.credentials;
  if (credentials === undefined) return base;
  switch (credentials.kind) {
    case "creds":
      return {
        ...base,
        authenticator: credsAuthenticator(new TextEncoder().encode(credentials.text)),
      };
    case "token":
      return { ...base, token: credentials.token };
    case "user":
      return { ...base, user: credentials.user, pass: credentials.pass };
  }
}
