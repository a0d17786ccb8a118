/**
 * The fuzzer's own pieces: the corpus is reproduced from its seed, every
 * datagram fits in UDP, the probe sink finds probes cut across chunks, and
 * every bomb is answered as the fuzzer expects by the project's decoder.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Bomb, buildBombs } from "../../scripts/fuzz/bombs.js";
import { corpus } from "../../scripts/fuzz/corpus.js";
import { MAX_DATAGRAM } from "../../scripts/fuzz/envelope.js";
import { Prng } from "../../scripts/fuzz/prng.js";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { probeText, StdoutSink } from "../support/server-process.js";

const NO_BOMBS: readonly Bomb[] = [];

function digest(seed: number, count: number): { hash: string; categories: Set<string> } {
  const hash = createHash("sha256");
  const categories = new Set<string>();
  for (const datagram of corpus({ seed, count, bombs: NO_BOMBS, floodMessages: 10 })) {
    hash.update(datagram.category).update(datagram.bytes);
    categories.add(datagram.category);
    expect(datagram.bytes.length).toBeLessThanOrEqual(MAX_DATAGRAM);
  }
  return { hash: hash.digest("hex"), categories };
}

describe("fuzz corpus", () => {
  it("is the same for the same seed and differs for another seed", () => {
    const first = digest(7, 1500);
    expect(digest(7, 1500).hash).toBe(first.hash);
    expect(digest(8, 1500).hash).not.toBe(first.hash);
    expect(first.categories).toContain("fragment-flood");
    expect(first.categories.size).toBeGreaterThan(15);
  });

  it("produces exactly the count asked for", () => {
    let produced = 0;
    for (const _ of corpus({ seed: 1, count: 777, bombs: NO_BOMBS, floodMessages: 300 })) {
      produced++;
    }
    expect(produced).toBe(777);
  });

  it("draws from a seeded generator: same seed, same numbers", () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const draws = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(draws);
    expect(new Set(draws).size).toBe(100);
  });
});

describe("stdout sink", () => {
  it("counts lines and finds probes cut anywhere between chunks", () => {
    const text = `{"a":1}\n${probeText("n0", 3)}\n{"b":2}\n${probeText("n0", 12)}\n`;
    for (let cut = 0; cut <= text.length; cut++) {
      const sink = new StdoutSink("n0");
      sink.take(Buffer.from(text.slice(0, cut)));
      sink.take(Buffer.from(text.slice(cut)));
      expect(sink.lines).toBe(4);
      expect(sink.highestProbe).toBe(12);
    }
  });

  it("ignores probes of another run", () => {
    const sink = new StdoutSink("mine");
    sink.take(Buffer.from(`${probeText("other", 5)}\n`));
    expect(sink.highestProbe).toBe(-1);
  });
});

describe("bombs", () => {
  it("each is answered by the decoder as the fuzzer expects", () => {
    const decoder = createDecoder({ now: () => 0 });
    for (const bomb of buildBombs(new Prng(1))) {
      if (bomb.legacy === bomb.zlib) continue; // too large for one datagram: sent fragmented
      const outcome = decoder.decode(bomb.legacy);
      expect(outcome.rejected ?? "accepted", bomb.name).toBe(bomb.expect);
    }
  });
});
