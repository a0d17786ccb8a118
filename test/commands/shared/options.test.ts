import { Command } from "commander";
import { describe, expect, it } from "vitest";
import {
  addOption,
  boolean,
  byteSize,
  decimal,
  integer,
  oneOf,
  parseArgs,
} from "../../../src/commands/shared/options.js";
import { FakeIO } from "../../support/fake-io.js";

function command(): Command {
  const c = new Command("demo");
  addOption(c, {
    flags: "--port <port>",
    description: "port",
    env: "PORT",
    defaultValue: 9999,
    parse: integer(0, 65535),
  });
  addOption(c, { flags: "--quiet", description: "quiet", env: "QUIET" });
  addOption(c, { flags: "--no-compress", description: "no compression", env: "COMPRESS" });
  return c;
}

describe("parseArgs", () => {
  it("takes env values when the flag is absent, and the flag over the env", () => {
    const env = { PORT: "1234", QUIET: "yes", COMPRESS: "false" };
    const c = command();
    expect(parseArgs(c, [], env, new FakeIO())).toBeUndefined();
    expect(c.opts()).toEqual({ port: 1234, quiet: true, compress: false });
    const d = command();
    expect(parseArgs(d, ["--port", "7"], env, new FakeIO())).toBeUndefined();
    expect(d.opts().port).toBe(7);
  });

  it("keeps defaults when env vars are unset or empty", () => {
    const c = command();
    expect(parseArgs(c, [], { PORT: "", QUIET: "0" }, new FakeIO())).toBeUndefined();
    expect(c.opts()).toEqual({ port: 9999, quiet: false, compress: true });
  });

  it("exits 2 with one line naming a bad flag value", () => {
    const io = new FakeIO();
    expect(parseArgs(command(), ["--port", "70000"], {}, io)).toBe(2);
    expect(io.stderr.text).toMatch(
      /^demo: error: option '--port <port>' argument '70000' is invalid\. expects an integer from 0 to 65535\n$/,
    );
  });

  it("exits 2 with one line naming a bad env value and its option", () => {
    const io = new FakeIO();
    expect(parseArgs(command(), [], { QUIET: "maybe" }, io)).toBe(2);
    expect(io.stderr.text.trim().split("\n")).toHaveLength(1);
    expect(io.stderr.text).toContain('QUIET="maybe" (for --quiet)');
  });

  it("exits 2 naming an unknown option", () => {
    const io = new FakeIO();
    expect(parseArgs(command(), ["--nope"], {}, io)).toBe(2);
    expect(io.stderr.text).toContain("unknown option '--nope'");
  });
});

describe("parsers", () => {
  it.each([
    ["64KiB", 65536],
    ["16MiB", 16 * 1024 * 1024],
    ["1GB", 1e9],
    ["512", 512],
  ])("byteSize(%s) = %d", (raw, bytes) => {
    expect(byteSize(0)(raw)).toBe(bytes);
  });

  it("rejects what they do not accept, saying what they do", () => {
    expect(() => byteSize(0)("12 parsecs")).toThrow(/expects a byte count/);
    expect(() => integer(1, 10)("1.5")).toThrow(/integer from 1 to 10/);
    expect(() => decimal(0)("-1")).toThrow(/number >= 0/);
    expect(() => oneOf(["a", "b"])("c")).toThrow(/one of a, b/);
    expect(() => boolean("maybe")).toThrow(/true\/false, 1\/0, yes\/no or on\/off/);
    expect(["yes", "ON", "1", "true"].map(boolean)).toEqual([true, true, true, true]);
    expect(decimal(0)("0.25")).toBe(0.25);
  });
});
