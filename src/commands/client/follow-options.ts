/**
 * The options of `--follow` (docs/client.md, "Following files"): their specs
 * for the command line, and their validated, frozen config.
 */

import { decimal, integer, nonEmpty, oneOf, UsageError } from "../shared/options.js";
import { defaultStatePath } from "./input/follow/state-store.js";

export const DEFAULT_FOLLOW_INTERVAL_SECONDS = 0.25;
export const DEFAULT_MAX_OPEN_FILES = 1024;
export const STATE_FILE_DEFAULT_TEXT = "$XDG_STATE_HOME/udp-log-shipper/state.json";

export function followSpecs() {
  return [
    {
      flags: "--follow",
      description: "follow the FILE paths and patterns as they grow and rotate, until interrupted",
      env: "FOLLOW",
      defaultValue: false,
    },
    {
      flags: "--follow-interval <seconds>",
      description: "seconds between two looks at the followed files",
      env: "FOLLOW_INTERVAL",
      defaultValue: DEFAULT_FOLLOW_INTERVAL_SECONDS,
      parse: decimal(0.01, 60),
    },
    {
      flags: "--state-file <path>",
      description: `where --follow records how far each file was sent (default: ${STATE_FILE_DEFAULT_TEXT}, else ~/.local/state/...)`,
      env: "STATE_FILE",
      parse: nonEmpty,
    },
    {
      flags: "--no-state",
      description: "--follow keeps no state file: every start reads per --read-from",
      env: "STATE",
    },
    {
      flags: "--read-from <where>",
      description: "where --follow starts a file found at start with no state: head or tail",
      env: "READ_FROM",
      defaultValue: "head",
      parse: oneOf(["head", "tail"] as const),
    },
    {
      flags: "--max-open-files <count>",
      description: "files --follow keeps open at once; the others wait their turn",
      env: "MAX_OPEN_FILES",
      defaultValue: DEFAULT_MAX_OPEN_FILES,
      parse: integer(1, 1_000_000),
    },
  ] as const;
}

/** The follow options as commander holds them. */
export interface FollowRawOptions {
  follow: boolean;
  followInterval: number;
  stateFile: string | undefined;
  state: boolean;
  readFrom: "head" | "tail";
  maxOpenFiles: number;
}

export interface FollowConfig {
  /** Paths and patterns to follow. */
  readonly patterns: readonly string[];
  readonly intervalMs: number;
  /** undefined: --no-state. */
  readonly statePath: string | undefined;
  readonly readFrom: "head" | "tail";
  readonly maxOpenFiles: number;
}

/** The follow config; undefined without --follow. Throws a UsageError for a bad combination. */
export function toFollowConfig(
  raw: FollowRawOptions,
  files: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): FollowConfig | undefined {
  if (!raw.follow) return undefined;
  if (files.length === 0) throw new UsageError("--follow needs at least one FILE or pattern");
  if (files.includes("-")) throw new UsageError("--follow cannot follow - (stdin)");
  return Object.freeze({
    patterns: Object.freeze([...files]),
    intervalMs: Math.max(1, Math.round(raw.followInterval * 1000)),
    statePath: raw.state ? (raw.stateFile ?? defaultStatePath(env)) : undefined,
    readFrom: raw.readFrom,
    maxOpenFiles: raw.maxOpenFiles,
  });
}
