/**
 * Where entries go: `--output` (repeatable), the spool, the drain at
 * shutdown, static fields and the config file; resolved with the
 * per-output settings (output-settings.ts) into one frozen OutputConfig per
 * output.
 */
import type { Command } from "commander";
import type { BatchSettings } from "../../server/outputs/batcher.js";
import { DEFAULT_BATCH, DEFAULT_OUTPUT_DRAIN_TIMEOUT_MS } from "../../server/outputs/definition.js";
import type { StaticFields } from "../../server/outputs/fields.js";
import type { HttpSinkOptions, NatsSinkOptions } from "../../server/outputs/sink-options.js";
import {
  addOption,
  decimal,
  nonEmpty,
  OptionValueError,
  type Parser,
  UsageError,
} from "../shared/options.js";
import { applyConfigFile, type FileOutput } from "./config-file.js";
import { addOutputSettingOptions, DEFAULT_FILE_KEEP } from "./output-settings.js";
import { type OutputSpec, outputName, outputSpec } from "./output-spec.js";
import { httpSinkOptions, type Lookup, natsSinkOptions } from "./remote-options.js";

export interface FileSettings {
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly keep: number;
  readonly gzip: boolean;
}

export interface OutputConfig {
  readonly spec: OutputSpec;
  readonly batch: BatchSettings;
  readonly maxQueueBytes: number;
  readonly spoolMaxBytes: number;
  readonly file?: FileSettings;
  readonly http?: HttpSinkOptions;
  readonly nats?: NatsSinkOptions;
}

export interface OutputsConfig {
  readonly outputs: readonly OutputConfig[];
  /** Undefined: no spool, memory queues only. */
  readonly spoolDir: string | undefined;
  readonly drainTimeoutMs: number;
  readonly fields: StaticFields;
  /** The `--config` file, read again on SIGHUP. */
  readonly configFile: string | undefined;
}

const field: Parser<readonly [string, string]> = (raw) => {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new OptionValueError("expects key=value");
  return [raw.slice(0, eq), raw.slice(eq + 1)];
};

export function addOutputsOptions(command: Command): void {
  addOption(command, {
    flags: "--output <spec>",
    description:
      "where entries go, repeatable, every entry to each: stdout, file:PATH, http(s)://..., nats://HOST:PORT[,HOST:PORT] (default stdout)",
    env: "OUTPUT",
    repeatable: true,
    envSeparator: " ",
    parse: outputSpec,
  });
  addOption(command, {
    flags: "--spool-dir <dir>",
    description:
      "batches an output cannot take now go to files here, one directory per output (default: memory only)",
    env: "SPOOL_DIR",
    parse: nonEmpty,
  });
  addOption(command, {
    flags: "--drain-timeout <seconds>",
    description:
      "at shutdown, how long outputs keep delivering; then the rest is spooled or dropped",
    env: "DRAIN_TIMEOUT",
    defaultValue: DEFAULT_OUTPUT_DRAIN_TIMEOUT_MS / 1000,
    parse: decimal(0, 86_400),
  });
  addOption(command, {
    flags: "--field <key=value>",
    description: "a field added to every entry that lacks it, repeatable",
    env: "SERVER_FIELDS",
    repeatable: true,
    envSeparator: ",",
    parse: field,
  });
  addOption(command, {
    flags: "--config <file>",
    description:
      "YAML file with any of these options (names without --) and a list of outputs; re-read on SIGHUP",
    env: "CONFIG",
    parse: nonEmpty,
  });
  addOutputSettingOptions(command);
}

/** An output's value of a setting: its flag when given, else its own field in the file, else the rest. */
function lookupFor(command: Command, own: Readonly<Record<string, unknown>>): Lookup {
  return (key) => {
    const option = command.options.find((o) => o.long === `--${key}`);
    if (option === undefined) return own[key];
    const attribute = option.attributeName();
    const source = command.getOptionValueSource(attribute);
    if (source === "cli" || source === "env" || !(key in own))
      return command.getOptionValue(attribute);
    return own[key];
  };
}

function batchSettings(kind: OutputSpec["kind"], get: Lookup): BatchSettings {
  const defaults = DEFAULT_BATCH[kind];
  const interval = get("output-batch-interval") as number | undefined;
  return Object.freeze({
    maxEntries: (get("output-batch-size") as number | undefined) ?? defaults.maxEntries,
    maxBytes: (get("output-batch-bytes") as number | undefined) ?? defaults.maxBytes,
    intervalMs: interval === undefined ? defaults.intervalMs : Math.round(interval * 1000),
    flushRank: get("output-flush-level") as number | undefined,
  });
}

function outputConfig(
  output: FileOutput,
  get: Lookup,
  env: Readonly<Record<string, string | undefined>>,
): OutputConfig {
  const { spec } = output;
  const base = {
    spec,
    batch: batchSettings(spec.kind, get),
    maxQueueBytes: get("output-queue-bytes") as number,
    spoolMaxBytes: get("spool-max-bytes") as number,
  };
  if (spec.kind === "file") {
    const file: FileSettings = {
      maxBytes: (get("file-max-bytes") as number | undefined) ?? 0,
      maxAgeMs: Math.round(((get("file-max-age") as number | undefined) ?? 0) * 1000),
      keep: (get("file-keep") as number | undefined) ?? DEFAULT_FILE_KEEP,
      gzip: get("file-gzip") === true,
    };
    return Object.freeze({ ...base, file: Object.freeze(file) });
  }
  if (spec.kind === "http") return Object.freeze({ ...base, http: httpSinkOptions(spec.url, get) });
  if (spec.kind === "nats")
    return Object.freeze({ ...base, nats: natsSinkOptions(spec.servers, get, env) });
  return Object.freeze(base);
}

/**
 * Applies the config file (when `--config` is given) to the command's values,
 * then resolves every output. Throws a ConfigFileError or a UsageError.
 */
export function resolveOutputs(
  command: Command,
  env: Readonly<Record<string, string | undefined>>,
): OutputsConfig {
  const configFile = command.getOptionValue("config") as string | undefined;
  const fromFile = configFile === undefined ? undefined : applyConfigFile(command, configFile);
  const source = command.getOptionValueSource("output");
  const flagged = command.getOptionValue("output") as OutputSpec[] | undefined;
  const list: FileOutput[] =
    (source === "cli" || source === "env" || fromFile === undefined) && flagged !== undefined
      ? flagged.map((spec) => ({ spec, settings: {} }))
      : (fromFile ?? [{ spec: { kind: "stdout", spec: "stdout" }, settings: {} }]);
  const specs = list.map((output) => output.spec.spec);
  const twice = specs.find((spec, i) => specs.indexOf(spec) !== i);
  if (twice !== undefined) throw new UsageError(`option '--output': ${twice} is given twice`);
  const names = list.map((output) => outputName(output.spec));
  const named = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (named >= 0) {
    const first = names.indexOf(names[named] as string);
    throw new UsageError(
      `option '--output': outputs ${first + 1} and ${named + 1} are both named ${names[named]} (a URL's user, password, query and fragment are no part of the name)`,
    );
  }
  const outputs = list.map((output) =>
    outputConfig(output, lookupFor(command, output.settings), env),
  );
  const fields =
    (command.getOptionValue("field") as (readonly [string, string])[] | undefined) ?? [];
  return Object.freeze({
    outputs: Object.freeze(outputs),
    spoolDir: command.getOptionValue("spoolDir") as string | undefined,
    drainTimeoutMs: Math.round((command.getOptionValue("drainTimeout") as number) * 1000),
    fields: Object.freeze(fields.map((f) => Object.freeze(f))),
    configFile,
  });
}
