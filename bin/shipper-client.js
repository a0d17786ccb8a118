#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";

// V8 grows its young generation to 16 MiB semi-spaces under the client's
// steady allocation: about 50 MiB more resident memory, no faster. Unless a
// semi-space flag was given, it stays at its initial 1 MiB semi-spaces.
// (--max-semi-space-size works only at start; the growth factor is read at
// each growth.) The command is loaded after, so none of it runs before.
const given = `${process.env.NODE_OPTIONS ?? ""} ${process.execArgv.join(" ")}`;
if (!/semi[-_]space/.test(given)) {
  setFlagsFromString("--semi-space-growth-factor=1");
  // Starting a worker (the compression thread) resets the flag for the whole process.
  process.on("worker", (worker) =>
    worker.once("online", () => setFlagsFromString("--semi-space-growth-factor=1")),
  );
}

const { main } = await import("../dist/cli/client.js");
const { processIO } = await import("../dist/cli/io.js");

process.exitCode = await main(process.argv.slice(2), process.env, processIO());
