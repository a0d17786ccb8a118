/**
 * The command line of `shipper-client`: its options, their env fallbacks
 * (a flag overrides its env var), defaults and value parsers.
 */
import { Command } from "commander";
import type { Level } from "../../client/levels.js";
import {
  DEFAULT_BATCH_BYTES,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CLIENT_COMPRESSION_LEVEL,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_MAX_DATAGRAM_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_SERVICE,
  DEFAULT_TARGET_PORT,
  KIB,
  MAX_DATAGRAM_BYTES,
  MAX_PORT,
  MAX_RETRIES,
  MIB,
  SAFE_DATAGRAM_BYTES,
} from "../../foundation/limits.js";
import { AUTH_KEY_ENV, AUTH_KEY_FILE_OPTION } from "../shared/auth-key.js";
import { addMetricsOptions, type MetricsRawOptions } from "../shared/metrics.js";
import { addOption, byteSize, byteText, decimal, integer, nonEmpty } from "../shared/options.js";
import { addVersionOption } from "../shared/version.js";
import { BATCH_LIMITS } from "./config-file.js";
import { type FollowRawOptions, followSpecs } from "./follow-options.js";
import { DEFAULT_MAX_LINE_BYTES } from "./input/lines.js";
import { addInputOptions, type InputRawOptions } from "./input-options.js";
import { flushLevel, LEVEL_NAMES, level } from "./level-parsers.js";
import { type ParseRawOptions, parseSpecs } from "./parse-options.js";
import { type ReliableRawOptions, reliableSpecs } from "./reliable-options.js";
import { type TargetRawOptions, targetSpecs } from "./target-options.js";

export { DEFAULT_SERVICE };
/** Seconds between two stats lines when stderr is not a terminal. */
export const DEFAULT_STATS_INTERVAL_S = 60;

export function clientCommand(): Command {
  const command = new Command("shipper-client")
    .description("Batch log lines (files, stdin or generated samples) and ship them over UDP.")
    .argument("[FILE...]", "files to read in order; - is stdin; with --follow, paths and patterns")
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false);
  const specs = [
    ...targetAndBatchSpecs(),
    ...targetSpecs(),
    ...sendingSpecs(),
    ...reliableSpecs(),
    ...inputSpecs(),
    ...followSpecs(),
    ...parseSpecs(),
  ];
  for (const spec of specs) {
    addOption<unknown>(command, spec);
  }
  addInputOptions(command);
  addMetricsOptions(command);
  addVersionOption(command);
  return command;
}

/** Where to send, and when a batch is done. */
function targetAndBatchSpecs() {
  const { batchSize, batchIntervalSeconds, batchBytes } = BATCH_LIMITS;
  return [
    {
      flags: "--target-host <host>",
      description: "server host name or address",
      env: "TARGET_HOST",
      defaultValue: "localhost",
      parse: nonEmpty,
    },
    {
      flags: "--target-port <port>",
      description: "server UDP port",
      env: "TARGET_PORT",
      defaultValue: DEFAULT_TARGET_PORT,
      parse: integer(1, MAX_PORT),
    },
    {
      flags: "--batch-size <count>",
      description: "entries per batch",
      env: "BATCH_SIZE",
      defaultValue: DEFAULT_BATCH_SIZE,
      parse: integer(batchSize.min, batchSize.max),
    },
    {
      flags: "--batch-interval <seconds>",
      description: "seconds before a partial batch is sent",
      env: "FLUSH_INTERVAL",
      defaultValue: DEFAULT_FLUSH_INTERVAL_MS / 1000,
      parse: decimal(batchIntervalSeconds.min, batchIntervalSeconds.max),
    },
    {
      flags: "--batch-bytes <bytes>",
      description: "send a batch once its JSON reaches this size; 0 = off",
      env: "BATCH_BYTES",
      defaultValue: DEFAULT_BATCH_BYTES,
      parse: byteSize(batchBytes.min, batchBytes.max),
    },
    {
      flags: "--flush-level <level>",
      description: `an entry at or above this level (${LEVEL_NAMES}) sends its batch at once; off = never`,
      env: "FLUSH_LEVEL",
      parse: flushLevel,
    },
    { flags: "--no-compress", description: "send datagrams uncompressed", env: "COMPRESS" },
  ] as const;
}

/** How batches go on the wire. */
function sendingSpecs() {
  return [
    {
      flags: "--no-compress-thread",
      description: "compress on the main thread, not a worker thread: less memory, slower",
      env: "COMPRESS_THREAD",
    },
    {
      flags: "--compression-level <level>",
      description: "zlib level of compressed datagrams: 0 (none) to 9 (smallest, slowest)",
      env: "COMPRESSION_LEVEL",
      defaultValue: DEFAULT_CLIENT_COMPRESSION_LEVEL,
      parse: integer(0, 9),
    },
    {
      flags: "--no-sequence",
      description: "the original shipper's framing: no sequence header, no fragments",
      env: "SEQUENCE",
    },
    {
      flags: AUTH_KEY_FILE_OPTION,
      description: `sign every datagram with the first key of this file (${AUTH_KEY_ENV} may hold the key itself)`,
      env: "SHIPPER_AUTH_KEY_FILE",
      parse: nonEmpty,
    },
    {
      flags: "--max-retries <count>",
      description: "retries of a retryable send error; 0 = none",
      env: "MAX_RETRIES",
      defaultValue: DEFAULT_MAX_RETRIES,
      parse: integer(0, MAX_RETRIES),
    },
    {
      flags: "--max-datagram <bytes>",
      description: `largest datagram (${SAFE_DATAGRAM_BYTES} to ${MAX_DATAGRAM_BYTES})`,
      env: "MAX_DATAGRAM",
      defaultValue: DEFAULT_MAX_DATAGRAM_BYTES,
      parse: byteSize(SAFE_DATAGRAM_BYTES, MAX_DATAGRAM_BYTES),
    },
  ] as const;
}

/** Where entries come from, and how lines are read. */
function inputSpecs() {
  return [
    {
      flags: "--generate",
      description: "generate sample logs instead of reading input",
      env: "GENERATE",
      defaultValue: false,
    },
    {
      flags: "--logs-per-second <rate>",
      description: "generated entries per second",
      env: "LOGS_PER_SECOND",
      defaultValue: 5,
      parse: decimal(0.001, 1_000_000),
    },
    {
      flags: "--run-time <seconds>",
      description: "seconds to generate; 0 = until interrupted",
      env: "RUN_TIME",
      defaultValue: 30,
      parse: decimal(0, 31_536_000),
    },
    {
      flags: "--level <level>",
      description: "level of entries made from plain lines",
      env: "LOG_LEVEL",
      defaultValue: "INFO",
      parse: level,
    },
    {
      flags: "--service <name>",
      description: "service of entries made from plain lines",
      env: "SERVICE_NAME",
      defaultValue: DEFAULT_SERVICE,
      parse: nonEmpty,
    },
    {
      flags: "--config <file>",
      description: "JSON file of batch settings, re-read on SIGHUP",
      env: "CONFIG_FILE",
      parse: nonEmpty,
    },
    {
      flags: "--max-line-bytes <bytes>",
      description: "longer input lines are cut to this size",
      env: "MAX_LINE_BYTES",
      defaultValue: DEFAULT_MAX_LINE_BYTES,
      defaultDescription: byteText(DEFAULT_MAX_LINE_BYTES),
      parse: byteSize(KIB, 64 * MIB),
    },
    {
      flags: "--stats-interval <seconds>",
      description:
        "off a terminal, a stats line on stderr this often (a terminal gets a live status line); 0 turns it off",
      env: "STATS_INTERVAL",
      defaultValue: DEFAULT_STATS_INTERVAL_S,
      parse: decimal(0, 86_400),
    },
  ] as const;
}

/** Option values as commander holds them after parsing and env fallbacks. */
export interface RawOptions
  extends MetricsRawOptions,
    ReliableRawOptions,
    InputRawOptions,
    FollowRawOptions,
    ParseRawOptions,
    TargetRawOptions {
  targetHost: string;
  targetPort: number;
  batchSize: number;
  batchInterval: number;
  batchBytes: number;
  flushLevel: Level | "off" | undefined;
  compress: boolean;
  compressThread: boolean;
  compressionLevel: number;
  sequence: boolean;
  authKeyFile: string | undefined;
  maxRetries: number;
  maxDatagram: number;
  generate: boolean;
  logsPerSecond: number;
  runTime: number;
  level: Level;
  service: string;
  config: string | undefined;
  maxLineBytes: number;
  statsInterval: number;
}
