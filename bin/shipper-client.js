#!/usr/bin/env node
// V8 settings that keep the client's memory down (dist/cli/v8-tuning.js), made
// before the command loads so that none of it runs before them.
const { applyV8Tuning } = await import("../dist/cli/v8-tuning.js");
applyV8Tuning();

const { main } = await import("../dist/cli/client.js");
const { processIO } = await import("../dist/cli/io.js");

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
