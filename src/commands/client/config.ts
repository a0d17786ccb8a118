/**
 * The options of `shipper-client` validated once into a frozen config, and
 * the config file read at start. Every value and combination is checked here;
 * nothing later reads argv or env.
 */

import type { Level } from "../../client/levels.js";
import type { ReliableShipperOptions } from "../../client/reliable/reliable-options.js";
import type { BatchSettings } from "../../client/shipper.js";
import { oneLine } from "../../foundation/one-line.js";
import { clientKey } from "../shared/auth-key.js";
import type { CliIO } from "../shared/io.js";
import { type MetricsConfig, toMetricsConfig } from "../shared/metrics.js";
import { EXIT_USAGE, parseArgs, UsageError } from "../shared/options.js";
import { ConfigFileError, readConfigFile } from "./config-file.js";
import { type FollowConfig, toFollowConfig } from "./follow-options.js";
import { type LineInputConfig, toLineInputConfig } from "./input-options.js";
import { TERMINAL_STDIN_NOTE } from "./messages.js";
import { clientCommand, type RawOptions } from "./options.js";
import { type EntryConfig, toEntryConfig } from "./parse-options.js";
import { reliableConfig } from "./reliable-options.js";
import { type TargetConfig, toTargetConfig, type ValueSource } from "./target-options.js";

/** Where entries come from. */
export type InputMode = "files" | "stdin" | "generate";

export interface ClientConfig extends TargetConfig {
  readonly input: InputMode;
  /** Sources in order (`-` is stdin); empty when generating. */
  readonly files: readonly string[];
  /** Batch settings from flags and env, before the config file. */
  readonly batch: Readonly<BatchSettings>;
  readonly compress: boolean;
  /** Large batches are compressed on a worker thread. */
  readonly compressThread: boolean;
  /** zlib level 0..9 of compressed payloads. */
  readonly compressionLevel: number;
  readonly sequenced: boolean;
  readonly maxRetries: number;
  readonly maxDatagramBytes: number;
  readonly logsPerSecond: number;
  /** 0 = until interrupted. */
  readonly runTimeSeconds: number;
  /** Level and service of entries made from lines that are not JSON objects. */
  readonly level: Level;
  readonly service: string;
  /** How lines become entries: parsers, JSON formats, zone, host, static fields. */
  readonly entries: EntryConfig;
  readonly configPath: string | undefined;
  readonly maxLineBytes: number;
  /** Off a terminal, a stats line on stderr this often; 0: never. */
  readonly statsIntervalMs: number;
  /** Where to serve Prometheus metrics; undefined: off. */
  readonly metrics: MetricsConfig | undefined;
  /** Every datagram is signed with this key; undefined: unsigned. */
  readonly key: Uint8Array | undefined;
  /** Multiline joining and --tee. */
  readonly lineInput: LineInputConfig;
  /** `--follow`: the files are followed; undefined: read once. */
  readonly follow: FollowConfig | undefined;
  /** Reliable delivery (--reliable and its bounds), as library options. */
  readonly reliable: Readonly<ReliableShipperOptions>;
}

function toConfig(
  raw: RawOptions,
  files: readonly string[],
  key: Uint8Array | undefined,
  env: Readonly<Record<string, string | undefined>>,
  source: ValueSource,
): ClientConfig {
  if (raw.generate && files.length > 0) {
    throw new UsageError("--generate cannot be combined with FILE arguments");
  }
  if (key !== undefined && !raw.sequence) {
    const given = raw.authKeyFile === undefined ? "SHIPPER_AUTH_KEY" : "option '--auth-key-file'";
    throw new UsageError(
      `${given} cannot be used with --no-sequence: the original framing has no room for a signature`,
    );
  }
  // Stdin is read whatever it is: only --generate generates (a terminal gets a note).
  const input: InputMode = files.length > 0 ? "files" : raw.generate ? "generate" : "stdin";
  const flushLevelValue = raw.flushLevel === "off" ? undefined : raw.flushLevel;
  return Object.freeze({
    input,
    files: Object.freeze(input === "stdin" ? ["-"] : [...files]),
    ...toTargetConfig(raw, source),
    batch: Object.freeze({
      batchSize: raw.batchSize,
      flushIntervalMs: Math.max(1, Math.round(raw.batchInterval * 1000)),
      batchBytes: raw.batchBytes,
      flushLevel: flushLevelValue,
    }),
    compress: raw.compress,
    compressThread: raw.compressThread,
    compressionLevel: raw.compressionLevel,
    sequenced: raw.sequence,
    maxRetries: raw.maxRetries,
    maxDatagramBytes: raw.maxDatagram,
    logsPerSecond: raw.logsPerSecond,
    runTimeSeconds: raw.runTime,
    level: raw.level,
    service: raw.service,
    entries: toEntryConfig(raw),
    configPath: raw.config,
    maxLineBytes: raw.maxLineBytes,
    statsIntervalMs: Math.round(raw.statsInterval * 1000),
    metrics: toMetricsConfig(raw),
    key,
    lineInput: toLineInputConfig(raw, raw.generate, raw.follow === true),
    follow: toFollowConfig(raw, files, env),
    reliable: reliableConfig(raw),
  });
}

export interface ResolvedClient {
  readonly config: ClientConfig;
  /** Settings from the config file (empty without --config), applied over `config.batch`. */
  readonly fileSettings: Partial<BatchSettings>;
}

/**
 * Parses argv and env into a frozen config and reads the config file. Returns
 * an exit code instead when the run ends here (help: 0; usage error: 2, with
 * one stderr line naming the option).
 */
export async function resolveClient(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  readConfigText?: (path: string) => Promise<string>,
): Promise<ResolvedClient | number> {
  const command = clientCommand();
  const code = parseArgs(command, argv, env, io);
  if (code !== undefined) return code;
  try {
    const raw = command.opts<RawOptions>();
    const signing = clientKey(raw.authKeyFile, env.SHIPPER_AUTH_KEY);
    for (const warning of signing.warnings) {
      io.stderr.write(`shipper-client: ${oneLine(warning)}\n`);
    }
    const config = toConfig(raw, command.args, signing.key, env, (name) =>
      command.getOptionValueSource(name),
    );
    if (config.files.includes("-") && config.follow === undefined && io.stdin.isTTY === true) {
      io.stderr.write(`${TERMINAL_STDIN_NOTE}\n`);
    }
    const fileSettings = config.configPath
      ? await readConfigFile(config.configPath, readConfigText)
      : {};
    return { config, fileSettings };
  } catch (error) {
    if (error instanceof ConfigFileError) {
      io.stderr.write(
        `shipper-client: error: option '--config <file>': ${oneLine(error.message)}\n`,
      );
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`shipper-client: error: ${oneLine(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
