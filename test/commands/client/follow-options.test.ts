import { describe, expect, it } from "vitest";
import {
  type FollowRawOptions,
  toFollowConfig,
} from "../../../src/commands/client/follow-options.js";
import { main } from "../../../src/commands/client/main.js";
import { FakeIO } from "../../support/fake-io.js";

async function run(argv: string[], env: Record<string, string> = {}) {
  const fake = new FakeIO();
  fake.stdin.end("");
  const code = await main(argv, env, fake, {
    createShipper: () => {
      throw new Error("no shipper in a usage error");
    },
  });
  return { code, stderr: fake.stderr.lines };
}

const raw: FollowRawOptions = {
  follow: true,
  followInterval: 0.25,
  stateFile: undefined,
  state: true,
  readFrom: "head",
  maxOpenFiles: 1024,
};

describe("--follow options", () => {
  it.each([
    [["--follow"], "shipper-client: error: --follow needs at least one FILE or pattern"],
    [["--follow", "-"], "shipper-client: error: --follow cannot follow - (stdin)"],
  ])("%j exits 2 with one line", async (argv, line) => {
    expect(await run(argv)).toEqual({ code: 2, stderr: [line] });
  });

  it.each([
    [["--follow", "a.log", "--follow-interval", "0"], "--follow-interval"],
    [["--follow", "a.log", "--read-from", "middle"], "--read-from"],
    [["--follow", "a.log", "--max-open-files", "0"], "--max-open-files"],
    [["--follow", "a.log", "--state-file", " "], "--state-file"],
  ])("%j exits 2 with one line naming %s", async (argv, option) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toContain(option);
  });

  it("names the variable of a bad env value", async () => {
    const { code, stderr } = await run(["a.log"], { FOLLOW: "sometimes" });
    expect(code).toBe(2);
    expect(stderr[0]).toContain("FOLLOW");
  });

  it("defaults: 250 ms looks, the XDG state file, head, 1024 open files", () => {
    expect(toFollowConfig(raw, ["a.log", "/var/log/*.log"], { XDG_STATE_HOME: "/st" })).toEqual({
      patterns: ["a.log", "/var/log/*.log"],
      intervalMs: 250,
      statePath: "/st/udp-log-shipper/state.json",
      readFrom: "head",
      maxOpenFiles: 1024,
    });
  });

  it("--state-file names the state; --no-state keeps none; no --follow, no config", () => {
    expect(toFollowConfig({ ...raw, stateFile: "/s.json" }, ["a"], {})?.statePath).toBe("/s.json");
    expect(toFollowConfig({ ...raw, state: false }, ["a"], {})?.statePath).toBeUndefined();
    expect(toFollowConfig({ ...raw, follow: false }, ["a"], {})).toBeUndefined();
  });
});
