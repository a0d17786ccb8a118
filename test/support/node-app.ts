/**
 * A Node app folder with the packed package installed as a user would:
 * `npm pack` of the built tree (scripts skipped: dist/ is built by the
 * global setup), then `npm install` of the tarball and of the real `pino`
 * the repository tests with (from the npm cache when it holds them). Apps
 * are written into the folder and spawned with node; their stdout and
 * stderr are read into lines.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { ROOT } from "./process.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** Settings of the npm running the tests that the installs must not inherit. */
const npmEnv = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^npm_(config|lifecycle|package)_/i.test(name)),
);
const quiet = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

export interface AppRun {
  readonly code: number | null;
  readonly stdout: string[];
  readonly stderr: string[];
}

function versionOf(name: string): string {
  return (require(`${name}/package.json`) as { version: string }).version;
}

export class NodeApp {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Packs the package and installs it, with `pino` and `extra` packages, in a new folder. */
  static async install(extra: readonly string[] = []): Promise<NodeApp> {
    const dir = await mkdtemp(join(tmpdir(), "node-app-"));
    const { stdout } = await run(
      "npm",
      ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir],
      { cwd: ROOT, env: npmEnv },
    );
    const tarball = join(dir, stdout.trim().split("\n").at(-1) ?? "");
    await writeFile(join(dir, "package.json"), '{ "name": "app", "private": true }\n');
    const packages = [
      tarball,
      `pino@${versionOf("pino")}`,
      ...extra.map((n) => `${n}@${versionOf(n)}`),
    ];
    await run("npm", ["install", ...quiet, ...packages], { cwd: dir, env: npmEnv });
    return new NodeApp(dir);
  }

  /** Writes `source` to `file` in the app's folder; returns its path. */
  async write(file: string, source: string): Promise<string> {
    const path = join(this.dir, file);
    await writeFile(path, source);
    return path;
  }

  /** Runs `node file args` in the app's folder, waiting at most `timeoutMs` (then SIGKILL). */
  async run(file: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<AppRun> {
    const child = spawn(process.execPath, [file, ...args], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    const read = [
      [child.stdout, stdout],
      [child.stderr, stderr],
    ] as const;
    const closed = read.map(([stream, lines]) => {
      const reader = createInterface({ input: stream });
      reader.on("line", (line) => lines.push(line));
      return once(reader, "close");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(timer);
    await Promise.all(closed);
    return { code, stdout, stderr };
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
