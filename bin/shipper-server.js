#!/usr/bin/env node
// V8 settings that keep the server's memory down (dist/cli/v8-tuning.js), made
// before the command loads so that none of it runs before them.
const { applyV8Tuning } = await import("../dist/cli/v8-tuning.js");
applyV8Tuning();

const { processIO } = await import("../dist/cli/io.js");
const { main } = await import("../dist/cli/server.js");

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
