import { describe, expect, it } from "vitest";
import { parseTargetList } from "../../../src/client/shard/target-list.js";
import {
  type TargetRawOptions,
  toTargetConfig,
  type ValueSource,
} from "../../../src/commands/client/target-options.js";

function raw(targets: string[] | undefined): TargetRawOptions {
  return {
    target: targets === undefined ? undefined : parseTargetList(targets),
    shardKey: "service",
    targetHost: "single.invalid",
    targetPort: 7,
  };
}

const sources =
  (target: string | undefined, host: string, port = "default"): ValueSource =>
  (name) =>
    name === "target" ? target : name === "targetHost" ? host : port;

describe("toTargetConfig", () => {
  it("several --target: sharded; one: the single target", () => {
    const many = toTargetConfig(raw(["a.invalid:1", "b.invalid:2"]), sources("cli", "default"));
    expect(many.targets.map((t) => t.name)).toEqual(["a.invalid:1", "b.invalid:2"]);
    const one = toTargetConfig(raw(["a.invalid:1"]), sources("cli", "default"));
    expect(one).toMatchObject({ targets: [], targetHost: "a.invalid", targetPort: 1 });
  });

  it("both forms as flags is a usage error", () => {
    expect(() => toTargetConfig(raw(["a.invalid:1"]), sources("cli", "cli"))).toThrow(
      /--target' cannot be combined/,
    );
    expect(() => toTargetConfig(raw(["a.invalid:1"]), sources("cli", "default", "cli"))).toThrow(
      /--target-port/,
    );
  });

  it("a flag wins over the other form's env; in env, TARGETS wins", () => {
    const flagHost = toTargetConfig(raw(["a.invalid:1", "b.invalid:2"]), sources("env", "cli"));
    expect(flagHost).toMatchObject({ targets: [], targetHost: "single.invalid" });
    const flagTargets = toTargetConfig(raw(["a.invalid:1", "b.invalid:2"]), sources("cli", "env"));
    expect(flagTargets.targets).toHaveLength(2);
    const bothEnv = toTargetConfig(raw(["a.invalid:1", "b.invalid:2"]), sources("env", "env"));
    expect(bothEnv.targets).toHaveLength(2);
  });

  it("no --target: --target-host and --target-port", () => {
    expect(toTargetConfig(raw(undefined), sources(undefined, "cli"))).toMatchObject({
      targets: [],
      targetHost: "single.invalid",
      targetPort: 7,
    });
  });
});
