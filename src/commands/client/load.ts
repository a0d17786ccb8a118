/**
 * What bin/shipper-client.js runs first: the V8 settings
 * (shared/v8-tuning.ts), then the command, from its bundle
 * (dist/bundle/client/shipper-client.cjs, made by scripts/bundle.mjs)
 * compiled with the bundle's V8 code cache (shared/cached-script.ts), or,
 * without a bundle, from the modules of dist/. The bundle runs with
 * Node's modules that a run may not need loaded at first use
 * (shared/lazy-builtins.ts).
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { CachedScript } from "../shared/cached-script.js";
import { lazyRequire } from "../shared/lazy-builtins.js";
import { applyV8Tuning } from "../shared/v8-tuning.js";

export type ClientCommand = typeof import("./command.js");

export const BUNDLE = fileURLToPath(
  new URL("../../bundle/client/shipper-client.cjs", import.meta.url),
);
export const CODE_CACHE = BUNDLE.replace(/\.cjs$/, ".code-cache");

export async function loadClientCommand(): Promise<ClientCommand> {
  // The flags first: V8 uses a code cache only under the flags it was made with.
  applyV8Tuning();
  const script = compileBundle();
  if (script === undefined) return import("./command.js");
  // A cache that is missing or unusable is made again from what this run
  // compiled, when the process ends, if the directory can be written to.
  if (script.state !== "used") process.once("exit", () => script.writeCache());
  return runBundle(script);
}

/** Writes the bundle's code cache from `--help` and a short run in this process (scripts/bundle.mjs). */
export async function writeCodeCache(): Promise<void> {
  applyV8Tuning();
  const script = new CachedScript(BUNDLE, CODE_CACHE, false);
  const { warmUp } = await import("./warm-up.js");
  await warmUp(runBundle(script));
  if (!script.writeCache()) throw new Error(`cannot write ${CODE_CACHE}`);
}

/** The bundle compiled; undefined when there is none. */
function compileBundle(): CachedScript | undefined {
  try {
    return new CachedScript(BUNDLE, CODE_CACHE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function runBundle(script: CachedScript): ClientCommand {
  return script.run(lazyRequire(createRequire(BUNDLE))) as ClientCommand;
}
