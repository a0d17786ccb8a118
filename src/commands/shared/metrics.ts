/**
 * The metrics options both commands share (`--metrics-port`, `--metrics-host`)
 * and starting the endpoint from a command: one announcement line on stderr
 * once bound, one error line when binding fails.
 */

import type { Command } from "commander";
import type { Registry } from "prom-client";
import { MAX_PORT } from "../../foundation/limits.js";
import { oneLine } from "../../foundation/one-line.js";
import type * as MetricsLibrary from "../../metrics/index.js";
import type { MetricsServer } from "../../metrics/index.js";
import type { CliIO } from "./io.js";
import { bindFailureText } from "./messages.js";
import { addOption, integer, nonEmpty } from "./options.js";

export const DEFAULT_METRICS_HOST = "127.0.0.1";

/** Where to serve metrics; absent from a config when metrics are off. */
export interface MetricsConfig {
  readonly host: string;
  /** 0 takes any free port; the announcement says which. */
  readonly port: number;
}

/** The option values as commander holds them. */
export interface MetricsRawOptions {
  metricsPort?: number;
  metricsHost: string;
}

export function addMetricsOptions(command: Command): void {
  addOption(command, {
    flags: "--metrics-port <port>",
    description:
      "serve Prometheus metrics at http://HOST:PORT/metrics (and /healthz); 0 takes any free port (default: off)",
    env: "METRICS_PORT",
    parse: integer(0, MAX_PORT),
  });
  addOption(command, {
    flags: "--metrics-host <address>",
    description: "address the metrics endpoint binds",
    env: "METRICS_HOST",
    defaultValue: DEFAULT_METRICS_HOST,
    parse: nonEmpty,
  });
}

/** The metrics part of a command's frozen config; undefined when --metrics-port is not given. */
export function toMetricsConfig(raw: MetricsRawOptions): MetricsConfig | undefined {
  if (raw.metricsPort === undefined) return undefined;
  return Object.freeze({ host: raw.metricsHost, port: raw.metricsPort });
}

/** `cannot serve metrics on http://HOST:PORT: address already in use (EADDRINUSE)`. */
export function metricsBindErrorText(config: MetricsConfig, error: unknown): string {
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `cannot serve metrics on http://${host}:${config.port}: ${bindFailureText(error)}`;
}

/** src/metrics: loaded only when metrics are on, as loading prom-client slows every start. */
export type MetricsLib = typeof MetricsLibrary;

/** A command's metrics endpoint; with metrics off, every method does nothing. */
export interface CommandMetrics {
  /** The registry the endpoint serves and the library that fills it; undefined when metrics are off. */
  readonly on: { readonly registry: Registry; readonly lib: MetricsLib } | undefined;
  /**
   * Registers the command's own metrics, turns /healthz to 200 and prints
   * `NAME: metrics on http://HOST:PORT/metrics` on stderr.
   */
  ready(register: (registry: Registry, lib: MetricsLib) => void): void;
  /** /healthz answers 503 from now on (the command is shutting down). */
  stopping(): void;
  /** Stops the endpoint and ends its connections. Idempotent. */
  close(): Promise<void>;
}

const METRICS_OFF: CommandMetrics = {
  on: undefined,
  ready: () => undefined,
  stopping: () => undefined,
  close: () => Promise.resolve(),
};

/**
 * Binds the metrics endpoint when `config` asks for one; /healthz answers
 * 503 until ready(). Resolves with undefined after one stderr line when
 * binding fails (the command then exits 1).
 */
export async function startCommandMetrics(
  name: string,
  config: MetricsConfig | undefined,
  io: CliIO,
): Promise<CommandMetrics | undefined> {
  if (config === undefined) return METRICS_OFF;
  const lib = await import("../../metrics/index.js");
  const registry = lib.createMetricsRegistry();
  let healthy = false;
  let server: MetricsServer;
  try {
    server = await lib.startMetricsServer({
      host: config.host,
      port: config.port,
      registry,
      healthy: () => healthy,
      onError: (error) => io.stderr.write(`${name}: error: metrics: ${oneLine(error.message)}\n`),
    });
  } catch (error) {
    io.stderr.write(`${name}: ${metricsBindErrorText(config, error)}\n`);
    return undefined;
  }
  return {
    on: { registry, lib },
    ready(register) {
      register(registry, lib);
      healthy = true;
      io.stderr.write(`${name}: metrics on ${server.url}\n`);
    },
    stopping() {
      healthy = false;
    },
    close: () => server.close(),
  };
}
