import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigFileError } from "../../src/commands/client/config-file.js";
import { KeyFileError } from "../../src/commands/shared/auth-key.js";
import { UsageError } from "../../src/commands/shared/options.js";
import {
  ERROR_CODES,
  type ErrorCode,
  InvalidOptionError,
  isErrorCode,
  ShipperError,
} from "../../src/foundation/errors.js";

const codes = Object.values(ERROR_CODES);
const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");

describe("ERROR_CODES", () => {
  it("is frozen, and its codes are distinct strings in commander's style", () => {
    expect(Object.isFrozen(ERROR_CODES)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^shipper\.[a-z][A-Za-z]+$/);
    expect(codes.every(isErrorCode)).toBe(true);
    expect(isErrorCode("ERR_SOCKET_DGRAM_NOT_RUNNING")).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });

  it("says in its source when each code is thrown", () => {
    const source = read("../../src/foundation/errors.ts");
    for (const [key, code] of Object.entries(ERROR_CODES)) {
      const line = new RegExp(`/\\*\\* [^\\n]+ \\*/\\n  ${key}: "${code.replace(".", "\\.")}",`);
      expect(source, key).toMatch(line);
    }
  });

  it("is listed, each code with a line, in the Errors section of docs/client.md", () => {
    const docs = read("../../docs/client.md");
    const section = docs.slice(docs.indexOf("\n## Errors\n"));
    expect(section.length).toBeLessThan(docs.length);
    const listed = [...section.matchAll(/^\| `(shipper\.[A-Za-z]+)` \| .+ \|$/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...codes].sort());
  });
});

describe("ShipperError", () => {
  it("carries its code, its class's name and a cause", () => {
    const cause = new Error("under it");
    const error = new ShipperError(ERROR_CODES.CONNECTION_CLOSED, "closed", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: "shipper.connectionClosed", name: "ShipperError", cause });
    expect(error.message).toBe("closed");
  });

  it.each<[string, () => ShipperError, ErrorCode]>([
    ["UsageError", () => new UsageError("bad"), ERROR_CODES.USAGE],
    ["ConfigFileError", () => new ConfigFileError("bad", "batch_size"), ERROR_CODES.CONFIG_FILE],
    ["KeyFileError", () => new KeyFileError("bad"), ERROR_CODES.KEY_FILE],
  ])("%s is a ShipperError with its own code", (name, make, code) => {
    const error = make();
    expect(error).toBeInstanceOf(ShipperError);
    expect(error).toMatchObject({ name, code, message: "bad" });
    expect(error).not.toBeInstanceOf(TypeError);
  });

  it("tells its subclasses apart", () => {
    expect(new UsageError("x")).not.toBeInstanceOf(KeyFileError);
    expect(new ShipperError(ERROR_CODES.USAGE, "x")).not.toBeInstanceOf(UsageError);
    expect(new ConfigFileError("x", "batch_size").key).toBe("batch_size");
  });
});

describe("InvalidOptionError", () => {
  it("is a TypeError and a ShipperError, with the invalid-option code", () => {
    const error = new InvalidOptionError("maxRetries must be an integer from 0 to 100");
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(ShipperError);
    expect(error).toMatchObject({ code: ERROR_CODES.INVALID_OPTION, name: "TypeError" });
    expect(error).not.toBeInstanceOf(UsageError);
  });

  it("is not what a plain TypeError is", () => {
    expect(new TypeError("x")).not.toBeInstanceOf(ShipperError);
    expect(Object.assign(new Error("x"), { code: ERROR_CODES.USAGE })).not.toBeInstanceOf(
      ShipperError,
    );
  });
});

describe("OptionRangeError", () => {
  it("is a RangeError with the invalid-option code, and a ShipperError", async () => {
    const {
      OptionRangeError,
      ShipperError: Base,
      ERROR_CODES: codes,
    } = await import("../../src/foundation/errors.js");
    const error = new OptionRangeError("maxBytes must be a positive integer");
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(Base);
    expect(error.code).toBe(codes.INVALID_OPTION);
    expect(new RangeError("x")).not.toBeInstanceOf(Base);
  });

  it("is what the wire codec throws for a cap out of range", async () => {
    const { inflateCapped } = await import("../../src/wire/compression.js");
    const { ShipperError: Base } = await import("../../src/foundation/errors.js");
    expect(() => inflateCapped(new Uint8Array([0x78, 0x9c]), 0)).toThrow(Base);
  });
});
