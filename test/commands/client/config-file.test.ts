import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigFileError,
  parseConfig,
  readConfigFile,
} from "../../../src/commands/client/config-file.js";

function errorOf(text: string): ConfigFileError {
  try {
    parseConfig(text, "batch.json");
  } catch (error) {
    if (error instanceof ConfigFileError) return error;
    throw error;
  }
  throw new Error("expected a ConfigFileError");
}

describe("parseConfig", () => {
  it("maps every key to its batch setting", () => {
    expect(
      parseConfig(
        '{"batch_size": 50, "batch_interval": 0.25, "batch_bytes": 4096, "flush_level": "warn"}',
        "x",
      ),
    ).toEqual({ batchSize: 50, flushIntervalMs: 250, batchBytes: 4096, flushLevel: "WARNING" });
  });

  it("returns only the keys present; an empty object changes nothing", () => {
    expect(parseConfig('{"batch_size": 3}', "x")).toEqual({ batchSize: 3 });
    expect(parseConfig("{}", "x")).toEqual({});
  });

  it("takes flush_level null as off, kept as a present key", () => {
    const settings = parseConfig('{"flush_level": null}', "x");
    expect("flushLevel" in settings).toBe(true);
    expect(settings.flushLevel).toBeUndefined();
  });

  it("accepts batch_bytes 0 (off) and a leading byte order mark", () => {
    expect(parseConfig('\uFEFF{"batch_bytes": 0}', "x")).toEqual({ batchBytes: 0 });
  });

  it.each([
    ['{"batch_size": 0}', "batch_size", "an integer from 1 to 1000000"],
    ['{"batch_size": 2.5}', "batch_size", "an integer"],
    ['{"batch_size": "10"}', "batch_size", 'got "10"'],
    ['{"batch_interval": 0}', "batch_interval", "a number of seconds from 0.001"],
    ['{"batch_interval": "5"}', "batch_interval", "seconds"],
    ['{"batch_bytes": -1}', "batch_bytes", "an integer from 0"],
    [
      '{"flush_level": "loud"}',
      "flush_level",
      "one of DEBUG, INFO, WARNING, ERROR, CRITICAL, or null",
    ],
    ['{"flush_level": 3}', "flush_level", "got 3"],
  ])("rejects %s naming %s", (text, key, accepts) => {
    const error = errorOf(text);
    expect(error.key).toBe(key);
    expect(error.code).toBe("shipper.config");
    expect(error.message).toContain(`config file batch.json: ${key} expects`);
    expect(error.message).toContain(accepts);
  });

  it("rejects unknown keys, with a hint for a camelCase spelling", () => {
    const camel = errorOf('{"batchSize": 5}');
    expect(camel.key).toBe("batchSize");
    expect(camel.message).toContain('unknown key "batchSize" (did you mean "batch_size"?)');
    const other = errorOf('{"batch_size": 5, "colour": "red"}');
    expect(other.message).toContain('unknown key "colour"; accepted keys: batch_size');
  });

  it.each([
    ["not JSON", "{batch_size: 5}", "not valid JSON"],
    ["an array", "[]", "expects a JSON object"],
    ["null", "null", "expects a JSON object"],
  ])("rejects a file that is %s", (_, text, message) => {
    const error = errorOf(text);
    expect(error.message).toContain(message);
    expect(error.key).toBeUndefined();
  });
});

describe("readConfigFile", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "config-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads and validates a file", async () => {
    const path = join(dir, "ok.json");
    await writeFile(path, '{"batch_size": 7}\n');
    expect(await readConfigFile(path)).toEqual({ batchSize: 7 });
  });

  it("names a file that cannot be read", async () => {
    const path = join(dir, "missing.json");
    await expect(readConfigFile(path)).rejects.toThrow(
      new RegExp(`^config file ${path}: cannot be read: ENOENT`),
    );
  });
});
