/**
 * shipper-tail's options: defaults, env fallbacks, and one stderr line with
 * exit 2 for a bad value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OptionValueError } from "../../../src/commands/shared/options.js";
import { parseTailArgs, subjectFilter } from "../../../src/commands/tail/options.js";
import { FakeIO } from "../../support/fake-io.js";

function parse(argv: string[], env: Record<string, string> = {}) {
  const io = new FakeIO();
  return { result: parseTailArgs(argv, env, io), io };
}

describe("shipper-tail options", () => {
  it("has defaults: the local NATS server, the stream LOGS, every subject", () => {
    expect(parse([]).result).toEqual({
      servers: ["nats://127.0.0.1:4222"],
      stream: "LOGS",
      subject: undefined,
      count: false,
      follow: false,
      timeoutMs: 10_000,
      credentials: undefined,
    });
  });

  it("reads each option from its flag, else its env variable", () => {
    const env = {
      NATS_URL: "nats://a:4222,b:4223",
      NATS_STREAM: "APP",
      TAIL_SUBJECT: "logs.*",
      TAIL_COUNT: "true",
      TAIL_FOLLOW: "yes",
      TAIL_TIMEOUT: "2.5",
      NATS_TOKEN: "secret",
    };
    expect(parse([], env).result).toEqual({
      servers: ["nats://a:4222", "nats://b:4223"],
      stream: "APP",
      subject: "logs.*",
      count: true,
      follow: true,
      timeoutMs: 2_500,
      credentials: { kind: "token", token: "secret" },
    });
    expect(parse(["--stream", "OTHER", "-s", "nats://c:1"], env).result).toMatchObject({
      servers: ["nats://c:1"],
      stream: "OTHER",
    });
  });

  it.each([
    [["--server", "http://x:1"], "--server"],
    [["--stream", "a.b"], "--stream"],
    [["--subject", "logs..x"], "--subject"],
    [["--subject", "logs.>.x"], "--subject"],
    [["--timeout", "0"], "--timeout"],
    [["--nats-user", "u"], "--nats-user"],
    [["--nope"], "--nope"],
    [["extra"], "argument"],
  ])("exits 2 on %j with one line naming it", (argv, name) => {
    const { result, io } = parse(argv);
    expect(result).toBe(2);
    expect(io.stderr.lines).toHaveLength(1);
    expect(io.stderr.text).toContain(name);
  });

  it.each(["foo", "http://h:1", "file:x", "nats://h"])(
    "says what -s takes, and only that, for %j",
    (server) => {
      const { result, io } = parse(["-s", server]);
      expect(result).toBe(2);
      expect(io.stderr.text).toContain(
        `expects nats://HOST:PORT[,HOST:PORT...]; got ${JSON.stringify(server)}`,
      );
      expect(io.stderr.text).not.toMatch(/stdout|file:PATH/);
    },
  );

  it("exits 2 on a bad env value, naming the variable", () => {
    const { result, io } = parse([], { TAIL_TIMEOUT: "soon" });
    expect(result).toBe(2);
    expect(io.stderr.text).toMatch(/TAIL_TIMEOUT.*--timeout/);
  });
});

describe("--subject filters", () => {
  it.each(["logs", "logs.checkout", "logs.*", "logs.>", "*.*.>", "a-b.c_d"])("takes %s", (s) => {
    expect(subjectFilter(s)).toBe(s);
  });

  it("takes any string or refuses it naming what it accepts, never anything else", () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        try {
          expect(subjectFilter(raw)).toBe(raw);
          expect(raw.split(".").every((token) => token !== "" && !/\s/.test(token))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(OptionValueError);
        }
      }),
    );
  });
});
