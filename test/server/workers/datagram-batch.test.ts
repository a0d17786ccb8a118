import { describe, expect, it } from "vitest";
import { DatagramBatch, splitBatch } from "../../../src/server/workers/datagram-batch.js";

const from = { address: "127.0.0.1", port: 5 };

describe("DatagramBatch", () => {
  it("copies its datagrams into one buffer that splits back into them, and starts anew", () => {
    const batch = new DatagramBatch();
    const datagrams = [Buffer.from("one"), Buffer.alloc(0), Buffer.from("three!")];
    for (const d of datagrams) batch.add(d, { from, source: "127.0.0.1", bytes: d.length });
    expect(batch.size).toBe(3);
    const sealed = batch.seal();
    expect(sealed.data.byteLength).toBe(9);
    expect(splitBatch(sealed.data, sealed.lengths).map((v) => Buffer.from(v).toString())).toEqual([
      "one",
      "",
      "three!",
    ]);
    expect(sealed.kept.map((k) => k.bytes)).toEqual([3, 0, 6]);
    datagrams[0]?.fill(0);
    expect(Buffer.from(splitBatch(sealed.data, sealed.lengths)[0] ?? []).toString()).toBe("one");
    expect(batch.size).toBe(0);
    expect(batch.seal().lengths).toHaveLength(0);
  });
});
