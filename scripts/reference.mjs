#!/usr/bin/env node
/**
 * Writes the commands' man pages (man/) and shell completions (completions/)
 * from the compiled option definitions in dist/, so they never disagree
 * with `--help`. Run by scripts/build.mjs after compiling.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const load = (path) => import(pathToFileURL(join(root, "dist", path)).href);

const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const { manPage, bashCompletion, zshCompletion } = await load("commands/shared/reference.js");
const { PAGE_TEXT } = await load("commands/shared/reference-pages.js");
const { serverCommand } = await load("commands/server/options.js");
const { clientCommand } = await load("commands/client/options.js");
const { tailCommand } = await load("commands/tail/options.js");

// The release month, from SOURCE_DATE_EPOCH when set, so builds are reproducible.
const epoch = process.env.SOURCE_DATE_EPOCH;
const when = epoch === undefined ? new Date() : new Date(Number(epoch) * 1000);
const date = when.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

mkdirSync(join(root, "man"), { recursive: true });
mkdirSync(join(root, "completions"), { recursive: true });
for (const command of [serverCommand(), clientCommand(), tailCommand()]) {
  const name = command.name();
  const text = { ...PAGE_TEXT[name], version, date };
  writeFileSync(join(root, "man", `${name}.1`), manPage(command, text));
  writeFileSync(join(root, "completions", `${name}.bash`), bashCompletion(command));
  writeFileSync(join(root, "completions", `_${name}`), zshCompletion(command));
}
