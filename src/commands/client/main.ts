/**
 * `shipper-client`'s entry: the V8 settings first (shared/v8-tuning.ts), then
 * the command itself (run.ts) loads and runs. Loading the command's modules
 * before the settings would grow V8's young generation past what the
 * settings keep, and nothing shrinks it back.
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
  const { runClient } = await import("./run.js");
  return runClient(argv, env, io, deps);
}
