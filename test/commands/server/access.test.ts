/** `shipper-server` options for keys, allow-list and rate limit, parsed in-process. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseServerArgs, type ServerConfig } from "../../../src/commands/server/options.js";
import { FakeIO } from "../../support/fake-io.js";

const dir = mkdtempSync(join(tmpdir(), "server-access-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function parse(argv: string[], env: Record<string, string> = {}) {
  const io = new FakeIO();
  const result = parseServerArgs(argv, env, io);
  return { result, stderr: io.stderr.text };
}

function config(argv: string[], env: Record<string, string> = {}): ServerConfig {
  const { result, stderr } = parse(argv, env);
  if (typeof result === "number") throw new Error(`exit ${result}: ${stderr}`);
  return result;
}

const keyText = (config: ServerConfig) =>
  config.access.keys.map((k) => Buffer.from(k).toString("utf8"));

describe("shipper-server keys", () => {
  it("has no key, no allow-list and no rate limit by default", () => {
    expect(config([]).access).toEqual({
      keys: [],
      keyFiles: [],
      envKey: undefined,
      allow: [],
      rateLimitPerSecond: 0,
    });
  });

  it("takes every key of every --auth-key-file, then SHIPPER_AUTH_KEY", () => {
    const a = file("a", "new\nold\n");
    const b = file("b", "other\r\n");
    const parsed = config(["--auth-key-file", a, "--auth-key-file", b], {
      SHIPPER_AUTH_KEY: "from-env",
    });
    expect(keyText(parsed)).toEqual(["new", "old", "other", "from-env"]);
    expect(Object.isFrozen(parsed.access.keys)).toBe(true);
  });

  it("reads SHIPPER_AUTH_KEY_FILE when no flag is given", () => {
    const a = file("env-file", "k3y\n");
    expect(keyText(config([], { SHIPPER_AUTH_KEY_FILE: a }))).toEqual(["k3y"]);
  });

  it("warns on stderr, one line, when a key file is readable by others; not with --quiet", () => {
    const loose = file("loose", "k3y\n", 0o644);
    const { result, stderr } = parse(["--auth-key-file", loose]);
    expect(typeof result).toBe("object");
    expect(stderr).toBe(
      `shipper-server: warning: key file ${loose} is accessible by group or others (mode 0644); chmod 600 ${loose}\n`,
    );
    expect(parse(["--auth-key-file", loose, "--quiet"]).stderr).toBe("");
  });

  it.each([
    ["missing", () => join(dir, "nope"), /cannot read .*nope \(ENOENT\)/],
    ["empty", () => file("empty", "\n\n"), /empty holds no key/],
  ])("exits 2 naming --auth-key-file for a %s key file", (_what, path, message) => {
    const { result, stderr } = parse(["--auth-key-file", path()]);
    expect(result).toBe(2);
    expect(stderr).toMatch(/^shipper-server: error: option '--auth-key-file <path>': /);
    expect(stderr).toMatch(message);
    expect(stderr.split("\n")).toHaveLength(2);
  });
});

describe("shipper-server --allow and --rate-limit", () => {
  it("collects --allow networks, or a comma-separated ALLOW", () => {
    expect(config(["--allow", "10.0.0.0/8", "--allow", " fd00::/8"]).access.allow).toEqual([
      "10.0.0.0/8",
      "fd00::/8",
    ]);
    expect(config([], { ALLOW: "10.0.0.0/8, 192.0.2.7,::1" }).access.allow).toEqual([
      "10.0.0.0/8",
      "192.0.2.7",
      "::1",
    ]);
  });

  it.each([
    [["--allow", "10.0.0.0/33"], "--allow <cidr>"],
    [["--allow", "example.com"], "--allow <cidr>"],
    [["--rate-limit", "-1"], "--rate-limit <per-second>"],
    [["--rate-limit", "1.5"], "--rate-limit <per-second>"],
  ])("exits 2 for %j, naming the option", (argv, option) => {
    const { result, stderr } = parse(argv);
    expect(result).toBe(2);
    expect(stderr).toContain(option);
  });

  it("exits 2 naming ALLOW for a bad entry in the variable", () => {
    const { result, stderr } = parse([], { ALLOW: "10.0.0.0/8,nonsense" });
    expect(result).toBe(2);
    expect(stderr).toContain("ALLOW");
  });

  it("takes --rate-limit or RATE_LIMIT", () => {
    expect(config(["--rate-limit", "500"]).access.rateLimitPerSecond).toBe(500);
    expect(config([], { RATE_LIMIT: "20" }).access.rateLimitPerSecond).toBe(20);
    expect(config([], { RATE_LIMIT: "0" }).access.rateLimitPerSecond).toBe(0);
  });
});
