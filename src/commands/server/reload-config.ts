/**
 * SIGHUP with `--config`: argv, env and the config file read again into the
 * outputs' settings, without a word on stderr (the caller says one line).
 */
import { Writable } from "node:stream";
import type { CliIO } from "../shared/io.js";
import { parseArgs } from "../shared/options.js";
import { type Env, serverCommand } from "./options.js";
import { type OutputsConfig, resolveOutputs } from "./outputs-options.js";

/** SIGHUP: the outputs as argv, env and the config file say now; a text says why not. */
export function reloadOutputsConfig(argv: readonly string[], env: Env): OutputsConfig | string {
  const said: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      said.push(String(chunk).trim());
      done();
    },
  });
  const io = { stdout: sink, stderr: sink } as unknown as CliIO;
  const command = serverCommand();
  if (parseArgs(command, argv, env, io) !== undefined) return said.join(" ");
  try {
    return resolveOutputs(command, env);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
