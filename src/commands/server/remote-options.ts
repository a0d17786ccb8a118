/**
 * The settings of the HTTP and NATS outputs, as flags (each with its env
 * variable) and as the validated, frozen HttpSinkOptions / NatsSinkOptions
 * the sinks are built from. Secrets are read from files (`@/path` header
 * values, `--nats-creds`, `--nats-token-file`, `--nats-password-file`) or the
 * environment (NATS_TOKEN, NATS_PASSWORD), never from a flag's value.
 */
import type { Command } from "commander";
import { compileSubject } from "../../server/outputs/nats-subject.js";
import { DEFAULT_NATS_MODE } from "../../server/outputs/remote-sinks.js";
import type {
  HttpFormat,
  HttpSinkOptions,
  NatsMode,
  NatsSinkOptions,
} from "../../server/outputs/sink-options.js";
import {
  addOption,
  decimal,
  integer,
  nonEmpty,
  OptionValueError,
  oneOf,
  type Parser,
} from "../shared/options.js";
import { natsCredentials, secretFile } from "./remote-secrets.js";

export const REMOTE_SETTING_KEYS: readonly string[] = [
  "http-format",
  "http-header",
  "http-timeout",
  "http-ca",
  "nats-stream",
  "nats-subject",
  "nats-no-create",
  "nats-replicas",
  "nats-mode",
  "nats-timeout",
  "nats-creds",
  "nats-token-file",
  "nats-user",
  "nats-password-file",
];

export const DEFAULT_HTTP_TIMEOUT_S = 10;
export const DEFAULT_NATS_TIMEOUT_S = 10;
export const DEFAULT_NATS_STREAM = "LOGS";
export const DEFAULT_NATS_SUBJECT = "logs.{service}";

/** `Name: value`; the value may be `@/path`, read when the output is built. */
const header: Parser<readonly [string, string]> = (raw) => {
  const colon = raw.indexOf(":");
  const name = raw.slice(0, Math.max(0, colon)).trim();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new OptionValueError("expects 'Name: value' (a value of @/path reads it from that file)");
  }
  return [name, raw.slice(colon + 1).trim()];
};

/** A subject template, checked as the sink will compile it. */
const subjectTemplate: Parser<string> = (raw) => {
  try {
    compileSubject(raw);
  } catch (error) {
    throw new OptionValueError(error instanceof Error ? error.message : String(error));
  }
  return raw;
};

const streamName: Parser<string> = (raw) => {
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(raw)) {
    throw new OptionValueError("expects a stream name of letters, digits, _ and -");
  }
  return raw;
};

function addHttpOptions(command: Command): void {
  addOption(command, {
    flags: "--http-format <format>",
    description: "body of an HTTP output's POST: json-array, ndjson or otlp (default json-array)",
    env: "HTTP_FORMAT",
    parse: oneOf<HttpFormat>(["json-array", "ndjson", "otlp"]),
  });
  addOption(command, {
    flags: "--http-header <header>",
    description:
      "'Name: value' sent with every POST, repeatable; a value @/path is read from that file",
    env: "HTTP_HEADERS",
    repeatable: true,
    envSeparator: "\n",
    parse: header,
  });
  addOption(command, {
    flags: "--http-timeout <seconds>",
    description: `one POST, connect to answer (default ${DEFAULT_HTTP_TIMEOUT_S})`,
    env: "HTTP_TIMEOUT",
    parse: decimal(0.001, 3600),
  });
  addOption(command, {
    flags: "--http-ca <file>",
    description:
      "PEM certificates an https output's server may be signed by, instead of Node's own",
    env: "HTTP_CA",
    parse: nonEmpty,
  });
}

function addNatsOptions(command: Command): void {
  const options = [
    [
      "--nats-stream <name>",
      `JetStream stream (default ${DEFAULT_NATS_STREAM})`,
      "NATS_STREAM",
      streamName,
    ],
    [
      "--nats-subject <template>",
      `subject template on the entry's fields (default ${DEFAULT_NATS_SUBJECT})`,
      "NATS_SUBJECT",
      subjectTemplate,
    ],
    [
      "--nats-replicas <n>",
      "replicas of a stream the server creates (default 1)",
      "NATS_REPLICAS",
      integer(1, 5),
    ],
    [
      "--nats-mode <mode>",
      `entry: one JetStream message per entry; batch: one NDJSON message per protocol message, one per entry for a message of several subjects or past max_payload (default ${DEFAULT_NATS_MODE})`,
      "NATS_MODE",
      oneOf<NatsMode>(["entry", "batch"]),
    ],
    [
      "--nats-timeout <seconds>",
      `one publish, until acknowledged (default ${DEFAULT_NATS_TIMEOUT_S})`,
      "NATS_TIMEOUT",
      decimal(0.001, 3600),
    ],
    ["--nats-creds <file>", "NATS credentials file", "NATS_CREDS", nonEmpty],
    [
      "--nats-token-file <file>",
      "file holding the NATS token (or env NATS_TOKEN)",
      "NATS_TOKEN_FILE",
      nonEmpty,
    ],
    [
      "--nats-user <name>",
      "NATS user, with --nats-password-file or env NATS_PASSWORD",
      "NATS_USER",
      nonEmpty,
    ],
    [
      "--nats-password-file <file>",
      "file holding the NATS user's password",
      "NATS_PASSWORD_FILE",
      nonEmpty,
    ],
  ] as const;
  for (const [flags, description, env, parse] of options) {
    addOption<unknown>(command, { flags, description, env, parse: parse as Parser<unknown> });
  }
  addOption(command, {
    flags: "--nats-no-create",
    description: "do not create the stream when it is missing",
    env: "NATS_NO_CREATE",
  });
}

export function addRemoteOptions(command: Command): void {
  addHttpOptions(command);
  addNatsOptions(command);
}

/** An output's resolved value of a setting (flag name without `--`). */
export type Lookup = (key: string) => unknown;

const seconds = (value: unknown, fallback: number) =>
  Math.round((typeof value === "number" ? value : fallback) * 1000);

export function httpSinkOptions(url: string, get: Lookup): HttpSinkOptions {
  const ca = get("http-ca") as string | undefined;
  const headers = ((get("http-header") as (readonly [string, string])[] | undefined) ?? []).map(
    ([name, value]) =>
      Object.freeze([
        name,
        value.startsWith("@") ? secretFile("--http-header", value.slice(1)) : value,
      ] as const),
  );
  return Object.freeze({
    url,
    format: (get("http-format") as HttpFormat | undefined) ?? "json-array",
    headers: Object.freeze(headers),
    timeoutMs: seconds(get("http-timeout"), DEFAULT_HTTP_TIMEOUT_S),
    ...(ca === undefined ? {} : { ca: secretFile("--http-ca", ca) }),
  });
}

export function natsSinkOptions(
  servers: readonly string[],
  get: Lookup,
  env: Readonly<Record<string, string | undefined>>,
): NatsSinkOptions {
  const credentials = natsCredentials(get, env);
  return Object.freeze({
    servers: Object.freeze([...servers]),
    stream: (get("nats-stream") as string | undefined) ?? DEFAULT_NATS_STREAM,
    createStream: get("nats-no-create") !== true,
    replicas: (get("nats-replicas") as number | undefined) ?? 1,
    subject: (get("nats-subject") as string | undefined) ?? DEFAULT_NATS_SUBJECT,
    mode: (get("nats-mode") as NatsMode | undefined) ?? DEFAULT_NATS_MODE,
    timeoutMs: seconds(get("nats-timeout"), DEFAULT_NATS_TIMEOUT_S),
    ...(credentials === undefined ? {} : { credentials }),
  });
}
