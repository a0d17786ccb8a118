#!/usr/bin/env node
// The command's bundle compiled with its code cache, or the modules of dist/
// (src/commands/client/load.ts).
import { loadClientCommand } from "../dist/commands/client/load.js";

const { main, processIO } = await loadClientCommand();
process.exitCode = await main(process.argv.slice(2), process.env, processIO());
