#!/usr/bin/env node
// The command's bundle, compiled with its code cache (src/commands/client/load.ts),
// or the modules of dist/ when there is no bundle.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const loader = "../dist/bundle/client/load.cjs";
const bundled = existsSync(new URL(loader, import.meta.url))
  ? createRequire(import.meta.url)(loader).loadBundledCommand()
  : undefined;
const { main, processIO } = bundled ?? (await import("../dist/commands/client/command.js"));
process.exitCode = await main(process.argv.slice(2), process.env, processIO());
