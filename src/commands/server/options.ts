/**
 * Options of `shipper-server`, each with an env fallback, validated once
 * into a frozen config.
 */

import { Command } from "commander";
import { DEFAULT_MAX_PENDING_OUTPUT_BYTES, MAX_PORT, MIB } from "../../foundation/limits.js";
import { oneLine } from "../../foundation/one-line.js";
import { DEFAULT_HOST, DEFAULT_PORT, type OutputFormat } from "../../server/index.js";
import type { AcceptedKind, JsonLimits } from "../../wire/index.js";
import type { CliIO } from "../shared/io.js";
import {
  addMetricsOptions,
  type MetricsConfig,
  type MetricsRawOptions,
  toMetricsConfig,
} from "../shared/metrics.js";
import {
  addOption,
  byteSize,
  byteText,
  decimal,
  EXIT_USAGE,
  integer,
  nonEmpty,
  oneOf,
  parseArgs,
} from "../shared/options.js";
import { addVersionOption } from "../shared/version.js";
import {
  type AccessConfig,
  type AccessRawOptions,
  addAccessOptions,
  resolveAccess,
} from "./access.js";
import { addKindOptions, type KindRawOptions, resolveKinds } from "./kinds.js";
import { addLimitOptions, MAX_OPTION_BYTES } from "./limit-options.js";
import { addOutputsOptions, type OutputsConfig, resolveOutputs } from "./outputs-options.js";
import { addWorkersOption } from "./workers-option.js";

export type Env = Readonly<Record<string, string | undefined>>;

export const NAME = "shipper-server";
const MAX_BYTES = MAX_OPTION_BYTES;
/** Asked SO_RCVBUF when none is given: room for bursts of several thousand datagrams. */
export const DEFAULT_BUFFER_BYTES = 8 * MIB;
export const DEFAULT_STATS_INTERVAL_S = 60;

interface RawOptions extends MetricsRawOptions, AccessRawOptions, KindRawOptions {
  host: string;
  port: number;
  bufferSize: number;
  maxDecompressed: number;
  maxMessage: number;
  maxDepth: number;
  maxEntries: number;
  maxFields: number;
  format?: OutputFormat;
  statsInterval: number;
  quiet?: boolean;
  verbose?: boolean;
  maxPendingOutput: number;
  workers: number;
}

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** 0: keep the system default. */
  readonly recvBufferBytes: number;
  readonly maxDecompressedBytes: number;
  readonly maxMessageBytes: number;
  /** Bounds on the shape of JSON and syslog structured data, checked before parsing. */
  readonly limits: JsonLimits;
  /** Kinds of datagram decoded; others are `unknown-format`. */
  readonly accept: ReadonlySet<AcceptedKind>;
  readonly format: OutputFormat;
  readonly color: boolean;
  /** 0: off. */
  readonly statsIntervalMs: number;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly maxPendingOutputBytes: number;
  /** Where to serve Prometheus metrics; undefined: off. */
  readonly metrics: MetricsConfig | undefined;
  /** Keys, allow-list and rate limit: who may send. */
  readonly access: AccessConfig;
  /** Where entries go, and how. */
  readonly outputs: OutputsConfig;
  /** Decoding threads; 1: the main thread decodes. */
  readonly workers: number;
}

/** The command with every option; parsing it is parseServerArgs. */
export function serverCommand(): Command {
  const command = new Command(NAME)
    .description(
      "Receive log entries over UDP and write them to outputs: stdout (one JSON line per entry), files, HTTP, NATS JetStream.",
    )
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false);
  addSocketOptions(command);
  addLimitOptions(command);
  addOutputOptions(command);
  addKindOptions(command);
  addAccessOptions(command);
  addMetricsOptions(command);
  addVersionOption(command);
  addOutputsOptions(command);
  return command;
}

/** Where to listen, and the receive buffer. */
function addSocketOptions(command: Command): void {
  addOption(command, {
    flags: "--host <address>",
    description: "address to bind",
    env: "SERVER_HOST",
    defaultValue: DEFAULT_HOST,
    parse: nonEmpty,
  });
  addOption(command, {
    flags: "--port <port>",
    description: "UDP port to bind; 0 takes any free port",
    env: "SERVER_PORT",
    defaultValue: DEFAULT_PORT,
    parse: integer(0, MAX_PORT),
  });
  addOption(command, {
    flags: "--buffer-size <bytes>",
    description: "socket receive buffer to ask the kernel for; 0 keeps the system default",
    env: "BUFFER_SIZE",
    defaultValue: DEFAULT_BUFFER_BYTES,
    defaultDescription: byteText(DEFAULT_BUFFER_BYTES),
    parse: byteSize(0, MAX_BYTES),
  });
  addWorkersOption(command);
}

/** stdout and stderr: format, stats, verbosity, and what is held for a slow reader. */
function addOutputOptions(command: Command): void {
  addOption(command, {
    flags: "--format <format>",
    description:
      "stdout format: ndjson or pretty (default: pretty on a terminal, ndjson otherwise)",
    env: "FORMAT",
    parse: oneOf<OutputFormat>(["ndjson", "pretty"]),
  });
  addOption(command, {
    flags: "--stats-interval <seconds>",
    description: "a stats line on stderr this often; 0 turns it off",
    env: "STATS_INTERVAL",
    defaultValue: DEFAULT_STATS_INTERVAL_S,
    parse: decimal(0, 86_400),
  });
  addOption(command, {
    flags: "--quiet",
    description: "stderr gets only the listening line, errors and the summary",
    env: "QUIET",
  });
  addOption(command, {
    flags: "--verbose",
    description: "a stderr line for every datagram",
    env: "VERBOSE",
  });
  addOption(command, {
    flags: "--max-pending-output <bytes>",
    description:
      "stdout held while its reader is slow; past it entries are dropped (output_dropped)",
    env: "MAX_PENDING_OUTPUT",
    defaultValue: DEFAULT_MAX_PENDING_OUTPUT_BYTES,
    defaultDescription: byteText(DEFAULT_MAX_PENDING_OUTPUT_BYTES),
    parse: byteSize(0, MAX_BYTES),
  });
}

function useColor(env: Env, io: CliIO): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return io.stdout.isTTY === true;
}

function toConfig(
  raw: RawOptions,
  env: Env,
  io: CliIO,
  access: AccessConfig,
  outputs: OutputsConfig,
): ServerConfig {
  const format = raw.format ?? (io.stdout.isTTY === true ? "pretty" : "ndjson");
  return Object.freeze({
    host: raw.host,
    port: raw.port,
    recvBufferBytes: raw.bufferSize,
    maxDecompressedBytes: raw.maxDecompressed,
    maxMessageBytes: raw.maxMessage,
    limits: Object.freeze({
      maxDepth: raw.maxDepth,
      maxEntries: raw.maxEntries,
      maxFields: raw.maxFields,
    }),
    accept: resolveKinds(raw),
    format,
    color: format === "pretty" && useColor(env, io),
    statsIntervalMs: Math.round(raw.statsInterval * 1000),
    quiet: raw.quiet ?? false,
    verbose: raw.verbose ?? false,
    maxPendingOutputBytes: raw.maxPendingOutput,
    metrics: toMetricsConfig(raw),
    access,
    outputs,
    workers: raw.workers,
  });
}

/** Parses argv and env into a frozen config, or the exit code when parsing ends the run. */
export function parseServerArgs(
  argv: readonly string[],
  env: Env,
  io: CliIO,
): ServerConfig | number {
  const command = serverCommand();
  const code = parseArgs(command, argv, env, io);
  if (code !== undefined) return code;
  const outputs = outputsOrExit(command, env, io);
  if (typeof outputs === "number") return outputs;
  const raw = command.opts<RawOptions>();
  if (raw.quiet === true && raw.verbose === true) {
    io.stderr.write(`${NAME}: error: option '--quiet' cannot be used with option '--verbose'\n`);
    return EXIT_USAGE;
  }
  const access = resolveAccess(raw, env, io, NAME, raw.quiet === true);
  if (typeof access === "number") return access;
  return toConfig(raw, env, io, access, outputs);
}

/** The outputs (the config file applied first), or EXIT_USAGE after one line saying why not. */
function outputsOrExit(command: Command, env: Env, io: CliIO): OutputsConfig | number {
  try {
    return resolveOutputs(command, env);
  } catch (error) {
    io.stderr.write(
      `${NAME}: error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`,
    );
    return EXIT_USAGE;
  }
}
