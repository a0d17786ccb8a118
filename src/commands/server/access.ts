/**
 * The options of `shipper-server` that decide who may send: HMAC keys
 * (`--auth-key-file`, SHIPPER_AUTH_KEY), the sender allow-list (`--allow`)
 * and the per-source rate limit (`--rate-limit`).
 */

import type { Command } from "commander";
import { oneLine } from "../../foundation/one-line.js";
import { parseNetwork } from "../../server/index.js";
import { AUTH_KEY_ENV, AUTH_KEY_FILE_OPTION, KeyFileError, loadKeys } from "../shared/auth-key.js";
import type { CliIO } from "../shared/io.js";
import {
  addOption,
  EXIT_USAGE,
  integer,
  nonEmpty,
  OptionValueError,
  type Parser,
  UsageError,
} from "../shared/options.js";

export interface AccessRawOptions {
  authKeyFile?: string[];
  allow?: string[];
  rateLimit: number;
}

export interface AccessConfig {
  /** Empty: datagrams need no signature. */
  readonly keys: readonly Uint8Array[];
  /** The key files the keys came from, re-read on SIGHUP. */
  readonly keyFiles: readonly string[];
  /** The key given in SHIPPER_AUTH_KEY, kept across SIGHUP reloads. */
  readonly envKey: string | undefined;
  /** CIDR networks whose sources are decoded; empty: every source. */
  readonly allow: readonly string[];
  /** Datagrams per second per source, burst as large; 0: off. */
  readonly rateLimitPerSecond: number;
}

export const MAX_RATE_LIMIT = 1_000_000_000;

const network: Parser<string> = (raw) => {
  try {
    parseNetwork(raw);
  } catch {
    throw new OptionValueError(
      "expects an IPv4 or IPv6 address or network (e.g. 10.0.0.0/8, 192.0.2.7, fd00::/8)",
    );
  }
  return raw.trim();
};

export function addAccessOptions(command: Command): void {
  addOption(command, {
    flags: AUTH_KEY_FILE_OPTION,
    description:
      "accept only datagrams signed with a key of this file (one key per line; repeatable;" +
      ` ${AUTH_KEY_ENV} may hold a key itself)`,
    env: "SHIPPER_AUTH_KEY_FILE",
    parse: nonEmpty,
    repeatable: true,
  });
  addOption(command, {
    flags: "--allow <cidr>",
    description:
      "decode only datagrams from this network, e.g. 10.0.0.0/8 or fd00::/8; others are" +
      " not-allowed (repeatable; the env var takes a comma-separated list)",
    env: "ALLOW",
    parse: network,
    repeatable: true,
    envSeparator: ",",
  });
  addOption(command, {
    flags: "--rate-limit <per-second>",
    description:
      "datagrams per second per source address, with a burst as large; the excess is" +
      " rate-limited; 0 = off",
    env: "RATE_LIMIT",
    defaultValue: 0,
    parse: integer(0, MAX_RATE_LIMIT),
  });
}

/**
 * Reads the key files into a frozen access config. Throws UsageError, naming
 * the option, for a key file that cannot be read or holds no key. Warnings
 * (a key file others can read) are returned for the caller to print.
 */
export function toAccessConfig(
  raw: AccessRawOptions,
  env: Readonly<Record<string, string | undefined>>,
): { readonly access: AccessConfig; readonly warnings: readonly string[] } {
  try {
    const keyFiles = raw.authKeyFile ?? [];
    const envKey = env[AUTH_KEY_ENV];
    const { keys, warnings } = loadKeys(keyFiles, envKey);
    const access = Object.freeze({
      keys: Object.freeze([...keys]),
      keyFiles: Object.freeze([...keyFiles]),
      envKey,
      allow: Object.freeze([...(raw.allow ?? [])]),
      rateLimitPerSecond: raw.rateLimit,
    });
    return { access, warnings };
  } catch (error) {
    if (error instanceof KeyFileError) {
      throw new UsageError(`option '${AUTH_KEY_FILE_OPTION}': ${error.message}`);
    }
    throw error;
  }
}

/**
 * The access config, with a warning line on stderr for each key file others
 * can read (not with `quiet`); or exit code 2 after one line naming the option.
 */
export function resolveAccess(
  raw: AccessRawOptions,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  name: string,
  quiet: boolean,
): AccessConfig | number {
  try {
    const { access, warnings } = toAccessConfig(raw, env);
    if (!quiet) for (const warning of warnings) io.stderr.write(`${name}: ${oneLine(warning)}\n`);
    return access;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${name}: error: ${oneLine(error.message)}\n`);
    return EXIT_USAGE;
  }
}
