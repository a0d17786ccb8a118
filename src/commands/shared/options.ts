/**
 * Option plumbing shared by both commands: commander options with an env
 * fallback read from an injected env (a flag overrides its env var), and one
 * place that turns commander's errors into exit codes. The value parsers are
 * in parsers.ts.
 */
import { type Command, CommanderError, Option } from "commander";
import { ERROR_CODES, ShipperError } from "../../foundation/errors.js";
import type { CliIO } from "./io.js";
import { boolean, type ChoiceParser, type Parser } from "./parsers.js";

/** Exit code for a usage error (bad option, bad env value). */
export const EXIT_USAGE = 2;

export type { Parser } from "./parsers.js";

export interface OptionSpec<T> {
  /** Commander flags, e.g. `--port <port>`. */
  readonly flags: string;
  readonly description: string;
  /** Env var read when the flag is not given. */
  readonly env?: string;
  readonly defaultValue?: T;
  /** Text shown for the default in help, when the value itself reads badly. */
  readonly defaultDescription?: string;
  readonly parse?: Parser<T>;
  /**
   * The option may be given several times: its value is the array of every
   * value, each read with `parse`. Its env var holds one value, or a list
   * cut at `envSeparator` when one is given.
   */
  readonly repeatable?: boolean;
  readonly envSeparator?: string;
}

export {
  boolean,
  byteSize,
  byteText,
  type ChoiceParser,
  decimal,
  integer,
  nonEmpty,
  OptionValueError,
  oneOf,
} from "./parsers.js";

/** Adds an option to `command`; its env var is noted in the help text. */
export function addOption<T>(command: Command, spec: OptionSpec<T>): void {
  const description = spec.env ? `${spec.description} (env: ${spec.env})` : spec.description;
  const option = new Option(spec.flags, description);
  // A flag without a value (`--quiet`, `--no-compress`) is true or false by its presence;
  // only its env var needs parsing, which applyEnv does with `boolean`.
  if ((spec.parse || spec.repeatable) && !isFlag(option)) {
    const parse = spec.parse ?? ((raw: string) => raw);
    if (spec.repeatable) {
      option.argParser((raw: string, previous: unknown) => [
        ...(Array.isArray(previous) ? previous : []),
        parse(raw),
      ]);
    } else option.argParser((raw: string) => parse(raw));
  }
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue, spec.defaultDescription);
  envFallbacks.set(option, spec as OptionSpec<unknown>);
  command.addOption(option);
}

/** An option that takes no value: `--quiet`, or a negation such as `--no-compress`. */
function isFlag(option: Option): boolean {
  return option.isBoolean() || option.negate;
}

const envFallbacks = new WeakMap<Option, OptionSpec<unknown>>();

/** The env var an option added by addOption falls back to; undefined for others. */
export function optionEnv(option: Option): string | undefined {
  return envFallbacks.get(option)?.env;
}

/** The values an option accepts when they are a fixed set (its parser is oneOf). */
export function optionChoices(option: Option): readonly string[] | undefined {
  const parse = envFallbacks.get(option)?.parse as Partial<ChoiceParser<unknown>> | undefined;
  return option.argChoices ?? parse?.choices;
}

/** A repeatable option's env value: one value, or the non-blank items between separators. */
function envList(raw: string, separator: string | undefined): string[] {
  if (separator === undefined) return [raw];
  return raw.split(separator).filter((item) => item.trim() !== "");
}

/**
 * For every option not given on the command line whose env var is set,
 * parse the env value with the option's parser. A bad env value is a usage
 * error naming both the variable and the option.
 */
export function applyEnv(
  command: Command,
  env: Readonly<Record<string, string | undefined>>,
): void {
  for (const option of command.options) {
    const spec = envFallbacks.get(option);
    if (!spec?.env) continue;
    const raw = env[spec.env];
    if (raw === undefined || raw === "") continue;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source === "cli") continue;
    let value: unknown;
    try {
      if (isFlag(option)) value = boolean(raw);
      else if (spec.repeatable) value = envList(raw, spec.envSeparator).map(spec.parse ?? String);
      else if (spec.parse) value = spec.parse(raw);
      else value = raw;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new CommanderError(
        EXIT_USAGE,
        ERROR_CODES.INVALID_ENV,
        `error: environment variable ${spec.env}=${JSON.stringify(raw)} (for ${option.long}) is invalid: ${why}`,
      );
    }
    command.setOptionValueWithSource(key, value, "env");
  }
}

/**
 * Parses argv with `command`, applying env fallbacks. Returns the exit code
 * to use when parsing ends the run (help, version, usage error), or
 * undefined when the command should go on.
 */
export function parseArgs(
  command: Command,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
): number | undefined {
  command
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) =>
        write(`${command.name()}: ${text.trim().replace(/\n+/g, " ")}\n`),
    })
    .showSuggestionAfterError(true);
  try {
    command.parse([...argv], { from: "user" });
    applyEnv(command, env);
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version") return 0;
    if (error.code === ERROR_CODES.INVALID_ENV) {
      io.stderr.write(`${command.name()}: ${error.message}\n`);
    }
    return EXIT_USAGE;
  }
}

/** A usage error found after parsing (a combination of options, a file that cannot be read). */
export class UsageError extends ShipperError {
  constructor(message: string, options?: ErrorOptions) {
    super(ERROR_CODES.USAGE, message, options);
  }
}
