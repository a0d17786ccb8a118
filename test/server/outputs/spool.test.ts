import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { Spool, spoolDirName } from "../../../src/server/outputs/spool.js";
import { decodeBatch, encodeBatch } from "../../../src/server/outputs/spool-format.js";
import type { OutputBatch } from "../../../src/server/outputs/types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "spool-"));
  dirs.push(dir);
  return dir;
}

function batchOf(messages: { id: string; entries: string[] }[]): OutputBatch {
  let entries = 0;
  let bytes = 0;
  for (const m of messages) {
    entries += m.entries.length;
    for (const e of m.entries) bytes += Buffer.byteLength(e);
  }
  return { messages, entries, bytes };
}

const entryArb = fc.string({ unit: "grapheme" }).map((s) => JSON.stringify({ m: s }));
const batchArb = fc
  .array(
    fc.record({
      id: fc.stringMatching(/^[0-9a-z-]{1,30}$/),
      entries: fc.array(entryArb, { minLength: 1, maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 5 },
  )
  .map(batchOf);

describe("spool file format", () => {
  it("gives back any batch exactly, ids and entry bytes as they were", () => {
    fc.assert(
      fc.property(batchArb, (batch) => {
        expect(decodeBatch(encodeBatch(batch))).toEqual(batch);
      }),
    );
  });

  it("finds any cut or flipped byte corrupt, never a different batch", () => {
    fc.assert(
      fc.property(batchArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (batch, at, flip) => {
        const bytes = encodeBatch(batch);
        const cut = bytes.subarray(0, at % bytes.length);
        expect(decodeBatch(Buffer.from(cut))).toBeUndefined();
        const flipped = Buffer.from(bytes);
        const i = at % flipped.length;
        flipped[i] = (flipped[i] ?? 0) ^ flip;
        const decoded = decodeBatch(flipped);
        if (decoded !== undefined) expect(decoded).toEqual(batch);
      }),
    );
  });
});

describe("Spool", () => {
  const one = batchOf([{ id: "s-1", entries: ['{"a":1}'] }]);

  it("names a directory safely from an output name", () => {
    expect(spoolDirName("https://user@host:8080/a b")).toMatch(
      /^https___user_host_8080_a_b-[0-9a-f]{8}$/,
    );
    expect(spoolDirName("..")).toMatch(/^_-[0-9a-f]{8}$/);
    expect(spoolDirName("a b")).not.toBe(spoolDirName("a_b"));
  });

  it("writes files that a new spool finds in order", async () => {
    const dir = tempDir();
    const spool = new Spool(dir);
    spool.openSync();
    const a = await spool.write(encodeBatch(one), 1);
    const b = await spool.write(encodeBatch(one), 1);
    expect(a.name < b.name).toBe(true);
    const again = new Spool(dir);
    const found = again.openSync();
    expect(found.map((f) => f.name)).toEqual([a.name, b.name]);
    expect(again.bytes).toBe(a.fileBytes + b.fileBytes);
    const c = await again.write(encodeBatch(one), 1);
    expect(c.name > b.name).toBe(true);
  });

  it("deletes the temp file a crash left mid-write, and starts", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "0000000000000003.batch.tmp"), encodeBatch(one).subarray(0, 10));
    const spool = new Spool(dir);
    expect(spool.openSync()).toEqual([]);
    expect(spool.tornRemoved).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("moves a file without a header aside at start, and a corrupt body when read", async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "0000000000000001.batch"), "garbage");
    const body = Buffer.from(encodeBatch(one));
    body[body.length - 2] = 0x41;
    writeFileSync(join(dir, "0000000000000002.batch"), body);
    const spool = new Spool(dir);
    const found = spool.openSync();
    expect(found.map((f) => f.name)).toEqual(["0000000000000002.batch"]);
    expect(spool.corruptFiles).toBe(1);
    expect(await spool.read(found[0] as (typeof found)[0])).toBeUndefined();
    expect(spool.corruptFiles).toBe(2);
    expect(readdirSync(join(dir, "corrupt")).sort()).toEqual([
      "0000000000000001.batch",
      "0000000000000002.batch",
    ]);
    expect(existsSync(join(dir, "0000000000000002.batch"))).toBe(false);
    expect(spool.bytes).toBe(0);
  });
});

/** A 64 KiB tmpfs at a new directory, or undefined where it cannot be mounted (not root, not Linux). */
function smallDisk(): string | undefined {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return undefined;
  const dir = tempDir();
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir], { stdio: "ignore" });
    return dir;
  } catch {
    return undefined;
  }
}

describe("Spool on a full disk", () => {
  it("rejects the write and leaves no half-written file behind", async (context) => {
    const dir = smallDisk();
    if (dir === undefined) {
      console.log("skipping the full-disk spool test: it needs root and `mount -t tmpfs` (Linux)");
      context.skip();
      return;
    }
    try {
      const spool = new Spool(join(dir, "out"));
      spool.openSync();
      const big = batchOf([{ id: "s-1", entries: [JSON.stringify({ pad: "x".repeat(200_000) })] }]);
      await expect(spool.write(encodeBatch(big), 1)).rejects.toMatchObject({ code: "ENOSPC" });
      expect(readdirSync(join(dir, "out"))).toEqual([]);
      expect(spool.bytes).toBe(0);
      const small = await spool.write(
        encodeBatch(batchOf([{ id: "s-2", entries: ['{"a":1}'] }])),
        1,
      );
      expect(readdirSync(join(dir, "out"))).toEqual([small.name]);
    } finally {
      execFileSync("umount", [dir], { stdio: "ignore" });
    }
  });
});
