#!/usr/bin/env node
/**
 * Bundles the compiled client command (dist/commands/client/command.js) into
 * one CommonJS file, dist/bundle/client/shipper-client.cjs (written as the
 * function Node wraps a module in, for load.ts to compile), and its
 * compression thread's program (dist/client/split-worker.js) into
 * split-worker.cjs beside it, then writes the bundle's V8 code cache
 * (src/commands/client/load.ts). bin/shipper-client.cjs compiles the bundle
 * with that cache: loading one precompiled file instead of the hundred-odd
 * modules it is made of takes most of the command's start-up time off.
 * Modules loaded with import() (the run, metrics, following files) stay
 * inside the bundle, evaluated when a run first needs them; prom-client
 * stays a require of the installed package. Run after tsc (`npm run build`,
 * scripts/build.mjs); bin/ falls back to dist/ when there is no bundle.
 *
 * It also bundles the package's entry points for programs, `udp-log-shipper`
 * (dist/index.js) and `udp-log-shipper/pino` (dist/node/pino.js), into
 * dist/bundle/node/index.mjs and pino.mjs, the files package.json exports:
 * one ES module each of this package's code, its dependencies left as
 * imports of the installed packages, with the worker threads' programs
 * beside them. An app, or the worker pino starts a transport on, then loads
 * one file instead of the modules it is made of.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Three directories below the root, as dist/commands/shared/ is: the bundled
// --version reads ../../../package.json (commands/shared/version.ts).
const outdir = join(root, "dist", "bundle", "client");
const bundle = join(outdir, "shipper-client.cjs");
const nodeOutdir = join(root, "dist", "bundle", "node");

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

/**
 * A CommonJS bundle runs without an ESM loader (src/commands/shared/cached-script.ts
 * compiles it through node:vm): import() of Node's own modules becomes a require,
 * made when the import() runs.
 */
const requireDynamicBuiltins = {
  name: "require-dynamic-builtins",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === "dynamic-import"
        ? { path: args.path, namespace: "dynamic-builtin" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "dynamic-builtin" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  target: "node20",
  outdir,
  external: ["prom-client", "@nats-io/*"],
  // Without white space and comments the bundle is about 40 % smaller, and
  // ASCII throughout (a comment's one "…" makes V8 hold the whole source as
  // two-byte text): both take time off reading and compiling it. Names are
  // kept, for stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: "ascii",
  logLevel: "warning",
};

rmSync(outdir, { recursive: true, force: true });
rmSync(nodeOutdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { "shipper-client": "dist/commands/client/command.js" },
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  plugins: [lazyChildProcess, requireDynamicBuiltins],
  // The bundle runs as a CommonJS function (load.ts): import.meta.url, which
  // finds package.json, the compression thread's program and require's base,
  // is the bundle's own URL.
  define: { "import.meta.url": "__bundleUrl" },
  // "use strict" first, as esbuild's own would be without the banner: the
  // modules stay strict, as ES modules are.
  banner: {
    js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
});
// What bin/ loads first (src/commands/client/load.ts), CommonJS too.
await build({
  ...common,
  entryPoints: { load: "dist/commands/client/load.js" },
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  define: { "import.meta.url": "__bundleUrl" },
  banner: {
    js: '"use strict";\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;',
  },
});
// CommonJS too: a worker whose program is an ES module starts Node's ES
// module loader first, which the compression thread's start then waits for.
await build({
  ...common,
  entryPoints: { "split-worker": "dist/client/split-worker.js" },
  format: "cjs",
  outExtension: { ".js": ".cjs" },
});

// The entry points for programs. Not minified: a program's stack traces
// through them stay readable. Every dependency is the installed package's.
const nodeCommon = {
  ...common,
  outdir: nodeOutdir,
  packages: "external",
  minifyWhitespace: false,
  minifySyntax: false,
};
await build({
  ...nodeCommon,
  entryPoints: { index: "dist/index.js", pino: "dist/node/pino.js" },
  format: "esm",
  outExtension: { ".js": ".mjs" },
});
// The worker programs, where split-thread.ts and worker-pool.ts look for
// them: beside the module that starts them.
await build({
  ...nodeCommon,
  entryPoints: { "split-worker": "dist/client/split-worker.js" },
  format: "cjs",
  outExtension: { ".js": ".cjs" },
});
await build({
  ...nodeCommon,
  entryPoints: { "decode-worker": "dist/server/workers/decode-worker.js" },
  format: "esm",
});

// The first line names this build of the bundle; its code cache carries the
// same name, and a cache of any other build is not used. The rest is the
// function Node would wrap the module in, which load.ts compiles as it is.
const text = readFileSync(bundle, "utf8");
if (/\bimport\(/.test(text)) throw new Error(`${bundle}: import() left in a CommonJS bundle`);
if (/[^\0-\x7f]/.test(text)) throw new Error(`${bundle}: not ASCII`);
const id = createHash("sha256").update(text).digest("hex").slice(0, 32);
writeFileSync(
  bundle,
  `// shipper-client bundle ${id}\n(function (exports, require, module, __filename, __dirname) {${text}\n})`,
);

// The cache is written by a process with Node's defaults (no NODE_OPTIONS),
// as the command runs for most users; a process whose V8 flags differ
// compiles the bundle itself (and refreshes the cache when it may).
const env = { ...process.env };
delete env.NODE_OPTIONS;
const load = join(outdir, "load.cjs");
const warm = spawnSync(
  process.execPath,
  ["-e", `require(${JSON.stringify(load)}).writeCodeCache()`],
  { cwd: root, env, stdio: "inherit" },
);
if (warm.status !== 0) {
  process.stderr.write("bundle: no code cache written; the command compiles its bundle at start\n");
}
