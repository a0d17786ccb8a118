import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addOption, integer, parseArgs } from "../../../src/commands/shared/options.js";
import { FakeIO } from "../../support/fake-io.js";

function command(): Command {
  const cmd = new Command("demo").allowExcessArguments(false);
  addOption(cmd, {
    flags: "--allow <cidr>",
    description: "networks",
    env: "ALLOW",
    repeatable: true,
    envSeparator: ",",
  });
  addOption(cmd, {
    flags: "--port <n>",
    description: "ports",
    env: "PORTS",
    repeatable: true,
    parse: integer(1, 9),
  });
  return cmd;
}

function parse(argv: string[], env: Record<string, string> = {}) {
  const cmd = command();
  const io = new FakeIO();
  const code = parseArgs(cmd, argv, env, io);
  return { code, opts: cmd.opts(), stderr: io.stderr.text };
}

describe("repeatable options", () => {
  it("collect every value given, in order, each parsed", () => {
    const { code, opts } = parse(["--allow", "a", "--port", "3", "--allow", "b", "--port", "4"]);
    expect(code).toBe(undefined);
    expect(opts).toEqual({ allow: ["a", "b"], port: [3, 4] });
  });

  it("are undefined when given nowhere", () => {
    expect(parse([]).opts).toEqual({});
  });

  it("take a list from their env var, cut at the separator, blank items skipped", () => {
    expect(parse([], { ALLOW: "a, b,,c", PORTS: "5" }).opts).toEqual({
      allow: ["a", " b", "c"],
      port: [5],
    });
  });

  it("ignore the env var when the flag is given", () => {
    expect(parse(["--allow", "x"], { ALLOW: "a,b" }).opts).toEqual({ allow: ["x"] });
  });

  it("report a bad value, from a flag or from the env var, as a usage error", () => {
    expect(parse(["--port", "3", "--port", "10"]).code).toBe(2);
    const fromEnv = parse([], { PORTS: "x" });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("PORTS");
  });
});
