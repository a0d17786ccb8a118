/**
 * The Makefile's Docker targets with either Compose: `docker compose` when the
 * plugin answers, `docker-compose` otherwise, one line when neither is there;
 * `make logs` gives bare lines. Fake `docker` and `docker-compose` commands on
 * PATH record how they were called; no Docker engine is needed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/process.js";

/** make's own path: the commands run with nothing but the fakes on PATH. */
const makePath = spawnSync("sh", ["-c", "command -v make"], { encoding: "utf8" }).stdout.trim();
const hasMake = makePath !== "";
if (!hasMake)
  console.log("skipping the Makefile checks: make is not on PATH (apt-get install make)");

const scratch = mkdtempSync(join(tmpdir(), "shipper-make-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * A directory of fake commands: each appends its name and arguments to
 * calls.log, and prints `answers[arguments]` when there is one.
 */
function fakes(
  names: Record<string, number>,
  answers: Record<string, string> = {},
): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(join(scratch, "bin-"));
  const log = join(bin, "calls.log");
  for (const [name, status] of Object.entries(names)) {
    const path = join(bin, name);
    const cases = Object.entries(answers)
      .map(([args, out]) => `  "${args}") echo "${out}" ;;\n`)
      .join("");
    const answer = cases === "" ? "" : `case "$*" in\n${cases}esac\n`;
    writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "${log}"\n${answer}exit ${status}\n`);
    chmodSync(path, 0o755);
  }
  return {
    bin,
    calls: () => {
      try {
        return readFileSync(log, "utf8").trim().split("\n");
      } catch {
        return [];
      }
    },
  };
}

function make(target: string, bin: string) {
  return spawnSync(makePath, ["-s", target], { cwd: ROOT, encoding: "utf8", env: { PATH: bin } });
}

describe.skipIf(!hasMake)("Makefile with either Compose", () => {
  it("uses the Compose v2 plugin when `docker compose version` works", () => {
    const { bin, calls } = fakes({ docker: 0 });
    expect(make("logs-all", bin).status).toBe(0);
    expect(calls()).toContain("docker compose logs -f --no-log-prefix server");
  });

  it("make logs follows the server container's stdout alone, echoing no command", () => {
    const { bin, calls } = fakes({ docker: 0 }, { "compose ps -q server": "abc123" });
    const result = make("logs", bin);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(calls()).toContain("docker logs -f abc123");
  });

  it("make logs says in one line that the server is not running", () => {
    const { bin } = fakes({ docker: 0 });
    const result = make("logs", bin);
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the server is not running: make run/);
  });

  it("falls back to docker-compose when the plugin is missing", () => {
    const { bin, calls } = fakes({ docker: 1, "docker-compose": 0 });
    expect(make("run", bin).status).toBe(0);
    expect(calls()).toContain("docker-compose up -d server");
  });

  it("says in one line what to install when neither is there", () => {
    const { bin, calls } = fakes({ docker: 1 });
    const result = make("run", bin);
    expect(result.status).not.toBe(0);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/no Docker Compose found: install .*docker-compose-plugin/);
    expect(calls().filter((call) => !call.startsWith("docker compose version"))).toEqual([]);
  });
});
