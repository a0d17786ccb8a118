/**
 * `--config server.yaml`: a YAML mapping whose fields are the flags' names
 * without `--` (`port: 9999`, `output-batch-size: 500`, `field: {env: prod}`),
 * plus `outputs`, a list of outputs each with settings of its own:
 *
 *   outputs:
 *     - stdout
 *     - output: file:/var/log/shipper/entries.ndjson
 *       file-max-bytes: 100MiB
 *
 * A flag given on the command line (or its env variable) wins over the file.
 * Every value is read by the flag's own parser, so the file accepts what the
 * flag accepts; a bad field is one error line naming the file and the field.
 */
import { readFileSync } from "node:fs";
import type { Command, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { OUTPUT_SETTING_KEYS } from "./output-settings.js";
import { type OutputSpec, outputSpec } from "./output-spec.js";

/** A config file that cannot be read, is not YAML, or holds a bad field. */
export class ConfigFileError extends Error {
  override readonly name = "ConfigFileError";
}

/** One output of the file's `outputs` list, its settings read by their flags' parsers. */
export interface FileOutput {
  readonly spec: OutputSpec;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Options given several times, whose field may be a list. */
const REPEATABLE: ReadonlySet<string> = new Set(["output", "field", "http-header"]);
const NOT_IN_FILE: ReadonlySet<string> = new Set(["config", "help"]);

function one(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

function optionFor(command: Command, key: string): Option | undefined {
  return command.options.find((option) => option.long === `--${key}`);
}

/** A field's YAML value as the flag's values: a list for a repeatable one, `{k: v}` as `k=v`. */
function rawValues(key: string, value: unknown): unknown[] {
  if (key === "field" && typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${k}=${String(v)}`);
  }
  if (Array.isArray(value)) {
    if (!REPEATABLE.has(key)) throw new Error("expects one value, not a list");
    return value;
  }
  return [value];
}

/** The value the option takes for a YAML value, read by its parser. */
function optionValue(option: Option, key: string, value: unknown): unknown {
  if (option.isBoolean()) {
    if (typeof value !== "boolean") throw new Error("expects true or false");
    return value;
  }
  let parsed: unknown;
  for (const item of rawValues(key, value)) {
    if (typeof item === "object" || item === null || item === undefined) {
      throw new Error("expects a text or a number");
    }
    const text = String(item);
    parsed = option.parseArg === undefined ? text : option.parseArg(text, parsed);
  }
  return parsed;
}

function fieldError(file: string, field: string, error: unknown): ConfigFileError {
  const why = error instanceof Error ? error.message : String(error);
  return new ConfigFileError(one(`config file ${file}: field ${field}: ${why}`));
}

function readOutput(command: Command, file: string, item: unknown, index: number): FileOutput {
  const where = `outputs[${index}]`;
  if (typeof item === "string") {
    try {
      return { spec: outputSpec(item), settings: {} };
    } catch (error) {
      throw fieldError(file, where, error);
    }
  }
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw fieldError(file, where, new Error("expects a spec, or a mapping with output: SPEC"));
  }
  const fields = item as Record<string, unknown>;
  let spec: OutputSpec;
  try {
    spec = outputSpec(typeof fields.output === "string" ? fields.output : "");
  } catch (error) {
    throw fieldError(file, `${where}.output`, error);
  }
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === "output") continue;
    const option = optionFor(command, key);
    if (option === undefined || !OUTPUT_SETTING_KEYS.includes(key)) {
      throw fieldError(file, `${where}.${key}`, new Error("not a setting an output can have"));
    }
    try {
      settings[key] = optionValue(option, key, value);
    } catch (error) {
      throw fieldError(file, `${where}.${key}`, error);
    }
  }
  return { spec, settings };
}

function readDocument(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(one(`config file ${file}: cannot be read: ${why}`));
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigFileError(one(`config file ${file}: not valid YAML: ${why}`));
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new ConfigFileError(`config file ${file}: expects a mapping of fields`);
  }
  return doc as Record<string, unknown>;
}

/**
 * Reads `file` and sets every option it names that the command line and the
 * environment left alone. Answers the file's `outputs` (undefined when it has
 * none). Throws a ConfigFileError naming the field.
 */
export function applyConfigFile(command: Command, file: string): FileOutput[] | undefined {
  const doc = readDocument(file);
  let outputs: FileOutput[] | undefined;
  for (const [key, value] of Object.entries(doc)) {
    if (key === "outputs") {
      if (!Array.isArray(value) || value.length === 0) {
        throw fieldError(file, key, new Error("expects a list of outputs"));
      }
      if (doc.output !== undefined)
        throw fieldError(file, key, new Error("cannot be used with field output"));
      outputs = value.map((item, index) => readOutput(command, file, item, index));
      continue;
    }
    const option = optionFor(command, key);
    if (option === undefined || NOT_IN_FILE.has(key)) {
      throw fieldError(
        file,
        key,
        new Error("unknown field (fields are the flags' names without --)"),
      );
    }
    const attribute = option.attributeName();
    const source = command.getOptionValueSource(attribute);
    if (source === "cli" || source === "env") continue;
    try {
      command.setOptionValueWithSource(attribute, optionValue(option, key, value), "config");
    } catch (error) {
      throw fieldError(file, key, error);
    }
  }
  return outputs;
}
