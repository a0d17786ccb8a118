import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  defaultStatePath,
  formatState,
  loadState,
  parseState,
  type StateRecord,
  saveState,
} from "../../../../../src/commands/client/input/follow/state-store.js";

const record: StateRecord = {
  path: "/var/log/app.log",
  dev: 2049n,
  ino: 18446744073709551615n,
  fingerprint: { hash: "0123456789abcdef0123456789abcdef", bytes: 256 },
  offset: 10240,
};

describe("state text", () => {
  it("round-trips records, inode numbers past 2^53 included", () => {
    const text = formatState([record]);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      files: [
        {
          path: "/var/log/app.log",
          dev: "2049",
          ino: "18446744073709551615",
          fingerprint: "0123456789abcdef0123456789abcdef",
          fingerprint_bytes: 256,
          offset: 10240,
        },
      ],
    });
    expect(parseState(text)).toEqual({ records: [record], problem: undefined });
  });

  it.each([
    ["", "not JSON"],
    ["{", "not JSON"],
    ["[]", "not a state object"],
    ["null", "not a state object"],
    ['{"version":1}', "not a state object"],
    ['{"version":2,"files":[]}', "version 2 is not 1"],
  ])("a bad state %j gives no records: %s", (text, problem) => {
    expect(parseState(text)).toEqual({ records: [], problem });
  });

  it("skips malformed records and says how many", () => {
    const good = JSON.parse(formatState([record])).files[0];
    const files = [
      good,
      { ...good, offset: -1 },
      { ...good, ino: 5 },
      { ...good, fingerprint: "x" },
      7,
    ];
    const parsed = parseState(JSON.stringify({ version: 1, files }));
    expect(parsed.records).toEqual([record]);
    expect(parsed.problem).toBe("4 malformed file record(s) skipped");
  });
});

describe("defaultStatePath", () => {
  it("is under XDG_STATE_HOME, else ~/.local/state", () => {
    const home = () => "/home/u";
    expect(defaultStatePath({ XDG_STATE_HOME: "/st" }, home)).toBe(
      "/st/udp-log-shipper/state.json",
    );
    expect(defaultStatePath({}, home)).toBe("/home/u/.local/state/udp-log-shipper/state.json");
    // The XDG spec ignores a relative path.
    expect(defaultStatePath({ XDG_STATE_HOME: "rel" }, home)).toBe(
      "/home/u/.local/state/udp-log-shipper/state.json",
    );
  });
});

describe("saveState and loadState", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "state-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("creates the directory, writes the state, leaves no temporary file", async () => {
    const path = join(dir, "deep", "er", "state.json");
    await saveState(path, [record]);
    expect(await loadState(path)).toEqual({ records: [record], problem: undefined });
    expect(await readdir(join(dir, "deep", "er"))).toEqual(["state.json"]);
    await saveState(path, []);
    expect((await loadState(path)).records).toEqual([]);
  });

  it("a missing state file is an empty state, no problem", async () => {
    expect(await loadState(join(dir, "none.json"))).toEqual({ records: [], problem: undefined });
  });

  it("a corrupt state file is a problem, not a throw", async () => {
    const path = join(dir, "state.json");
    await writeFile(path, '{"version":1,"files":[{"pa');
    expect(await loadState(path)).toEqual({ records: [], problem: "not JSON" });
  });

  it("a failed write leaves the previous state whole and no temporary file", async () => {
    const path = join(dir, "state.json");
    await saveState(path, [record]);
    const before = await readFile(path, "utf8");
    // A directory where the temporary file goes makes the write fail.
    await mkdir(`${path}.${process.pid}.tmp`);
    await expect(saveState(path, [])).rejects.toThrow();
    expect(await readFile(path, "utf8")).toBe(before);
    await rm(`${path}.${process.pid}.tmp`, { recursive: true });
    // The rename over a directory fails too: the state stays, the temporary file goes.
    const blocked = join(dir, "blocked");
    await mkdir(blocked);
    await expect(saveState(blocked, [record])).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["blocked", "state.json"]);
  });
});
