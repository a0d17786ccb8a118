/**
 * The settings each output may have of its own: batching, its memory queue,
 * its spool bound, and those of its kind (file, HTTP, NATS). As flags they
 * apply to every output; in the config file an output may set any of them
 * for itself, under the flag's name without `--` (flags still win).
 */
import type { Command } from "commander";
import { LEVELS, parseLevel } from "../../client/levels.js";
import { GIB } from "../../foundation/limits.js";
import type { BatchSettings } from "../../server/outputs/batcher.js";
import {
  DEFAULT_BATCH,
  DEFAULT_OUTPUT_QUEUE_BYTES,
  DEFAULT_SPOOL_MAX_BYTES,
} from "../../server/outputs/definition.js";
import {
  addOption,
  byteSize,
  byteText,
  decimal,
  integer,
  OptionValueError,
  type Parser,
} from "../shared/options.js";
import { MAX_OPTION_BYTES } from "./limit-options.js";
import { addRemoteOptions, REMOTE_SETTING_KEYS } from "./remote-options.js";

export const DEFAULT_FILE_KEEP = 5;

const level: Parser<number> = (raw) => {
  const parsed = parseLevel(raw);
  if (parsed === undefined) throw new OptionValueError(`expects one of ${LEVELS.join(", ")}`);
  return LEVELS.indexOf(parsed);
};

/** Keys (flag names without `--`) an output of the config file may set for itself. */
export const OUTPUT_SETTING_KEYS: readonly string[] = [
  "output-batch-size",
  "output-batch-bytes",
  "output-batch-interval",
  "output-flush-level",
  "output-queue-bytes",
  "spool-max-bytes",
  "file-max-bytes",
  "file-max-age",
  "file-keep",
  "file-gzip",
  ...REMOTE_SETTING_KEYS,
];

/** `default by kind: stdout X, file Y, ...`: one batch setting of each kind, from DEFAULT_BATCH. */
function defaultsByKind(text: (batch: BatchSettings) => string): string {
  const kinds = Object.entries(DEFAULT_BATCH).map(([kind, batch]) => `${kind} ${text(batch)}`);
  return `default by kind: ${kinds.join(", ")}`;
}

function addBatchOptions(command: Command): void {
  addOption(command, {
    flags: "--output-batch-size <n>",
    description: `entries per output batch (${defaultsByKind((batch) => String(batch.maxEntries))})`,
    env: "OUTPUT_BATCH_SIZE",
    parse: integer(1, 1_000_000),
  });
  addOption(command, {
    flags: "--output-batch-bytes <bytes>",
    description: `bytes of entries per output batch (${defaultsByKind((batch) => byteText(batch.maxBytes))})`,
    env: "OUTPUT_BATCH_BYTES",
    parse: byteSize(1, GIB),
  });
  addOption(command, {
    flags: "--output-batch-interval <s>",
    description: `seconds an output batch gathers at most; 0 sends what one event-loop turn read together (${defaultsByKind((batch) => String(batch.intervalMs / 1000))})`,
    env: "OUTPUT_BATCH_INTERVAL",
    parse: decimal(0, 86_400),
  });
  addOption(command, {
    flags: "--output-flush-level <level>",
    description: "an entry at or above this level sends its output batch at once (default: off)",
    env: "OUTPUT_FLUSH_LEVEL",
    parse: level,
  });
  addOption(command, {
    flags: "--output-queue-bytes <bytes>",
    description:
      "memory for batches waiting per output; past it they go to the spool, or are dropped (queue-full)",
    env: "OUTPUT_QUEUE_BYTES",
    defaultValue: DEFAULT_OUTPUT_QUEUE_BYTES,
    defaultDescription: byteText(DEFAULT_OUTPUT_QUEUE_BYTES),
    parse: byteSize(0, MAX_OPTION_BYTES),
  });
  addOption(command, {
    flags: "--spool-max-bytes <bytes>",
    description: "spool files per output; past it batches are dropped (spool-full)",
    env: "SPOOL_MAX_BYTES",
    defaultValue: DEFAULT_SPOOL_MAX_BYTES,
    defaultDescription: byteText(DEFAULT_SPOOL_MAX_BYTES),
    parse: byteSize(0, Number.MAX_SAFE_INTEGER),
  });
}

function addFileOptions(command: Command): void {
  addOption(command, {
    flags: "--file-max-bytes <bytes>",
    description: "rotate a file output before it passes this size; 0: never by size",
    env: "FILE_MAX_BYTES",
    defaultValue: 0,
    parse: byteSize(0, Number.MAX_SAFE_INTEGER),
  });
  addOption(command, {
    flags: "--file-max-age <seconds>",
    description: "rotate a file output once it has been open this long; 0: never by age",
    env: "FILE_MAX_AGE",
    defaultValue: 0,
    parse: decimal(0, 10 * 365 * 86_400),
  });
  addOption(command, {
    flags: "--file-keep <n>",
    description: "rotated files kept (PATH.1 the newest); 0 deletes the file on rotation",
    env: "FILE_KEEP",
    defaultValue: DEFAULT_FILE_KEEP,
    parse: integer(0, 1000),
  });
  addOption(command, {
    flags: "--file-gzip",
    description: "compress rotated files (PATH.1.gz)",
    env: "FILE_GZIP",
  });
}

/** Every per-output setting, as flags. */
export function addOutputSettingOptions(command: Command): void {
  addBatchOptions(command);
  addFileOptions(command);
  addRemoteOptions(command);
}
