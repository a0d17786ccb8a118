#!/usr/bin/env node
// V8 settings that keep the server's memory down (dist/commands/shared/v8-tuning.js),
// made before the command loads so that none of it runs before them.
const { applyV8Tuning } = await import("../dist/commands/shared/v8-tuning.js");
applyV8Tuning();

const { main } = await import("../dist/commands/server/main.js");
const { processIO } = await import("../dist/commands/shared/io.js");

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
