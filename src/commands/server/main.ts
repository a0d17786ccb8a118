/**
 * `shipper-server`'s entry: the V8 settings first (shared/v8-tuning.ts), then
 * the command itself (serve.ts) loads and runs. Loading the command's modules
 * before the settings would grow V8's young generation past what the
 * settings keep, and nothing shrinks it back.
 */
import type { CliIO } from "../shared/io.js";
import { applyV8Tuning } from "../shared/v8-tuning.js";
import type { Env } from "./options.js";

export async function main(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  applyV8Tuning();
  const { runServer } = await import("./serve.js");
  return runServer(argv, env, io);
}
