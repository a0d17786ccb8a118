/**
 * The options of `shipper-client` about how input lines are read: multiline
 * joining (`--multiline`, `--multiline-start`, `--multiline-timeout`,
 * `--multiline-max-lines`) and `--tee`; their parsers and their part of the
 * frozen config.
 */
import type { Command } from "commander";
import {
  addOption,
  integer,
  OptionValueError,
  oneOf,
  type Parser,
  UsageError,
} from "../shared/options.js";
import type { MultilineRule } from "./input/multiline.js";
import { DEFAULT_MULTILINE_MAX_LINES, DEFAULT_MULTILINE_TIMEOUT_MS } from "./input/multiline.js";
import {
  MULTILINE_PRESETS,
  type MultilinePreset,
  presetRule,
  startRule,
} from "./input/multiline-rules.js";

const MAX_TIMEOUT_MS = 3_600_000;
const MAX_LINES = 1_000_000;

const DURATION_UNITS: Readonly<Record<string, number>> = { "": 1000, ms: 1, s: 1000, m: 60_000 };

/** A duration in milliseconds: `500ms`, `1s`, `1.5s`, `2m`; a bare number is seconds. */
export function duration(minMs: number, maxMs: number): Parser<number> {
  const accepts = `a duration from ${minMs}ms to ${maxMs / 1000}s (e.g. 500ms, 1s, 2m; a bare number is seconds)`;
  return (raw) => {
    const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|)\s*$/i.exec(raw);
    const unit = DURATION_UNITS[(match?.[2] ?? "").toLowerCase()];
    if (!match || unit === undefined) throw new OptionValueError(`expects ${accepts}`);
    // The range holds for the value as written; it is kept in whole milliseconds.
    const exact = Number(match[1]) * unit;
    if (exact < minMs || exact > maxMs) throw new OptionValueError(`expects ${accepts}`);
    return Math.round(exact);
  };
}

/** A JavaScript regular expression, compiled. */
const regex: Parser<RegExp> = (raw) => {
  try {
    return new RegExp(raw);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new OptionValueError(`expects a regular expression (${why})`);
  }
};

export interface InputRawOptions {
  multiline: MultilinePreset | undefined;
  multilineStart: RegExp | undefined;
  multilineTimeout: number;
  multilineMaxLines: number;
  tee: boolean | undefined;
}

export function addInputOptions(command: Command): void {
  addOption(command, {
    flags: "--multiline <preset>",
    description: `join continuation lines into one entry by the rules of ${MULTILINE_PRESETS.join(", ")}`,
    env: "MULTILINE",
    parse: oneOf(MULTILINE_PRESETS),
  });
  addOption(command, {
    flags: "--multiline-start <regex>",
    description: "a line matching this starts an entry; any other line continues the previous one",
    env: "MULTILINE_START",
    parse: regex,
  });
  addOption(command, {
    flags: "--multiline-timeout <duration>",
    description: "send a pending entry when no line follows in this time (e.g. 500ms, 2s)",
    env: "MULTILINE_TIMEOUT",
    defaultValue: DEFAULT_MULTILINE_TIMEOUT_MS,
    defaultDescription: `${DEFAULT_MULTILINE_TIMEOUT_MS / 1000}s`,
    parse: duration(1, MAX_TIMEOUT_MS),
  });
  addOption(command, {
    flags: "--multiline-max-lines <count>",
    description: "most lines in one entry; the next line starts a new entry",
    env: "MULTILINE_MAX_LINES",
    defaultValue: DEFAULT_MULTILINE_MAX_LINES,
    parse: integer(1, MAX_LINES),
  });
  addOption(command, {
    flags: "--tee",
    description: "copy every input line to stdout as it is read",
    env: "TEE",
  });
}

export interface MultilineConfig {
  /** The preset's name, or `start` for --multiline-start. */
  readonly name: MultilinePreset | "start";
  readonly rule: MultilineRule;
  readonly timeoutMs: number;
  readonly maxLines: number;
}

/** How input lines are read, besides where from. */
export interface LineInputConfig {
  /** Undefined: every line is an entry. */
  readonly multiline: MultilineConfig | undefined;
  readonly tee: boolean;
}

/** The frozen line-input config; a UsageError for options that do not go together. */
export function toLineInputConfig(
  raw: InputRawOptions,
  generate: boolean,
  follow: boolean,
): LineInputConfig {
  const { multiline: preset, multilineStart: start } = raw;
  if (preset !== undefined && start !== undefined) {
    throw new UsageError("--multiline cannot be combined with --multiline-start");
  }
  const multiline =
    preset === undefined && start === undefined
      ? undefined
      : Object.freeze({
          name: preset ?? "start",
          rule: preset === undefined ? startRule(start as RegExp) : presetRule(preset),
          timeoutMs: raw.multilineTimeout,
          maxLines: raw.multilineMaxLines,
        });
  const tee = raw.tee ?? false;
  if (generate && (tee || multiline !== undefined)) {
    throw new UsageError(`${tee ? "--tee" : "--multiline"} cannot be combined with --generate`);
  }
  if (follow && tee) {
    throw new UsageError("--tee cannot be combined with --follow: it copies a pipe's lines");
  }
  return Object.freeze({ multiline, tee });
}
