/**
 * The batch settings file given with `--config`: a JSON object with any of
 *
 *   batch_size      integer, entries per batch (1 to 1,000,000)
 *   batch_interval  number, seconds between interval flushes (0.001 to 86,400)
 *   batch_bytes     integer, flush when the batch's JSON reaches this many bytes; 0 = off
 *   flush_level     a level name (an entry at or above it flushes at once), or null = off
 *
 * Unknown keys are rejected (a camelCase spelling gets a hint), so a typo never
 * passes silently. Errors name the file and the key.
 */
import { readFile } from "node:fs/promises";
import { LEVELS, parseLevel } from "../../client/levels.js";
import type { BatchSettings } from "../../client/shipper.js";
import { ERROR_CODES, ShipperError } from "../../foundation/errors.js";
import { GIB } from "../../foundation/limits.js";

/** Bounds shared with the command-line flags. */
export const BATCH_LIMITS = {
  batchSize: { min: 1, max: 1_000_000 },
  batchIntervalSeconds: { min: 0.001, max: 86_400 },
  batchBytes: { min: 0, max: GIB },
} as const;

export const CONFIG_KEYS = ["batch_size", "batch_interval", "batch_bytes", "flush_level"] as const;
type ConfigKey = (typeof CONFIG_KEYS)[number];

/** A config file that cannot be read, is not JSON, or holds a bad key or value. */
export class ConfigFileError extends ShipperError {
  constructor(
    message: string,
    /** The offending key, when one is to blame. */
    readonly key: string | undefined = undefined,
  ) {
    super(ERROR_CODES.CONFIG_FILE, message);
  }
}

/** Reads and validates a config file. Rejects with a ConfigFileError. */
export async function readConfigFile(
  path: string,
  read: (path: string) => Promise<string> = (file) => readFile(file, "utf8"),
): Promise<Partial<BatchSettings>> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(`config file ${path}: cannot be read: ${why}`);
  }
  return parseConfig(text, path);
}

/** Validates the text of a config file named `source` (used in messages). Throws ConfigFileError. */
export function parseConfig(text: string, source: string): Partial<BatchSettings> {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(`config file ${source}: not valid JSON: ${why}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigFileError(`config file ${source}: expects a JSON object`);
  }
  const settings: Partial<BatchSettings> = {};
  for (const [key, raw] of Object.entries(value)) {
    if (!isConfigKey(key)) throw unknownKey(source, key);
    const bad = (accepts: string) =>
      new ConfigFileError(
        `config file ${source}: ${key} expects ${accepts}, got ${JSON.stringify(raw) ?? String(raw)}`,
        key,
      );
    applyKey(settings, key, raw, bad);
  }
  return settings;
}

function applyKey(
  settings: Partial<BatchSettings>,
  key: ConfigKey,
  raw: unknown,
  bad: (accepts: string) => ConfigFileError,
): void {
  switch (key) {
    case "batch_size": {
      const { min, max } = BATCH_LIMITS.batchSize;
      settings.batchSize = integerIn(raw, min, max, bad);
      return;
    }
    case "batch_interval": {
      const { min, max } = BATCH_LIMITS.batchIntervalSeconds;
      if (typeof raw !== "number" || !(raw >= min && raw <= max)) {
        throw bad(`a number of seconds from ${min} to ${max}`);
      }
      settings.flushIntervalMs = Math.max(1, Math.round(raw * 1000));
      return;
    }
    case "batch_bytes": {
      const { min, max } = BATCH_LIMITS.batchBytes;
      settings.batchBytes = integerIn(raw, min, max, bad);
      return;
    }
    case "flush_level": {
      const level = typeof raw === "string" ? parseLevel(raw) : undefined;
      if (raw !== null && level === undefined) throw bad(`one of ${LEVELS.join(", ")}, or null`);
      settings.flushLevel = level;
      return;
    }
  }
}

function integerIn(
  raw: unknown,
  min: number,
  max: number,
  bad: (accepts: string) => ConfigFileError,
): number {
  if (typeof raw !== "number" || !Number.isInteger(raw) || raw < min || raw > max) {
    throw bad(`an integer from ${min} to ${max}`);
  }
  return raw;
}

function isConfigKey(key: string): key is ConfigKey {
  return (CONFIG_KEYS as readonly string[]).includes(key);
}

function unknownKey(source: string, key: string): ConfigFileError {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
  const hint = isConfigKey(snake) ? ` (did you mean "${snake}"?)` : "";
  return new ConfigFileError(
    `config file ${source}: unknown key ${JSON.stringify(key)}${hint}; accepted keys: ${CONFIG_KEYS.join(", ")}`,
    key,
  );
}
