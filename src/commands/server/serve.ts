/**
 * `shipper-server` as a command: parses its options, binds, writes what it
 * receives to stdout until SIGINT/SIGTERM, then drains and writes its summary
 * as the last stderr line. SIGHUP re-reads the key file.
 */
import { oneLine } from "../../foundation/one-line.js";
import {
  createServer,
  type DatagramEvent,
  formatEndpoint,
  formatStatsLine,
  type LogServer,
  OutputWriter,
  openFdOutput,
  toSummary,
} from "../../server/index.js";
import { reloadKeys } from "../shared/auth-key.js";
import type { CliIO, Signal } from "../shared/io.js";
import { bindErrorText } from "../shared/messages.js";
import { startCommandMetrics } from "../shared/metrics.js";
import { bufferWarningText, datagramText, errorText } from "./messages.js";
import { type Env, NAME, parseServerArgs, type ServerConfig } from "./options.js";
import {
  outputEventText,
  outputFailureLines,
  outputsReload,
  watchOutputReload,
  writeLines,
} from "./output-run.js";
import { outputDefinitions } from "./outputs-build.js";

/** How long shutdown waits for stdout to drain. */
export const SHUTDOWN_FLUSH_MS = 5000;
/** stderr lines (verbose, stats) held while stderr is slow; past it they are dropped. */
const MAX_PENDING_DIAGNOSTIC_BYTES = 4 * 1024 * 1024;
const SIGNAL_EXIT: Record<Signal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Resolves `first` with the first SIGINT/SIGTERM; any later one calls
 * `onSecond` (which exits at once) until `dispose()`.
 */
function watchSignals(io: CliIO, onSecond: (signal: Signal) => void) {
  let seen = false;
  const unsubscribes: (() => void)[] = [];
  const first = new Promise<Signal>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      unsubscribes.push(
        io.onSignal(signal, () => {
          if (seen) onSecond(signal);
          seen = true;
          resolve(signal);
        }),
      );
    }
  });
  const dispose = () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
  return { first, dispose };
}

interface KeyReloader {
  /** The server that takes reloaded keys, and any reloaded while it was binding. */
  attach(server: LogServer): void;
  /** Shutdown has begun: SIGHUP is ignored from now on. */
  stopping(): void;
  /** Stops handling SIGHUP. */
  dispose(): void;
}

/**
 * Handles SIGHUP from now on, so it never ends the process: the key files
 * are read again and, when every one of them holds keys, the server takes
 * them before its next datagram; otherwise the keys in use stay. One stderr
 * line says which. Keys read before the server is bound are handed to it by
 * `attach`; after `stopping`, SIGHUP is ignored.
 */
function watchKeyReload(io: CliIO, config: ServerConfig): KeyReloader {
  let server: LogServer | undefined;
  let reloaded: readonly Uint8Array[] | undefined;
  let stopping = false;
  const dispose = io.onSignal("SIGHUP", () => {
    if (stopping) return;
    const reload = reloadKeys(config.access.keyFiles, config.access.envKey);
    if (!config.quiet) {
      for (const warning of reload.warnings) io.stderr.write(`${NAME}: ${oneLine(warning)}\n`);
    }
    if (reload.keys !== undefined) {
      reloaded = reload.keys;
      server?.setKeys(reload.keys);
    }
    // Without key files, the outputs' own line says what SIGHUP did, when it did something.
    if (config.access.keyFiles.length > 0 || !outputsReload(config.outputs)) {
      io.stderr.write(`${NAME}: ${oneLine(reload.note)}\n`);
    }
  });
  return {
    attach(live: LogServer) {
      server = live;
      if (reloaded !== undefined) live.setKeys(reloaded);
    },
    stopping() {
      stopping = true;
    },
    dispose,
  };
}

/** Writes `text`; resolves true once written, false if that takes longer than `timeoutMs`. */
function writeBounded(stream: CliIO["stderr"], text: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    stream.write(text, (error) => {
      clearTimeout(timer);
      resolve(error == null);
    });
  });
}

function startServer(
  config: ServerConfig,
  io: CliIO,
  diagnostics: OutputWriter,
  observe: (output: string, seconds: number) => void,
): Promise<LogServer> {
  const line = (text: string) => diagnostics.writeLines([`${NAME}: ${text}`]);
  return createServer({
    host: config.host,
    port: config.port,
    recvBufferBytes: config.recvBufferBytes,
    maxDecompressedBytes: config.maxDecompressedBytes,
    maxMessageBytes: config.maxMessageBytes,
    limits: config.limits,
    accept: config.accept,
    ...(config.access.keys.length > 0 ? { keys: config.access.keys } : {}),
    allow: config.access.allow,
    rateLimitPerSecond: config.access.rateLimitPerSecond,
    workers: config.workers,
    output: (io.stdoutFd === undefined ? undefined : openFdOutput(io.stdoutFd)) ?? io.stdout,
    format: config.format,
    color: config.color,
    maxPendingOutputBytes: config.maxPendingOutputBytes,
    flushTimeoutMs: SHUTDOWN_FLUSH_MS,
    outputs: outputDefinitions(config.outputs),
    fields: config.outputs.fields,
    outputDrainTimeoutMs: config.outputs.drainTimeoutMs,
    onDeliveryAttempt: (output, seconds) => observe(output, seconds),
    onOutputEvent: (event) => line(outputEventText(event, config.outputs.spoolDir !== undefined)),
    statsIntervalMs: config.quiet ? 0 : config.statsIntervalMs,
    onStats: (current, previous, elapsedMs) => line(formatStatsLine(current, previous, elapsedMs)),
    ...(config.verbose ? { onDatagram: (event: DatagramEvent) => line(datagramText(event)) } : {}),
    onError: (error, source) => io.stderr.write(`${NAME}: ${oneLine(errorText(error, source))}\n`),
  });
}

/** Why the server did not start: a bound port, a spool it cannot open, an output it cannot make. */
function startErrorText(config: ServerConfig, error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && code.startsWith("E")) {
    return bindErrorText({ address: config.host, port: config.port }, error);
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

export async function runServer(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  const config = parseServerArgs(argv, env, io);
  if (typeof config === "number") return config;
  const keys = watchKeyReload(io, config);
  const reload = watchOutputReload(io, NAME, config.outputs, argv, env);
  try {
    return await serve(config, io, keys, reload.attach);
  } finally {
    keys.dispose();
    reload.dispose();
  }
}

async function serve(
  config: ServerConfig,
  io: CliIO,
  keys: KeyReloader,
  attachOutputs: (server: LogServer | undefined) => void,
): Promise<number> {
  // Metrics bind first: a taken metrics port fails the start before any datagram is received.
  const metrics = await startCommandMetrics(NAME, config.metrics, io);
  if (metrics === undefined) return 1;
  const diagnostics = new OutputWriter(io.stderr, {
    maxPendingBytes: MAX_PENDING_DIAGNOSTIC_BYTES,
  });
  // Signals are watched before the listening line, which tells callers the server is ready.
  let live: LogServer | undefined;
  const signals = watchSignals(io, (signal) => {
    if (live !== undefined) io.stderr.write(`${JSON.stringify(toSummary(live.stats()))}\n`);
    io.exit(SIGNAL_EXIT[signal]);
  });
  let server: LogServer;
  let observe: ((output: string, seconds: number) => void) | undefined;
  try {
    server = await startServer(config, io, diagnostics, (o, s) => observe?.(o, s));
  } catch (error) {
    signals.dispose();
    await metrics.close();
    io.stderr.write(`${NAME}: ${oneLine(startErrorText(config, error))}\n`);
    return 1;
  }
  live = server;
  keys.attach(server);
  attachOutputs(server);
  const warning = bufferWarningText(server.recvBuffer);
  if (warning !== undefined && !config.quiet) io.stderr.write(`${NAME}: ${warning}\n`);
  metrics.ready((registry, lib) => {
    observe = lib.registerServerMetrics(registry, () => server.stats());
  });
  io.stderr.write(`${NAME}: listening on udp://${formatEndpoint(server.address())}\n`);

  const signal = await signals.first;
  keys.stopping();
  attachOutputs(undefined);
  metrics.stopping();
  if (!config.quiet) {
    diagnostics.writeLines([`${NAME}: ${signal}: stopping; a second signal exits at once`]);
  }
  const summary = await server.close();
  await metrics.close();
  await diagnostics.end(SHUTDOWN_FLUSH_MS);
  signals.dispose();
  const failures = outputFailureLines(summary.outputs);
  writeLines(io, NAME, failures);
  const written = await writeBounded(io.stderr, `${JSON.stringify(summary)}\n`, SHUTDOWN_FLUSH_MS);
  if (failures.length > 0) return written ? 1 : io.exit(1);
  if (server.outputFlushed && written) return 0;
  // A stream that never drained would keep the process alive with its pending write.
  return io.exit(0);
}
