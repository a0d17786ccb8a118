import { describe, expect, it } from "vitest";
import { BufferPool } from "../../src/client/buffer-pool.js";

describe("BufferPool", () => {
  it("gives buffers of at least the size asked, by powers of two from 16 KiB", () => {
    const pool = new BufferPool();
    expect(pool.take(1).byteLength).toBe(16 * 1024);
    expect(pool.take(16 * 1024 + 1).byteLength).toBe(32 * 1024);
    expect(pool.take(100_000).byteLength).toBe(128 * 1024);
  });

  it("gives back a buffer it was handed, for a size of its class", () => {
    const pool = new BufferPool();
    const first = pool.take(20_000);
    pool.give(first);
    expect(pool.take(30_000)).toBe(first);
    expect(pool.take(30_000)).not.toBe(first);
  });

  it("keeps at most 16 of a size, and none it did not size or larger than 1 MiB", () => {
    const pool = new BufferPool();
    const given = Array.from({ length: 18 }, () => pool.take(20_000));
    for (const buffer of given) pool.give(buffer);
    const odd = new ArrayBuffer(20_000);
    const huge = pool.take(2 * 1024 * 1024);
    pool.give(odd);
    pool.give(huge);
    const taken = Array.from({ length: 18 }, () => pool.take(20_000));
    expect(taken.filter((buffer) => given.includes(buffer))).toHaveLength(16);
    expect(taken).not.toContain(odd);
    expect(pool.take(2 * 1024 * 1024)).not.toBe(huge);
  });
});
