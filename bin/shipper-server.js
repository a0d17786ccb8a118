#!/usr/bin/env node
import { main } from "../dist/commands/server/main.js";
import { processIO } from "../dist/commands/shared/io.js";

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
