/**
 * Options of `shipper-tail`, each with an env fallback, validated once into
 * a frozen config. The NATS servers and credentials are given as to the
 * server's NATS output (`nats://HOST:PORT[,HOST:PORT]`, --nats-creds,
 * --nats-token-file or NATS_TOKEN, --nats-user with --nats-password-file or
 * NATS_PASSWORD).
 */

import { Command } from "commander";
import { oneLine } from "../../foundation/one-line.js";
import type { NatsSinkOptions } from "../../server/outputs/sink-options.js";
import { outputSpec } from "../server/output-spec.js";
import { natsCredentials } from "../server/remote-secrets.js";
import type { CliIO } from "../shared/io.js";
import {
  addOption,
  decimal,
  EXIT_USAGE,
  nonEmpty,
  OptionValueError,
  type Parser,
  parseArgs,
} from "../shared/options.js";
import { addVersionOption } from "../shared/version.js";

export type Env = Readonly<Record<string, string | undefined>>;

export const NAME = "shipper-tail";
export const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";
export const DEFAULT_STREAM = "LOGS";
export const DEFAULT_TIMEOUT_S = 10;

export interface TailConfig {
  /** Every host:port of the spec, as nats:// URLs. */
  readonly servers: readonly string[];
  readonly stream: string;
  /** A subject filter (wildcards allowed); undefined: every subject of the stream. */
  readonly subject: string | undefined;
  /** Print the totals only, not the entries. */
  readonly count: boolean;
  /** Go on reading what arrives after the end, until SIGINT/SIGTERM. */
  readonly follow: boolean;
  /** Connecting, and each JetStream request. Default 10,000 ms. */
  readonly timeoutMs: number;
  readonly credentials: NatsSinkOptions["credentials"];
}

interface RawOptions {
  server: readonly string[];
  stream: string;
  subject?: string;
  count?: boolean;
  follow?: boolean;
  timeout: number;
}

const natsUrl: Parser<readonly string[]> = (raw) => {
  let spec: ReturnType<typeof outputSpec> | undefined;
  try {
    spec = outputSpec(raw);
  } catch {
    spec = undefined;
  }
  if (spec?.kind !== "nats") {
    throw new OptionValueError(
      `expects nats://HOST:PORT[,HOST:PORT...]; got ${JSON.stringify(raw)}`,
    );
  }
  return spec.servers;
};

const streamName: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(raw)) {
    throw new OptionValueError("expects a stream name of letters, digits, _ and -");
  }
  return raw;
};

/** A NATS subject filter: dot-separated tokens, `*` for one token, `>` last for the rest. */
export const subjectFilter: Parser<string> = (raw) => {
  const tokens = raw.split(".");
  const bad = tokens.some(
    (token, i) =>
      token === "" ||
      /[\s\p{Cc}]/u.test(token) ||
      (token.includes(">") && (token !== ">" || i !== tokens.length - 1)) ||
      (token.includes("*") && token !== "*"),
  );
  if (bad) throw new OptionValueError("expects a subject such as logs.checkout, logs.* or logs.>");
  return raw;
};

export function tailCommand(): Command {
  const command = new Command(NAME)
    .description(
      "Read the log entries that shipper-server stored in a NATS JetStream stream: print them, or count them.",
    )
    .helpOption("-h, --help", "show this help")
    .allowExcessArguments(false);
  addOption(command, {
    flags: "-s, --server <url>",
    description: "NATS servers: nats://HOST:PORT[,HOST:PORT...]",
    env: "NATS_URL",
    defaultValue: natsUrl(DEFAULT_NATS_URL),
    defaultDescription: DEFAULT_NATS_URL,
    parse: natsUrl,
  });
  addOption(command, {
    flags: "--stream <name>",
    description: "JetStream stream to read",
    env: "NATS_STREAM",
    defaultValue: DEFAULT_STREAM,
    parse: streamName,
  });
  addOption(command, {
    flags: "--subject <filter>",
    description: "read only these subjects, e.g. logs.checkout or logs.* (default: all)",
    env: "TAIL_SUBJECT",
    parse: subjectFilter,
  });
  addOption(command, {
    flags: "--count",
    description:
      "print only the totals, one JSON line: entries, per service, duplicates by message id",
    env: "TAIL_COUNT",
  });
  addOption(command, {
    flags: "--follow",
    description: "after the stored entries, go on with new ones until SIGINT or SIGTERM",
    env: "TAIL_FOLLOW",
  });
  addOption(command, {
    flags: "--timeout <seconds>",
    description: "connecting, and each JetStream request",
    env: "TAIL_TIMEOUT",
    defaultValue: DEFAULT_TIMEOUT_S,
    parse: decimal(0.001, 3600),
  });
  addCredentialOptions(command);
  addVersionOption(command);
  return command;
}

function addCredentialOptions(command: Command): void {
  const options = [
    ["--nats-creds <file>", "NATS credentials file", "NATS_CREDS"],
    [
      "--nats-token-file <file>",
      "file holding the NATS token (or env NATS_TOKEN)",
      "NATS_TOKEN_FILE",
    ],
    [
      "--nats-user <name>",
      "NATS user, with --nats-password-file or env NATS_PASSWORD",
      "NATS_USER",
    ],
    ["--nats-password-file <file>", "file holding the NATS user's password", "NATS_PASSWORD_FILE"],
  ] as const;
  for (const [flags, description, env] of options) {
    addOption(command, { flags, description, env, parse: nonEmpty });
  }
}

/** Parses argv and env into a frozen config, or the exit code when parsing ends the run. */
export function parseTailArgs(argv: readonly string[], env: Env, io: CliIO): TailConfig | number {
  const command = tailCommand();
  const code = parseArgs(command, argv, env, io);
  if (code !== undefined) return code;
  const raw = command.opts<RawOptions>();
  let credentials: NatsSinkOptions["credentials"];
  try {
    credentials = natsCredentials((key) => command.getOptionValue(camel(key)), env);
  } catch (error) {
    io.stderr.write(
      `${NAME}: error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`,
    );
    return EXIT_USAGE;
  }
  return Object.freeze({
    servers: Object.freeze([...raw.server]),
    stream: raw.stream,
    subject: raw.subject,
    count: raw.count ?? false,
    follow: raw.follow ?? false,
    timeoutMs: Math.round(raw.timeout * 1000),
    credentials,
  });
}

/** `nats-token-file` as commander keys it: `natsTokenFile`. */
function camel(key: string): string {
  return key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
