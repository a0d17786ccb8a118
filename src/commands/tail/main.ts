/** `shipper-tail`'s entry: the command itself loads and runs (run.ts). */
import type { CliIO } from "../shared/io.js";
import type { Env } from "./options.js";

export async function main(argv: readonly string[], env: Env, io: CliIO): Promise<number> {
  const { runTail } = await import("./run.js");
  return runTail(argv, env, io);
}
