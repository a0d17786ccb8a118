#!/usr/bin/env node
/**
 * Compiles src/ into dist/, bundles the client command (scripts/bundle.mjs),
 * then writes the man pages and completions from
 * it (scripts/reference.mjs), for `prepare` (npm install, npm install -g from a
 * clone) and `prepack` (npm pack, npm publish). npm runs `prepare` of a
 * folder or git install before it has installed the folder's dev
 * dependencies, so the compiler may be missing: it is then installed into
 * this folder first (dev dependencies, from the lockfile, scripts off), once.
 * Plain JavaScript on purpose: it has to run before anything is compiled.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** The settings of the npm that runs this script that a project install must not inherit. */
const KEEP_NPM_CONFIG =
  /^npm_config_(cache|registry|userconfig|globalconfig|(https?_)?proxy|noproxy|strict_ssl|cafile|offline|prefer_offline)$/i;

function ownEnv() {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (/^npm_config_/i.test(name) && !KEEP_NPM_CONFIG.test(name)) delete env[name];
  }
  return env;
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env });
  if (result.error !== undefined) {
    process.stderr.write(`build: cannot run ${command}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(tsc)) {
  process.stderr.write("build: the TypeScript compiler is missing; installing dev dependencies\n");
  const npm = process.env.npm_execpath;
  const [command, prefix] = npm?.endsWith(".js") ? [process.execPath, [npm]] : ["npm", []];
  run(
    command,
    [
      ...prefix,
      "install",
      "--include=dev",
      "--ignore-scripts",
      "--no-save",
      "--no-audit",
      "--no-fund",
    ],
    ownEnv(),
  );
}
run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);
run(process.execPath, [join(root, "scripts", "bundle.mjs")]);
run(process.execPath, [join(root, "scripts", "reference.mjs")]);
