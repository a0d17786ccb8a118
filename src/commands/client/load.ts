/**
 * What bin/shipper-client.js runs first, bundled on its own into
 * dist/bundle/client/load.cjs: the command from its bundle (dist/bundle/client/shipper-client.cjs, made
 * by scripts/bundle.mjs), compiled with the bundle's V8 code cache
 * (shared/cached-script.ts), with Node's modules that a run may not need
 * loaded at first use (shared/lazy-builtins.ts). Both are CommonJS, so a
 * start loads no ES module past bin/ itself.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { CachedScript } from "../shared/cached-script.js";
import { lazyRequire } from "../shared/lazy-builtins.js";
import { isTuned } from "../shared/v8-tuning.js";

export type ClientCommand = typeof import("./command.js");

/** dist/bundle/client/, from this file in dist/bundle/client/ or dist/commands/client/. */
export const BUNDLE = fileURLToPath(
  new URL("../../bundle/client/shipper-client.cjs", import.meta.url),
);
export const CODE_CACHE = BUNDLE.replace(/\.cjs$/, ".code-cache");

/** The bundled command; undefined when there is no bundle. */
export function loadBundledCommand(): ClientCommand | undefined {
  const script = compileBundle();
  if (script === undefined) return undefined;
  // A cache that is missing or unusable is made again from what this run
  // compiled, when the process ends, if the directory can be written to.
  // V8 uses a cache only under the flags it was made with: not after a run
  // that made the V8 settings (run.ts).
  if (script.state !== "used") {
    process.once("exit", () => {
      if (!isTuned()) script.writeCache();
    });
  }
  return runBundle(script);
}

/** Writes the bundle's code cache from `--help` and a short run in this process (scripts/bundle.mjs). */
export async function writeCodeCache(): Promise<void> {
  const script = new CachedScript(BUNDLE, CODE_CACHE, false);
  const { warmUp } = await import("./warm-up.js");
  await warmUp(runBundle(script));
  if (isTuned()) throw new Error("the warm-up runs made the V8 settings");
  if (!script.writeCache()) throw new Error(`cannot write ${CODE_CACHE}`);
}

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
