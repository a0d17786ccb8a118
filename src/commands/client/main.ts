/**
 * `shipper-client`'s entry: the options are read first (config.ts), and only
 * a run that goes on loads the rest of the command (run.ts): `--help`,
 * `--version` and a usage error load no more than the options need. The V8
 * settings (shared/v8-tuning.ts) are made once the input turns out to be a
 * stream (stream-tuning.ts).
 */
import type { CliIO } from "../shared/io.js";
import type { ClientDeps } from "./run.js";

export type { ClientDeps } from "./run.js";

export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIO,
  deps: Partial<ClientDeps> = {},
): Promise<number> {
  const { resolveClient } = await import("./config.js");
  const resolved = await resolveClient(argv, env, io, deps.readConfigText);
  if (typeof resolved === "number") return resolved;
  const { runResolved } = await import("./run.js");
  return runResolved(resolved, io, deps);
}
