import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { FileSink, type FileSinkOptions } from "../../../src/server/outputs/file-sink.js";
import type { OutputBatch } from "../../../src/server/outputs/types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "file-sink-"));
  dirs.push(dir);
  return dir;
}

function batch(from: number, count: number, pad = 0): OutputBatch {
  const entries = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ n: from + i, pad: "x".repeat(pad) }),
  );
  const bytes = entries.reduce((sum, e) => sum + Buffer.byteLength(e), 0);
  return { messages: [{ id: `m${from}`, entries }], entries: count, bytes };
}

function sink(path: string, options: Partial<FileSinkOptions> = {}) {
  const clock = { t: 0 };
  const file = new FileSink({
    path,
    maxBytes: 0,
    maxAgeMs: 0,
    keep: 3,
    gzip: false,
    now: () => clock.t,
    ...options,
  });
  return { file, clock };
}

/** Every line of the live file and its kept rotations, oldest first. */
function allLines(path: string, keep: number): string[] {
  const lines: string[] = [];
  for (let n = keep; n >= 1; n--) {
    for (const [name, read] of [
      [`${path}.${n}`, (b: Buffer) => b],
      [`${path}.${n}.gz`, gunzipSync],
    ] as const) {
      if (existsSync(name))
        lines.push(...read(readFileSync(name)).toString().split("\n").slice(0, -1));
    }
  }
  if (existsSync(path)) lines.push(...readFileSync(path, "utf8").split("\n").slice(0, -1));
  return lines;
}

describe("FileSink", () => {
  it("appends NDJSON lines", async () => {
    const path = join(tempDir(), "out.ndjson");
    const { file } = sink(path);
    expect(await file.deliver(batch(0, 2))).toEqual({ ok: true });
    expect(await file.deliver(batch(2, 1))).toEqual({ ok: true });
    expect(readFileSync(path, "utf8")).toBe(
      '{"n":0,"pad":""}\n{"n":1,"pad":""}\n{"n":2,"pad":""}\n',
    );
  });

  it("rotates between lines at the size bound, keeps N files and never splits a line", async () => {
    const dir = tempDir();
    const path = join(dir, "out.ndjson");
    const { file } = sink(path, { maxBytes: 1000, keep: 2 });
    for (let i = 0; i < 20; i++) expect((await file.deliver(batch(i * 10, 10, 30))).ok).toBe(true);
    for (const name of readdirSync(dir)) {
      const text = readFileSync(join(dir, name), "utf8");
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
      expect(text.endsWith("\n")).toBe(true);
      for (const line of text.split("\n").slice(0, -1))
        expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(readdirSync(dir).sort()).toEqual(["out.ndjson", "out.ndjson.1", "out.ndjson.2"]);
    const lines = allLines(path, 2).map((l) => (JSON.parse(l) as { n: number }).n);
    // The newest lines, in order, with none missing between them.
    expect(lines.at(-1)).toBe(199);
    expect(lines).toEqual(Array.from({ length: lines.length }, (_, i) => 200 - lines.length + i));
  });

  it("writes one line larger than the bound whole, in a file of its own", async () => {
    const dir = tempDir();
    const path = join(dir, "out.ndjson");
    const { file } = sink(path, { maxBytes: 100 });
    await file.deliver(batch(0, 1));
    await file.deliver(batch(1, 1, 300));
    expect(readFileSync(path, "utf8")).toContain('"n":1');
    expect(readFileSync(`${path}.1`, "utf8")).toBe('{"n":0,"pad":""}\n');
  });

  it("rotates by age before the first write past it", async () => {
    const path = join(tempDir(), "out.ndjson");
    const { file, clock } = sink(path, { maxAgeMs: 60_000 });
    await file.deliver(batch(0, 1));
    clock.t = 59_999;
    await file.deliver(batch(1, 1));
    expect(existsSync(`${path}.1`)).toBe(false);
    clock.t = 60_000;
    await file.deliver(batch(2, 1));
    expect(allLines(`${path}`, 3)).toHaveLength(3);
    expect(readFileSync(path, "utf8")).toBe('{"n":2,"pad":""}\n');
  });

  it("gzips rotated files when asked", async () => {
    const dir = tempDir();
    const path = join(dir, "out.ndjson");
    const { file } = sink(path, { maxBytes: 200, gzip: true });
    for (let i = 0; i < 6; i++) await file.deliver(batch(i * 3, 3, 20));
    expect(readdirSync(dir).filter((n) => n.endsWith(".gz")).length).toBeGreaterThan(0);
    expect(readdirSync(dir).some((n) => /\.\d$/.test(n))).toBe(false);
    expect(
      allLines(path, 3)
        .map((l) => (JSON.parse(l) as { n: number }).n)
        .at(-1),
    ).toBe(17);
  });

  it("reopens the path after logrotate moved the file", async () => {
    const dir = tempDir();
    const path = join(dir, "out.ndjson");
    const { file } = sink(path);
    await file.deliver(batch(0, 1));
    renameSync(path, `${path}.old`);
    await file.deliver(batch(1, 1));
    await file.reopen();
    await file.deliver(batch(2, 1));
    expect(readFileSync(`${path}.old`, "utf8").split("\n")).toHaveLength(3);
    expect(readFileSync(path, "utf8")).toBe('{"n":2,"pad":""}\n');
  });

  it("answers a retryable failure while the directory cannot be written, then delivers", async () => {
    const dir = tempDir();
    const path = join(dir, "sub", "out.ndjson");
    const { file } = sink(path);
    const result = await file.deliver(batch(0, 1));
    expect(result).toMatchObject({ ok: false, retry: true, reason: "enoent" });
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "sub"));
    expect(await file.deliver(batch(0, 1))).toEqual({ ok: true });
    expect(readFileSync(path, "utf8")).toBe('{"n":0,"pad":""}\n');
  });
});
