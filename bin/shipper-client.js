#!/usr/bin/env node
import { existsSync } from "node:fs";

// The build bundles the command into one file (scripts/bundle.mjs), which loads
// much faster than the modules of dist/ it is made of; those are the fallback.
const bundle = new URL("../dist/bundle/client/shipper-client.js", import.meta.url);
const { main, processIO } = await import(
  existsSync(bundle) ? bundle.href : "../dist/commands/client/command.js"
);
process.exitCode = await main(process.argv.slice(2), process.env, processIO());
