#!/usr/bin/env node
import { processIO } from "../dist/cli/io.js";
import { main } from "../dist/cli/server.js";

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
