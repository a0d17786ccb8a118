#!/usr/bin/env node
import { main } from "../dist/commands/server/main.js";
import { processIO } from "../dist/commands/shared/io.js";

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
// The summary is out and the outputs are closed: a connection still being
// made (a NATS peer that takes the connection and never answers) is not
// waited for.
setTimeout(() => process.exit(), 1000).unref();
