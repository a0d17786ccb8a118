#!/usr/bin/env node
// shipper-client: the command's bundle, compiled with its code cache
// (src/commands/client/load.ts), or the modules of dist/ when there is no
// bundle. CommonJS, as the bundle is: starting from an ES module would load
// Node's ES module loader first, a noticeable part of a short run.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const loader = join(__dirname, "..", "dist", "bundle", "client", "load.cjs");

async function start() {
  const bundled = existsSync(loader) ? require(loader).loadBundledCommand() : undefined;
  const { main, processIO } = bundled ?? (await import("../dist/commands/client/command.js"));
  process.exitCode = await main(process.argv.slice(2), process.env, processIO());
}

start();
