import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KeyFileError, loadKeys, parseKeyText, readKeyFile } from "../../src/cli/auth-key.js";

const dir = mkdtempSync(join(tmpdir(), "auth-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function keyFile(text: string | Uint8Array, mode = 0o600): string {
  const path = join(dir, `key-${count++}`);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const text = (keys: readonly Uint8Array[]) => keys.map((k) => Buffer.from(k).toString("utf8"));

describe("parseKeyText", () => {
  it.each([
    ["k3y", ["k3y"]],
    ["k3y\n", ["k3y"]],
    ["k3y\r\n", ["k3y"]],
    ["old\nnew\n", ["old", "new"]],
    ["old\r\nnew\r\n", ["old", "new"]],
    ["\n\nold\n   \n\t\nnew\n\n", ["old", "new"]],
    [" spaced key \n", [" spaced key "]],
    ["k3y\n\n", ["k3y"]],
    ["cl\u00e9\n", ["cl\u00e9"]],
    ["a\rb\n", ["a\rb"]],
    ["", []],
    ["\n \r\n", []],
  ])("%j holds %j", (input, keys) => {
    expect(text(parseKeyText(input))).toEqual(keys);
  });

  it("keeps the UTF-8 bytes of a key", () => {
    expect([...(parseKeyText("cl\u00e9\n")[0] ?? [])]).toEqual([0x63, 0x6c, 0xc3, 0xa9]);
  });
});

describe("readKeyFile", () => {
  it("reads the keys of a private file without a warning", () => {
    expect(readKeyFile(keyFile("new\nold\n"))).toEqual({
      keys: [Buffer.from("new"), Buffer.from("old")],
      warning: undefined,
    });
  });

  it.each([0o644, 0o640, 0o604, 0o660, 0o602])(
    "warns, naming the file and its mode, when the mode is %s",
    (mode) => {
      const path = keyFile("k3y\n", mode);
      const { keys, warning } = readKeyFile(path);
      expect(text(keys)).toEqual(["k3y"]);
      expect(warning).toContain(path);
      expect(warning).toContain(`0${mode.toString(8)}`);
      expect(warning).toContain("chmod 600");
    },
  );

  it("does not warn for 0400", () => {
    expect(readKeyFile(keyFile("k3y", 0o400)).warning).toBe(undefined);
  });

  it("throws a KeyFileError naming a file that holds no key", () => {
    const path = keyFile("\n\r\n  \n");
    expect(() => readKeyFile(path)).toThrow(KeyFileError);
    expect(() => readKeyFile(path)).toThrow(`${path} holds no key`);
  });

  it("throws a KeyFileError naming a file that cannot be read", () => {
    const missing = join(dir, "missing");
    expect(() => readKeyFile(missing)).toThrow(new KeyFileError(`cannot read ${missing} (ENOENT)`));
    expect(() => readKeyFile(dir)).toThrow(/EISDIR/);
  });
});

describe("loadKeys", () => {
  it("takes the keys of every file in order, then SHIPPER_AUTH_KEY as given", () => {
    const a = keyFile("a1\na2\n");
    const b = keyFile("b1\n", 0o644);
    const loaded = loadKeys([a, b], "env key\n");
    expect(text(loaded.keys)).toEqual(["a1", "a2", "b1", "env key\n"]);
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toContain(b);
  });

  it("gives no key when nothing is given, or SHIPPER_AUTH_KEY is empty", () => {
    expect(loadKeys([], undefined)).toEqual({ keys: [], warnings: [] });
    expect(loadKeys([], "")).toEqual({ keys: [], warnings: [] });
  });
});
