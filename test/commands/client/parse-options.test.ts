import { describe, expect, it } from "vitest";
import { resolveClient } from "../../../src/commands/client/config.js";
import { main } from "../../../src/commands/client/main.js";
import { FakeIO } from "../../support/fake-io.js";

async function resolve(argv: string[], env: Record<string, string> = {}) {
  const io = new FakeIO();
  io.stdin.end("");
  const resolved = await resolveClient(argv, env, io);
  return { resolved, stderr: io.stderr.lines };
}

describe("shipper-client parse options", () => {
  it("defaults: auto parsing and JSON formats, the machine's host, no fields", async () => {
    const { resolved } = await resolve([]);
    if (typeof resolved === "number") throw new Error(`exit ${resolved}`);
    const entries = resolved.config.entries;
    expect(entries.parse).toEqual({ kind: "auto" });
    expect(entries.jsonFormat).toBe("auto");
    expect(entries.zone.name).toBe("local");
    expect(entries.hostName).not.toBe("");
    expect(entries.fields).toEqual([]);
    expect(Object.isFrozen(entries)).toBe(true);
  });

  it("reads flags, and env when no flag is given", async () => {
    const argv = [
      "--parse",
      "regex:(?<message>.*)",
      "--json-format",
      "pino",
      "--timezone",
      "+02:00",
    ];
    const { resolved } = await resolve(
      [
        ...argv,
        "--host-name",
        "web-1",
        "--field",
        "env=prod",
        "--field",
        "dc=eu",
        "--field",
        "env=x",
      ],
      { PARSE: "logfmt", FIELDS: "a=1" },
    );
    if (typeof resolved === "number") throw new Error(`exit ${resolved}`);
    const entries = resolved.config.entries;
    expect(entries.parse.kind).toBe("regex");
    expect(entries.jsonFormat).toBe("pino");
    expect(entries.zone.name).toBe("+02:00");
    expect(entries.hostName).toBe("web-1");
    expect(entries.fields).toEqual([
      ["env", "prod"],
      ["dc", "eu"],
    ]);
    const fromEnv = await resolve([], {
      PARSE: "none",
      JSON_FORMAT: "raw",
      LOG_TIMEZONE: "Europe/Paris",
      HOST_NAME: "h",
      FIELDS: "a=1,b=x=y",
    });
    if (typeof fromEnv.resolved === "number") throw new Error(`exit ${fromEnv.resolved}`);
    expect(fromEnv.resolved.config.entries).toMatchObject({
      parse: { kind: "none" },
      jsonFormat: "raw",
      hostName: "h",
      fields: [
        ["a", "1"],
        ["b", "x=y"],
      ],
    });
    expect(fromEnv.resolved.config.entries.zone.name).toBe("Europe/Paris");
  });

  it.each([
    [["--parse", "yaml"], {}, "--parse"],
    [["--parse", "regex:("], {}, "--parse"],
    [["--parse", "regex:(\\d+)"], {}, "--parse"],
    [["--json-format", "log4j"], {}, "--json-format"],
    [["--timezone", "Mars/Olympus"], {}, "--timezone"],
    [["--host-name", " "], {}, "--host-name"],
    [["--field", "novalue"], {}, "--field"],
    [["--field", "=x"], {}, "--field"],
    [[], { PARSE: "yaml" }, "PARSE"],
    [[], { FIELDS: "a=1,bad" }, "FIELDS"],
    [[], { LOG_TIMEZONE: "nowhere" }, "LOG_TIMEZONE"],
  ])("exits 2 with one line naming the option for %j %j", async (argv, env, named) => {
    const io = new FakeIO();
    io.stdin.end("");
    const code = await main(argv, env, io);
    expect(code).toBe(2);
    expect(io.stderr.lines).toHaveLength(1);
    expect(io.stderr.lines[0]).toContain(named);
  });
});
