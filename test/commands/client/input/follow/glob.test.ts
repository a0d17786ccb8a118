import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  compileGlob,
  expandGlob,
  hasWildcard,
  segmentRegExp,
} from "../../../../../src/commands/client/input/follow/glob.js";

describe("segmentRegExp", () => {
  const rows: [string, string, boolean][] = [
    ["*.log", "app.log", true],
    ["*.log", "app.log.1", false],
    ["*.log", ".hidden.log", false],
    ["app.log*", "app.log.1", true],
    ["app.log*", "app.log", true],
    ["app?.log", "app1.log", true],
    ["app?.log", "app12.log", false],
    ["app.[0-9]", "app.7", true],
    ["app.[0-9]", "app.x", false],
    ["app.[!0-9]", "app.x", true],
    ["app.[!0-9]", "app.7", false],
    ["a+b(c).log", "a+b(c).log", true],
    ["a.log", "aXlog", false],
    ["[unclosed", "[unclosed", true],
  ];
  it.each(rows)("%s against %s: %s", (pattern, name, expected) => {
    expect(segmentRegExp(pattern).test(name)).toBe(expected);
  });

  it("a pattern without wildcards matches only itself, whatever its characters", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !hasWildcard(s) && !s.includes("/")),
        (name) => {
          expect(segmentRegExp(name).test(name)).toBe(true);
          expect(segmentRegExp(name).test(`${name}x`)).toBe(false);
        },
      ),
    );
  });
});

describe("compileGlob", () => {
  it("keeps a literal path whole, relative to cwd", () => {
    expect(compileGlob("logs/app.log", "/srv")).toEqual({
      pattern: "logs/app.log",
      base: "/srv/logs/app.log",
      segments: [],
    });
  });

  it("starts the walk at the last literal directory", () => {
    const glob = compileGlob("/var/log/**/*.log");
    expect(glob.base).toBe("/var/log");
    expect(glob.segments.map((s) => s.kind)).toEqual(["any-depth", "wildcard"]);
  });

  it("a trailing ** means every file below", () => {
    expect(compileGlob("/var/log/**").segments.map((s) => s.kind)).toEqual([
      "any-depth",
      "wildcard",
    ]);
  });
});

describe("expandGlob", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "glob-"));
    for (const path of [
      "a.log",
      "b.log",
      "a.log.1",
      ".h.log",
      "x/c.log",
      "x/y/d.log",
      "x/y/e.txt",
    ]) {
      await mkdir(join(dir, path, ".."), { recursive: true });
      await writeFile(join(dir, path), "");
    }
    await symlink(join(dir, "x"), join(dir, "loop"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const names = async (pattern: string) =>
    (await expandGlob(compileGlob(pattern, dir))).map((path) => path.slice(dir.length + 1));

  it("lists the files a pattern matches, sorted", async () => {
    expect(await names("*.log")).toEqual(["a.log", "b.log"]);
    expect(await names("a.log*")).toEqual(["a.log", "a.log.1"]);
    expect(await names("*/*.log")).toEqual(["loop/c.log", "x/c.log"]);
  });

  it("** descends directories, not through symbolic links", async () => {
    expect(await names("**/*.log")).toEqual(["a.log", "b.log", "x/c.log", "x/y/d.log"]);
    expect(await names("x/**")).toEqual(["x/c.log", "x/y/d.log", "x/y/e.txt"]);
  });

  it("a literal path is returned whether it exists or not; a missing directory lists nothing", async () => {
    expect(await names("missing.log")).toEqual(["missing.log"]);
    expect(await names("nowhere/*.log")).toEqual([]);
  });
});
