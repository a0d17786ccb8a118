/**
 * The secrets of the remote outputs: read from files (`@/path` header values,
 * `--nats-creds`, `--nats-token-file`, `--nats-password-file`) or the
 * environment (NATS_TOKEN, NATS_PASSWORD), never from a flag's value.
 */
import { readFileSync } from "node:fs";
import type { NatsSinkOptions } from "../../server/outputs/sink-options.js";
import { UsageError } from "../shared/options.js";
import type { Lookup } from "./remote-options.js";

/** The trimmed text of a secret's file; a UsageError naming the option when it cannot be read. */
export function secretFile(option: string, path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UsageError(`option '${option}': cannot read ${path}: ${why}`);
  }
}

type Credentials = NatsSinkOptions["credentials"];

export function natsCredentials(
  get: Lookup,
  env: Readonly<Record<string, string | undefined>>,
): Credentials {
  const found: NonNullable<Credentials>[] = [];
  const creds = get("nats-creds") as string | undefined;
  if (creds !== undefined) found.push({ kind: "creds", text: secretFile("--nats-creds", creds) });
  const tokenFile = get("nats-token-file") as string | undefined;
  const token =
    tokenFile === undefined ? env.NATS_TOKEN : secretFile("--nats-token-file", tokenFile);
  if (token !== undefined && token !== "") found.push({ kind: "token", token });
  const user = get("nats-user") as string | undefined;
  const passFile = get("nats-password-file") as string | undefined;
  const pass =
    passFile === undefined ? env.NATS_PASSWORD : secretFile("--nats-password-file", passFile);
  if (user !== undefined) {
    if (pass === undefined)
      throw new UsageError("option '--nats-user' needs --nats-password-file or NATS_PASSWORD");
    found.push({ kind: "user", user, pass });
  }
  if (found.length > 1) {
    throw new UsageError(
      "options '--nats-creds', '--nats-token-file' (NATS_TOKEN) and '--nats-user' are exclusive",
    );
  }
  return found[0];
}
