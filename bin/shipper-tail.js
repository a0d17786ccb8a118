#!/usr/bin/env node
import { processIO } from "../dist/commands/shared/io.js";
import { main } from "../dist/commands/tail/main.js";

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
