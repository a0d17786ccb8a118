/** The client's young generation grows once from its size when the settings are made, then no further. */
import { describe, expect, it } from "vitest";
import {
  YOUNG_GENERATION_CAP_BYTES,
  YoungGenerationCap,
  youngGenerationBytes,
} from "../../../src/commands/client/young-generation.js";

const MIB = 1024 * 1024;

function fake(holds = true) {
  const set: number[] = [];
  let bytes = 2 * MIB;
  const cap = new YoungGenerationCap({
    bytes: () => bytes,
    setGrowth: (factor) => {
      set.push(factor);
      return holds;
    },
  });
  return {
    cap,
    set,
    grow: (to: number) => {
      bytes = to;
    },
  };
}

describe("YoungGenerationCap", () => {
  it.each([
    [1, 8],
    [2, 4],
    [4, 2],
    [6, 1],
    [8, 1],
    [16, 1],
  ])("grows %i MiB to the cap (or stays) with factor %i", (mib, factor) => {
    const { cap, grow } = fake();
    grow(mib * MIB);
    expect(cap.start()).toBe(factor);
    expect(YOUNG_GENERATION_CAP_BYTES).toBe(8 * MIB);
  });

  it("has nothing to watch when the young generation is at the cap already", () => {
    const { cap, set, grow } = fake();
    grow(8 * MIB);
    cap.start();
    expect(cap.hold()).toBe(true);
    expect(set).toEqual([]);
  });

  it("waits while the young generation keeps its size at start()", () => {
    const { cap, set } = fake();
    cap.start();
    expect(cap.hold()).toBe(false);
    expect(set).toEqual([]);
  });

  it("sets the growth factor back to 1 once it has grown", () => {
    const { cap, set, grow } = fake();
    cap.start();
    grow(8 * MIB);
    expect(cap.hold()).toBe(true);
    expect(set).toEqual([1]);
  });

  it("counts from the size at start(), not from where it began", () => {
    const { cap, set, grow } = fake();
    grow(4 * MIB);
    expect(cap.start()).toBe(2);
    expect(cap.hold()).toBe(false);
    grow(8 * MIB);
    expect(cap.hold()).toBe(true);
    expect(set).toEqual([1]);
  });

  it("sets nothing before start()", () => {
    const { cap, set, grow } = fake();
    grow(32 * MIB);
    cap.hold();
    expect(set).toEqual([]);
  });

  it("is done too when the user's own flag applies (nothing to set)", () => {
    const { cap, grow } = fake(false);
    cap.start();
    grow(8 * MIB);
    expect(cap.hold()).toBe(true);
  });

  it("reads this process's young generation", () => {
    expect(youngGenerationBytes()).toBeGreaterThan(0);
  });
});
