/**
 * `shipper-client`'s entry: the V8 settings first (shared/v8-tuning.ts), then
 * the options are read (config.ts), and only a run that goes on loads the
 * rest of the command (run.ts): `--help`, `--version` and a usage error load
 * no more than the options need. Loading the command's modules before the
 * settings would grow V8's young generation past what the settings keep, and
 * nothing shrinks it back.
 */
import type { CliIO } from "../shared/io.js";
import { applyV8Tuning } from "../shared/v8-tuning.js";
import type { ClientDeps } from "./run.js";

export type { ClientDeps } from "./run.js";

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  deps: Partial<ClientDeps> = {},
): Promise<number> {
  applyV8Tuning();
  const { resolveClient } = await import("./config.js");
  const resolved = await resolveClient(argv, env, io, deps.readConfigText);
  if (typeof resolved === "number") return resolved;
  const { runResolved } = await import("./run.js");
  return runResolved(resolved, io, deps);
}
