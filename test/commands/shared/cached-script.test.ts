import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CachedScript } from "../../../src/commands/shared/cached-script.js";

const BODY = [
  '"use strict";',
  "// load 000000",
  "const { basename } = require('node:path');",
  "exports.name = basename(__filename);",
  "exports.sum = (...xs) => xs.reduce((a, b) => a + b, 0);",
  "module.exports.twice = (n) => exports.sum(n, n);",
].join("\n");

/** The file as scripts/bundle.mjs writes a bundle: the module's function. */
const wrap = (body: string) =>
  `(function (exports, require, module, __filename, __dirname) {${body}\n})`;

let dir: string;
let file: string;
let cache: string;
const require = createRequire(import.meta.url);

interface Fixture {
  readonly name: string;
  readonly sum: (...xs: number[]) => number;
  readonly twice: (n: number) => number;
}

/**
 * V8 keeps what it compiled in this process and hands it back for the same
 * source without looking at a cache: each load changes a comment of the
 * file, keeping its length (V8's check of a cache against its source).
 */
let loads = 0;

function load(useCache = true): { script: CachedScript; exports: Fixture } {
  loads += 1;
  const text = readFileSync(file, "utf8").replace(
    /\/\/ load \d+/,
    `// load ${String(loads).padStart(6, "0")}`,
  );
  writeFileSync(file, text);
  const script = new CachedScript(file, cache, useCache);
  const exports = script.run(require) as Fixture;
  expect(exports.name).toBe("fixture.cjs");
  expect(exports.twice(21)).toBe(42);
  return { script, exports };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cached-script-"));
  file = join(dir, "fixture.cjs");
  cache = join(dir, "fixture.code-cache");
  writeFileSync(file, `// fixture bundle 0123456789abcdef0123456789abcdef\n${wrap(BODY)}`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("CachedScript", () => {
  it("runs the file's function as Node runs a module: exports, module, require, __filename", () => {
    expect(load().script.state).toBe("missing");
  });

  it("writes a cache that the next load uses", () => {
    expect(load().script.writeCache()).toBe(true);
    expect(
      readFileSync(cache, "latin1").startsWith(readFileSync(file, "latin1").split("\n")[0] ?? "?"),
    ).toBe(true);
    expect(load().script.state).toBe("used");
    expect(readdirSync(dir).sort()).toEqual(["fixture.cjs", "fixture.code-cache"]);
  });

  it("does not read the cache when told not to", () => {
    load().script.writeCache();
    expect(load(false).script.state).toBe("missing");
  });

  it("rejects a cache whose data is damaged, and runs the file all the same", () => {
    load().script.writeCache();
    const damaged = readFileSync(cache);
    damaged.fill(0x5a, damaged.length - 24);
    writeFileSync(cache, damaged);
    expect(load().script.state).toBe("rejected");
  });

  it("rejects a cache of another build of the file", () => {
    load().script.writeCache();
    const other = readFileSync(cache, "latin1").replace("0123456789abcdef", "fedcba9876543210");
    writeFileSync(cache, other, "latin1");
    expect(load().script.state).toBe("rejected");
  });

  it("rejects a cache cut short, or empty past its id line", () => {
    load().script.writeCache();
    const whole = readFileSync(cache);
    writeFileSync(cache, whole.subarray(0, whole.length >> 1));
    expect(load().script.state).toBe("rejected");
    writeFileSync(cache, whole.subarray(0, whole.indexOf("\n") + 1));
    expect(load().script.state).toBe("rejected");
  });

  it("neither reads nor writes a cache for a file without an id line", () => {
    writeFileSync(file, wrap(BODY));
    const { script } = load();
    expect(script.writeCache()).toBe(false);
    expect(readdirSync(dir)).toEqual(["fixture.cjs"]);
  });

  it("writes nothing, and leaves no temporary file, where it cannot write", () => {
    cache = join(dir, "missing-dir", "fixture.code-cache");
    const { script } = load();
    expect(script.writeCache()).toBe(false);
    expect(readdirSync(dir)).toEqual(["fixture.cjs"]);
  });

  it("throws when the file itself cannot be read", () => {
    file = join(dir, "absent.cjs");
    expect(() => new CachedScript(file, cache)).toThrow(/ENOENT/);
  });
});
