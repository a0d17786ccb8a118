import {
  appendFile,
  mkdtemp,
  rename,
  rm,
  stat,
  truncate,
  unlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fingerprintOf } from "../../../../../src/commands/client/input/follow/identity.js";
import { Driver } from "./driver.js";

let dir: string;
let driver: Driver | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "follow-"));
});
afterEach(async () => {
  await driver?.stop();
  driver = undefined;
  await rm(dir, { recursive: true, force: true });
});

const start = (options: Partial<ConstructorParameters<typeof Driver>[0]> = {}) => {
  driver = new Driver({ patterns: [join(dir, "app.log")], ...options });
  return driver;
};

describe("Follower", () => {
  it("reads a file to its end, then the lines appended to it, each with its end offset", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "one\n\ntwo\r\n");
    const d = start();
    await d.lines(2);
    await appendFile(path, "thr");
    await d.idle(2);
    expect(d.texts).toEqual(["one", "two"]);
    await appendFile(path, "ee\nfour\n");
    await d.lines(4);
    expect(d.got).toEqual([
      { text: "one", path, end: 4 },
      { text: "two", path, end: 10 },
      { text: "three", path, end: 16 },
      { text: "four", path, end: 21 },
    ]);
  });

  it("counts the byte order mark in the offsets", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "\ufeffone\ntwo\n");
    const d = start();
    await d.lines(2);
    expect(d.got.map((line) => [line.text, line.end])).toEqual([
      ["one", 7],
      ["two", 11],
    ]);
  });

  it("rename and create: finishes the old file, then reads the new one from its start", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "old 1\n");
    const d = start();
    await d.lines(1);
    await rename(path, `${path}.1`);
    // Written by a writer that has not reopened its log yet.
    await appendFile(`${path}.1`, "old 2\n");
    await writeFile(path, "new 1\n");
    await d.lines(3);
    expect(d.texts).toEqual(["old 1", "old 2", "new 1"]);
    expect(d.follower.stats).toMatchObject({ files: 2, rotations: 1, truncations: 0 });
    // The old file is let go once it has not grown for the rotate wait.
    await d.idle(25);
    expect(d.follower.files().map((file) => file.path)).toEqual([path]);
  });

  it("rename and create: an old file's last line without LF comes before the new file's lines", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "old 1\n");
    const d = start();
    await d.lines(1);
    await appendFile(path, "old 2\nold 3 without LF");
    await d.lines(2);
    await rename(path, `${path}.1`);
    await writeFile(path, "new 1\nnew 2\n");
    // The new file waits while the old one may still end its line; it is let go after the rotate wait.
    await d.lines(5);
    expect(d.texts).toEqual(["old 1", "old 2", "old 3 without LF", "new 1", "new 2"]);
  });

  it("rename and create: an old file's line ended after the rotation keeps its place", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "old 1\nold 2 ");
    const d = start();
    await d.lines(1);
    await rename(path, `${path}.1`);
    await writeFile(path, "new 1\n");
    await d.idle(2);
    expect(d.texts).toEqual(["old 1"]);
    // The writer ends its line in the old file, then moves to the new one.
    await appendFile(`${path}.1`, "ended\n");
    await d.lines(3);
    expect(d.texts).toEqual(["old 1", "old 2 ended", "new 1"]);
  });

  it("a rotated file matched by the pattern under its new name is not read twice", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "old 1\n");
    const d = start({ patterns: [join(dir, "app.log*")] });
    await d.lines(1);
    await rename(path, `${path}.1`);
    await writeFile(path, "new 1\n");
    await d.lines(2);
    await d.idle(30);
    expect(d.texts).toEqual(["old 1", "new 1"]);
    expect(
      d.follower
        .files()
        .map((file) => file.path)
        .sort(),
    ).toEqual([path, `${path}.1`]);
  });

  it("copytruncate: a file shorter than read is read again from its start", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "line 1\nline 2\n");
    const d = start();
    await d.lines(2);
    await truncate(path, 0);
    await d.idle(1);
    await appendFile(path, "line 3\n");
    await d.lines(3);
    expect(d.texts).toEqual(["line 1", "line 2", "line 3"]);
    expect(d.got.at(-1)?.end).toBe(7);
    expect(d.follower.stats.truncations).toBe(1);
  });

  it("a file truncated and written past the offset between two looks is told by its first bytes", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "a 1\n");
    const d = start();
    await d.lines(1);
    await d.idle(1);
    await writeFile(path, "b 1 much longer than before\n");
    await d.lines(2);
    expect(d.texts).toEqual(["a 1", "b 1 much longer than before"]);
    expect(d.follower.stats.truncations).toBe(1);
  });

  it("a deleted file is read to its end, its last unterminated line included, and let go", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "one\n");
    const d = start();
    await d.lines(1);
    await appendFile(path, "two\nthree");
    await unlink(path);
    await d.lines(3);
    expect(d.texts).toEqual(["one", "two", "three"]);
    expect(d.got.at(-1)?.end).toBe(13);
    await d.idle(2);
    expect(d.follower.files()).toEqual([]);
    expect(d.follower.stats.deleted).toBe(1);
  });

  it("waits for a literal path that is not there yet, and says so once", async () => {
    const path = join(dir, "app.log");
    const d = start();
    await d.idle(2);
    expect(d.notices).toEqual([`${path} does not exist yet; it is followed once it does`]);
    await writeFile(path, "late\n");
    await d.lines(1);
    expect(d.texts).toEqual(["late"]);
  });

  it("picks up files created later that match a pattern", async () => {
    await writeFile(join(dir, "a.log"), "a\n");
    const d = start({ patterns: [join(dir, "*.log")] });
    await d.lines(1);
    await writeFile(join(dir, "b.log"), "b\n");
    await d.lines(2);
    expect(d.got.map((line) => line.path)).toEqual([join(dir, "a.log"), join(dir, "b.log")]);
  });

  it("resumes at a state record's offset when device, inode and fingerprint match", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "sent\nnot yet\n");
    const { dev, ino } = await stat(path, { bigint: true });
    const fingerprint = fingerprintOf(Buffer.from("sent\nnot yet\n"));
    const d = start({ records: [{ path, dev, ino, fingerprint, offset: 5 }] });
    await d.lines(1);
    expect(d.texts).toEqual(["not yet"]);
  });

  it("a record whose fingerprint differs (inode reused) is another file: read from its start", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "fresh 1\nfresh 2\n");
    const { dev, ino } = await stat(path, { bigint: true });
    const fingerprint = fingerprintOf(Buffer.from("stale content\n"));
    const d = start({ records: [{ path, dev, ino, fingerprint, offset: 8 }] });
    await d.lines(2);
    expect(d.texts).toEqual(["fresh 1", "fresh 2"]);
  });

  it("--read-from tail skips what a file found at start already holds", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, "before\n");
    const d = start({ readFrom: "tail" });
    await d.idle(1);
    await appendFile(path, "after\n");
    await d.lines(1);
    expect(d.texts).toEqual(["after"]);
  });

  it("keeps at most maxOpenFiles open; the others are read in turn", async () => {
    for (const name of ["a", "b", "c", "d", "e"])
      await writeFile(join(dir, `${name}.log`), `${name} 1\n`);
    const d = start({ patterns: [join(dir, "*.log")], maxOpenFiles: 2 });
    let mostOpen = 0;
    const open = () => d.follower.files().filter((file) => file.open).length;
    await d.until(() => {
      mostOpen = Math.max(mostOpen, open());
      return d.got.length >= 5;
    });
    for (const name of ["a", "b", "c", "d", "e"])
      await appendFile(join(dir, `${name}.log`), `${name} 2\n`);
    await d.until(() => {
      mostOpen = Math.max(mostOpen, open());
      return d.got.length >= 10;
    });
    expect(mostOpen).toBe(2);
    expect(d.texts.sort()).toEqual([
      "a 1",
      "a 2",
      "b 1",
      "b 2",
      "c 1",
      "c 2",
      "d 1",
      "d 2",
      "e 1",
      "e 2",
    ]);
    expect(d.follower.files().filter((file) => file.open).length).toBeLessThanOrEqual(2);
    expect(d.follower.files()).toHaveLength(5);
  });

  it("a busy file does not starve another: files take turns chunk by chunk", async () => {
    const line = `${"x".repeat(99)}\n`;
    await writeFile(join(dir, "a.log"), line.repeat(3000));
    await writeFile(join(dir, "b.log"), "b\n");
    const d = start({ patterns: [join(dir, "*.log")] });
    await d.until(() => d.texts.includes("b"));
    expect(d.got.length).toBeLessThan(3000);
  });

  it("cuts lines longer than maxLineBytes", async () => {
    const path = join(dir, "app.log");
    await writeFile(path, `${"y".repeat(3000)}\nshort\n`);
    const d = start({ maxLineBytes: 1024 });
    await d.lines(2);
    expect(d.got.map((line) => [line.text.length, line.end])).toEqual([
      [1024, 3001],
      [5, 3007],
    ]);
    await d.stop();
    driver = undefined;
    expect(d.follower.stats.cut).toBe(1);
  });

  it("a path that is a directory, or cannot be opened, is told once and counted", async () => {
    const { mkdir, chmod } = await import("node:fs/promises");
    await mkdir(join(dir, "app.log"));
    await writeFile(join(dir, "locked.log"), "secret\n");
    await chmod(join(dir, "locked.log"), 0);
    const d = start({ patterns: [join(dir, "app.log"), join(dir, "*.log")] });
    await d.idle(3);
    const root = process.getuid?.() === 0;
    expect(d.notices).toEqual([
      `cannot read ${join(dir, "app.log")}: not a regular file`,
      ...(root ? [] : [expect.stringMatching(/^cannot read .*locked\.log: EACCES/)]),
    ]);
    expect(d.follower.stats.unreadable).toBe(root ? 1 : 2);
  });

  it("state records of files waiting for a descriptor at start are kept until they are opened", async () => {
    const records = [];
    for (const name of ["a", "b", "c"]) {
      const path = join(dir, `${name}.log`);
      await writeFile(path, `${name} old\n${name} new\n`);
      const { dev, ino } = await stat(path, { bigint: true });
      const fingerprint = fingerprintOf(Buffer.from(`${name} old\n${name} new\n`));
      records.push({ path, dev, ino, fingerprint, offset: 6 });
    }
    const d = start({ patterns: [join(dir, "*.log")], maxOpenFiles: 1, records });
    await d.lines(1);
    expect(d.follower.records().map((record) => record.offset)).toEqual([6, 6, 6]);
    await d.lines(3);
    expect(d.texts.sort()).toEqual(["a new", "b new", "c new"]);
  });
});
