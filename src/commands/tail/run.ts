/**
 * `shipper-tail` as a command: connects to NATS, reads the stream, prints
 * each entry as one NDJSON line (or, with --count, nothing but the totals),
 * and ends with the totals: on stdout with --count, else as the last stderr
 * line. With --follow it runs until SIGINT/SIGTERM; a second signal exits at
 * once.
 */

import { once } from "node:events";
import { connect, type NodeConnectionOptions } from "@nats-io/transport-node";
import { oneLine } from "../../foundation/one-line.js";
import { withCredentials } from "../../server/outputs/nats-connection.js";
import type { CliIO } from "../shared/io.js";
import { type Env, NAME, parseTailArgs, type TailConfig } from "./options.js";
import { readStream } from "./read.js";
import { StreamTally } from "./tally.js";

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Why the read ended early: a signal, or stdout's reader went away. */
interface Stop {
  readonly signal: AbortSignal;
  reason: "SIGINT" | "SIGTERM" | "stdout" | undefined;
}

export async function runTail(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  const config = parseTailArgs(argv, env, io);
  if (typeof config === "number") return config;
  const abort = new AbortController();
  const stop: Stop = { signal: abort.signal, reason: undefined };
  const unsubscribes = (["SIGINT", "SIGTERM"] as const).map((signal) =>
    io.onSignal(signal, () => {
      if (abort.signal.aborted) io.exit(SIGNAL_EXIT[signal]);
      stop.reason = signal;
      abort.abort();
    }),
  );
  // A reader that goes away (`shipper-tail | head`) ends the read quietly.
  const onStdoutError = () => {
    stop.reason ??= "stdout";
    abort.abort();
  };
  io.stdout.on("error", onStdoutError);
  try {
    return await tail(config, io, stop);
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
    io.stdout.off("error", onStdoutError);
  }
}

type NatsConnection = Awaited<ReturnType<typeof connect>>;

/**
 * connect(), given up after `timeoutMs` whatever the peer does: the NATS
 * client's own timeout does not cover a peer that takes the TCP connection
 * and never says a word. A connection made after that is closed.
 */
async function connectWithin(config: TailConfig): Promise<NatsConnection> {
  const connecting = connect(connectionOptions(config));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timeout")), config.timeoutMs);
  });
  try {
    return await Promise.race([connecting, late]);
  } catch (error) {
    connecting.then((nc) => nc.close()).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function tail(config: TailConfig, io: CliIO, stop: Stop): Promise<number> {
  let nc: NatsConnection;
  try {
    nc = await connectWithin(config);
  } catch (error) {
    io.stderr.write(
      `${NAME}: cannot connect to ${config.servers.join(",")}: ${oneLine(message(error))}\n`,
    );
    // A connect still under way would hold the process until its peer lets go.
    if (message(error) === "timeout") return io.exit(1);
    return 1;
  }
  const tally = new StreamTally(config.stream);
  try {
    const options = { ...config, signal: stop.signal };
    for await (const stored of readStream(nc, options)) {
      const lines = tally.add(stored);
      if (!config.count && lines.length > 0) await write(io.stdout, `${lines.join("\n")}\n`);
    }
  } catch (error) {
    if (stop.reason === "stdout") return 0;
    io.stderr.write(`${NAME}: reading ${config.stream}: ${oneLine(message(error))}\n`);
    return 1;
  } finally {
    await nc.close().catch(() => undefined);
  }
  if (stop.reason === "stdout") return 0;
  const totals = `${JSON.stringify(tally.totals())}\n`;
  if (config.count) await write(io.stdout, totals);
  else io.stderr.write(totals);
  // Following ends with a signal; a read stopped before the end says so in its exit code.
  return stop.reason === undefined || config.follow ? 0 : SIGNAL_EXIT[stop.reason];
}

/** Writes, waiting for the stream to drain when its buffer is full; a write error ends the wait. */
async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain").catch(() => undefined);
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
  return withCredentials(base, config.credentials);
}
