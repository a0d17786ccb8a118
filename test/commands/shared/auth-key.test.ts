import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveClient } from "../../../src/commands/client/config.js";
import {
  clientKey,
  KeyFileError,
  loadKeys,
  parseKeyText,
  readKeyFile,
} from "../../../src/commands/shared/auth-key.js";
import { UsageError } from "../../../src/commands/shared/options.js";
import { FakeIO } from "../../support/fake-io.js";

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

describe("clientKey", () => {
  it("signs with the first key of the file", () => {
    const path = keyFile("new\nold\n");
    expect(clientKey(path, undefined)).toEqual({ key: Buffer.from("new"), warnings: [] });
  });

  it("signs with SHIPPER_AUTH_KEY without a file, and with nothing without either", () => {
    expect(clientKey(undefined, "k3y")).toEqual({ key: Buffer.from("k3y"), warnings: [] });
    expect(clientKey(undefined, undefined)).toEqual({ key: undefined, warnings: [] });
    expect(clientKey(undefined, "")).toEqual({ key: undefined, warnings: [] });
  });

  it("prefers the file to SHIPPER_AUTH_KEY, and says so", () => {
    const path = keyFile("from-file\n");
    const { key, warnings } = clientKey(path, "from-env");
    expect(text([key ?? new Uint8Array()])).toEqual(["from-file"]);
    expect(warnings).toEqual([
      `warning: SHIPPER_AUTH_KEY is ignored: signing with the first key of ${path}`,
    ]);
  });

  it("passes the permissions warning on", () => {
    const path = keyFile("k\n", 0o640);
    expect(clientKey(path, undefined).warnings[0]).toContain("accessible by group or others");
  });

  it("throws a UsageError naming --auth-key-file for a file it cannot use", () => {
    expect(() => clientKey(keyFile(""), undefined)).toThrow(UsageError);
    expect(() => clientKey(keyFile(""), undefined)).toThrow(
      /^option '--auth-key-file <path>': .* holds no key$/,
    );
  });
});

describe("shipper-client key options", () => {
  async function resolve(argv: string[], env: Record<string, string> = {}) {
    const io = new FakeIO();
    const result = await resolveClient(argv, env, io);
    return { result, stderr: io.stderr.text };
  }

  it("puts the key of --auth-key-file, SHIPPER_AUTH_KEY_FILE or SHIPPER_AUTH_KEY in the config", async () => {
    const path = keyFile("k3y\n");
    for (const [argv, env] of [
      [["--auth-key-file", path], {}],
      [[], { SHIPPER_AUTH_KEY_FILE: path }],
      [[], { SHIPPER_AUTH_KEY: "k3y" }],
    ] as const) {
      const { result } = await resolve(["--generate", ...argv], env);
      expect(typeof result === "object" && text([result.config.key ?? new Uint8Array()])).toEqual([
        "k3y",
      ]);
    }
    const { result } = await resolve(["--generate"]);
    expect(typeof result === "object" && result.config.key).toBe(undefined);
  });

  it.each([
    [["--no-sequence", "--auth-key-file", "FILE"], {}, "option '--auth-key-file'"],
    [["--no-sequence"], { SHIPPER_AUTH_KEY: "k3y" }, "SHIPPER_AUTH_KEY"],
    [[], { SEQUENCE: "false", SHIPPER_AUTH_KEY: "k3y" }, "SHIPPER_AUTH_KEY"],
  ])("exits 2 when a key meets --no-sequence (%j %j)", async (argv, env, named) => {
    const path = keyFile("k3y\n");
    const args = ["--generate", ...argv.map((a) => (a === "FILE" ? path : a))];
    const { result, stderr } = await resolve(args, env);
    expect(result).toBe(2);
    expect(stderr).toBe(
      `shipper-client: error: ${named} cannot be used with --no-sequence: the original framing has no room for a signature\n`,
    );
  });

  it("exits 2 naming --auth-key-file for a missing key file", async () => {
    const { result, stderr } = await resolve(["--generate", "--auth-key-file", join(dir, "gone")]);
    expect(result).toBe(2);
    expect(stderr).toMatch(/^shipper-client: error: option '--auth-key-file <path>': cannot read/);
  });
});
