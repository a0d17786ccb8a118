/**
 * `npm pack` then a global install of the tarball into a scratch prefix puts
 * both commands on PATH, and they run from there (no tsx, no dev
 * dependencies, nothing from this checkout).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

describe("npm install -g of the packed package", () => {
  let scratch = "";
  let binDir = "";

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "shipper-install-"));
    // --ignore-scripts packs dist/ as the global setup built it: `prepare` would rebuild it
    // while other test files are running the commands from it.
    const pack = ["pack", "--silent", "--ignore-scripts", "--pack-destination", scratch];
    const { stdout } = await run(npm, pack, { cwd: root });
    const tarball = join(scratch, stdout.trim().split("\n").at(-1) ?? "");
    const prefix = join(scratch, "prefix");
    await run(
      npm,
      ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
      { cwd: scratch },
    );
    binDir = join(prefix, "bin");
  }, 180_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it.each(["shipper-server", "shipper-client"])("puts %s on PATH", async (name) => {
    const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` };
    const { stdout } = await run(name, ["--help"], { env, cwd: scratch });
    expect(stdout).toContain(`Usage: ${name}`);
    expect(stdout).toMatch(/\(env: [A-Z_]+\)/);
  });

  it.each(["shipper-server", "shipper-client"])(
    "%s --version reads the installed package.json",
    async (name) => {
      const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` };
      const { stdout } = await run(name, ["--version"], { env, cwd: scratch });
      const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
        version: string;
      };
      expect(stdout).toBe(`${pkg.version}\n`);
    },
  );

  it("runs the installed server far enough to reject a bad option with exit 2", async () => {
    const env = { ...process.env, PATH: `${binDir}:${process.env.PATH ?? ""}` };
    const error = await run("shipper-server", ["--port", "99999"], { env, cwd: scratch }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).toContain("--port");
  });
});
