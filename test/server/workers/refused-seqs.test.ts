import { describe, expect, it } from "vitest";
import { RefusedSeqs } from "../../../src/server/workers/refused-seqs.js";

describe("RefusedSeqs", () => {
  it("lets the next copy of a refused seq in once", () => {
    const refused = new RefusedSeqs();
    expect(refused.take("aa", 1)).toBe(false);
    refused.add("aa", 1);
    expect(refused.take("aa", 2)).toBe(false);
    expect(refused.take("bb", 1)).toBe(false);
    expect(refused.take("aa", 1)).toBe(true);
    expect(refused.take("aa", 1)).toBe(false);
  });

  it("forgets the oldest past its bound", () => {
    const refused = new RefusedSeqs(2);
    refused.add("s", 1);
    refused.add("s", 2);
    refused.add("s", 3);
    expect(refused.size).toBe(2);
    expect(refused.take("s", 1)).toBe(false);
    expect(refused.take("s", 3)).toBe(true);
  });
});
