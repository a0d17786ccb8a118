import { describe, expect, it } from "vitest";
import { parseTarget } from "../../src/client/target-address.js";
import { ERROR_CODES, ShipperError } from "../../src/foundation/errors.js";

describe("parseTarget", () => {
  it.each([
    ["logs.internal:9999", "logs.internal", 9999],
    ["127.0.0.1:1", "127.0.0.1", 1],
    ["[::1]:5140", "::1", 5140],
    ["[::1]", "::1", 9999],
    ["::1", "::1", 9999],
    ["fe80::1%lo", "fe80::1%lo", 9999],
    ["[::ffff:127.0.0.1]:7", "::ffff:127.0.0.1", 7],
    ["logs.internal", "logs.internal", 9999],
    [" host:65535 ", "host", 65535],
  ])("%s -> %s port %i", (text, host, port) => {
    expect(parseTarget(text)).toEqual({ host, port });
  });

  it.each([
    "",
    "host:0",
    "host:65536",
    "host:port",
    "host:",
    ":9999",
    "[::1",
    "[]:1",
    "[::1]x",
    "a:b:c.invalid",
    "host:1:2",
    "[logs.internal]:1",
  ])("refuses %j with a coded error naming target", (text) => {
    let caught: unknown;
    try {
      parseTarget(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ShipperError);
    expect((caught as ShipperError).code).toBe(ERROR_CODES.INVALID_OPTION);
    expect((caught as Error).message).toMatch(/^target/);
  });

  it("refuses what is not a string", () => {
    expect(() => parseTarget(9999)).toThrow(/target must be/);
  });
});
