import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { combineSummaries, type TargetPart } from "../../../src/client/shard/sharded-summary.js";
import { unpackMessage } from "../../../src/client/shard/unpack.js";
import { SummaryCollector } from "../../../src/client/summary.js";
import { BatchEncoder } from "../../../src/wire/index.js";

function encoder(compress: boolean, key?: Uint8Array) {
  return new BatchEncoder({
    compress,
    sequenced: true,
    stream: randomBytes(8),
    ackRequested: true,
    maxDatagramBytes: 1200,
    ...(key === undefined ? {} : { key }),
  });
}

describe("unpackMessage", () => {
  it.each([
    [false, undefined],
    [true, undefined],
    [true, new Uint8Array([1, 2, 3])],
  ])(
    "reads back every entry as written (compress %s, key %s), fragments included",
    (compress, key) => {
      const entries = [
        '{"n":1,"service":"a","x":1.0}',
        `{"n":2,"message":"${randomBytes(6000).toString("base64")}"}`,
        '{"n":3,"dup":1,"dup":2}',
      ];
      const result = encoder(compress, key).encode(entries);
      expect(result.messages.some((message) => message.fragmented)).toBe(true);
      expect(result.messages.flatMap((message) => unpackMessage(message) ?? ["?"])).toEqual(
        entries,
      );
    },
  );
});

describe("combineSummaries", () => {
  it("counts a moved entry once: in entries where logged, in sent where it went", () => {
    const a = new SummaryCollector();
    a.entries = 10;
    a.delivered(6, 1);
    const b = new SummaryCollector();
    b.entries = 14;
    b.delivered(14, 1);
    b.drop("send-failed", 0);
    const parts: TargetPart[] = [
      { name: "a:1", state: "out", moved: 4, outages: 1, summary: a.snapshot() },
      { name: "b:1", state: "live", moved: 0, outages: 0, summary: b.snapshot() },
    ];
    const summary = combineSummaries(parts, { entries: 1, drops: { closed: 1 } });
    expect(summary).toMatchObject({ entries: 21, sent: 20, dropped: 1 });
    expect(summary.dropped_by_reason).toEqual({ closed: 1 });
    expect(summary.targets?.["a:1"]).toMatchObject({
      state: "out",
      entries: 10,
      sent: 6,
      moved: 4,
    });
  });
});
