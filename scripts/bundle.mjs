#!/usr/bin/env node
/**
 * Bundles the compiled client command (dist/commands/client/command.js) and
 * its compression thread's program (dist/client/split-worker.js) into
 * dist/bundle/client/, for bin/shipper-client.js: loading one file instead of the
 * hundred-odd modules it imports takes most of the command's start-up time
 * off. Modules loaded with import() (the run, metrics, following files) stay
 * chunks of their own, loaded when a run needs them. prom-client stays an
 * import of the installed package. Run after tsc (`npm run build`,
 * scripts/build.mjs); bin/ falls back to dist/ when there is no bundle.
 */
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Three directories below the root, as dist/commands/shared/ is: the bundled
// --version reads ../../../package.json (commands/shared/version.ts).
const outdir = join(root, "dist", "bundle", "client");

/**
 * commander requires node:child_process at load, for subcommands run as
 * programs of their own, which these commands do not have; loading it (and
 * node:net and node:dgram with it) is most of what `--help` costs past
 * Node's own start. Here commander gets it when it first uses it.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer)
        ? { path: "child_process", namespace: "lazy-child-process" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: [
        "let loaded;",
        'const load = () => (loaded ??= require("node:child_process"));',
        "module.exports = new Proxy({}, { get: (_, key) => load()[key] });",
      ].join("\n"),
      loader: "js",
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    "shipper-client": "dist/commands/client/command.js",
    "split-worker": "dist/client/split-worker.js",
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir,
  chunkNames: "chunk-[hash]",
  external: ["prom-client", "@nats-io/*"],
  plugins: [lazyChildProcess],
  // commander is CommonJS: its require() of node: modules needs a require here.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
  logLevel: "warning",
});
