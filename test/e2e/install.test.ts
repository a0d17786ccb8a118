/**
 * The README's two ways to install, followed on a fresh clone of the
 * committed tree: `npm install -g --prefix P .` from the clone (npm runs the
 * package's build before it has installed the dev dependencies), then
 * `npm pack` and `npm install -g --prefix Q` of the tarball. Both commands
 * then run from each prefix's bin: `--version`, and ten lines shipped from
 * the installed client to the installed server.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portOf, ROOT } from "../support/process.js";

const run = promisify(execFile);
const npm = "npm";
const version = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
).version;
/** Settings of the npm running the tests that the installs must not inherit. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_(config|lifecycle|package)_/i.test(name)),
);
const quiet = ["--no-audit", "--no-fund", "--prefer-offline"];

async function installFromClone(scratch: string): Promise<{ clone: string; prefix: string }> {
  const clone = join(scratch, "clone");
  await run("git", ["clone", "--quiet", ROOT, clone], { env });
  const prefix = join(scratch, "from-clone");
  await run(npm, ["install", "-g", "--prefix", prefix, ...quiet, "."], { cwd: clone, env });
  return { clone, prefix };
}

async function installPacked(scratch: string, clone: string): Promise<string> {
  const { stdout } = await run(npm, ["pack", "--silent", "--pack-destination", scratch], {
    cwd: clone,
    env,
  });
  const tarball = join(scratch, stdout.trim().split("\n").at(-1) ?? "");
  const prefix = join(scratch, "from-tarball");
  await run(npm, ["install", "-g", "--prefix", prefix, ...quiet, tarball], { cwd: scratch, env });
  return prefix;
}

/** Lines of a stream, kept as they come. */
function linesOf(stream: NodeJS.ReadableStream): string[] {
  const lines: string[] = [];
  createInterface({ input: stream }).on("line", (line) => lines.push(line));
  return lines;
}

/** Ten lines from the installed client to the installed server; resolves with what the server printed. */
async function shipTen(bin: string): Promise<{ client: number | null; printed: string[] }> {
  const server = spawn(join(bin, "shipper-server"), ["--host", "127.0.0.1", "--port", "0"], {
    env: { ...env, STATS_INTERVAL: "0" },
  });
  const printed = linesOf(server.stdout);
  const serverErr = linesOf(server.stderr);
  try {
    let port = portOf(serverErr);
    while (port === undefined) {
      if (server.exitCode !== null) throw new Error(serverErr.join("\n"));
      await new Promise((resolve) => setTimeout(resolve, 20));
      port = portOf(serverErr);
    }
    const input = Array.from({ length: 10 }, (_, i) => `installed line ${i}`).join("\n");
    const client = spawn(join(bin, "shipper-client"), ["--target-port", String(port)], { env });
    client.stdin.end(`${input}\n`);
    const [code] = (await once(client, "exit")) as [number | null];
    while (printed.length < 10 && server.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { client: code, printed };
  } finally {
    server.kill("SIGTERM");
    if (server.exitCode === null) await once(server, "exit");
  }
}

describe("installing from a clone and from the packed tarball", () => {
  let scratch = "";
  const prefixes: Record<string, string> = {};

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "shipper-install-"));
    const { clone, prefix } = await installFromClone(scratch);
    prefixes.clone = prefix;
    prefixes.tarball = await installPacked(scratch, clone);
  }, 300_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  describe.each(["clone", "tarball"])("installed from the %s", (from) => {
    it.each(["shipper-server", "shipper-client", "shipper-tail"])("%s --version", async (name) => {
      const { stdout } = await run(join(prefixes[from] ?? "", "bin", name), ["--version"], { env });
      expect(stdout.trim()).toBe(version);
    });

    it("rejects a bad option with exit 2 and one line naming it", async () => {
      const bin = join(prefixes[from] ?? "", "bin", "shipper-server");
      const error = await run(bin, ["--port", "99999"], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(error).toMatchObject({ code: 2 });
      expect((error as { stderr: string }).stderr.trim().split("\n")).toHaveLength(1);
      expect((error as { stderr: string }).stderr).toContain("--port");
    });

    it("installs the LICENSE, the changelog and the completions with the package", () => {
      const pkg = join(prefixes[from] ?? "", "lib", "node_modules", "udp-log-shipper");
      expect(readFileSync(join(pkg, "LICENSE"), "utf8")).toMatch(/^MIT License/);
      expect(readFileSync(join(pkg, "CHANGELOG.md"), "utf8")).toMatch(/^# Changelog/);
      expect(readFileSync(join(pkg, "completions", "shipper-client.bash"), "utf8")).toContain(
        "complete -o filenames -F _shipper_client shipper-client",
      );
    });

    it("puts the man pages on the prefix's MANPATH", () => {
      for (const name of ["shipper-server", "shipper-client", "shipper-tail"]) {
        const page = readFileSync(join(prefixes[from] ?? "", "share", "man", "man1", `${name}.1`));
        expect(page.toString()).toContain(`.TH ${name.toUpperCase()} 1`);
      }
    });

    it("ships ten lines from the installed client to the installed server", async () => {
      const { client, printed } = await shipTen(join(prefixes[from] ?? "", "bin"));
      expect(client).toBe(0);
      expect(printed.map((line) => (JSON.parse(line) as { message: string }).message)).toEqual(
        Array.from({ length: 10 }, (_, i) => `installed line ${i}`),
      );
    });
  });
});
