import { describe, expect, it } from "vitest";
import {
  REFUSAL_CODES,
  REFUSAL_QUIET_MS,
  RefusalWatch,
  refusalCode,
} from "../../src/client/refusals.js";

describe("refusalCode", () => {
  it.each([
    ["ECONNREFUSED", "ECONNREFUSED"],
    ["EHOSTUNREACH", "EHOSTUNREACH"],
    ["ENETUNREACH", "ENETUNREACH"],
    ["ENOBUFS", undefined],
    ["EMSGSIZE", undefined],
    [undefined, undefined],
  ])("%s -> %s", (code, expected) => {
    expect(refusalCode(code)).toBe(expected);
  });

  it("lists each code once", () => {
    expect(REFUSAL_CODES).toEqual(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);
  });
});

type Step = readonly ["refused", boolean] | readonly ["accepted", number];

/** Plays steps on a watch with a 1000 ms quiet time; each refusal checks whether it was news. */
function play(steps: readonly Step[]): void {
  const watch = new RefusalWatch(1000);
  for (const [index, step] of steps.entries()) {
    if (step[0] === "accepted") watch.accepted(step[1]);
    else expect(watch.refused(), `step ${index}`).toBe(step[1]);
  }
}

describe("RefusalWatch", () => {
  it("makes the first refusal news, and not the ones after it", () => {
    play([
      ["accepted", 0],
      ["refused", true],
      ["refused", false],
      ["accepted", 10],
      ["refused", false],
    ]);
  });

  it("is news again once datagrams kept going out unrefused for the quiet time", () => {
    play([
      ["refused", true],
      ["accepted", 100],
      ["accepted", 600],
      ["accepted", 1100],
      ["refused", true],
    ]);
  });

  it("a refusal within the quiet time starts it over", () => {
    play([
      ["refused", true],
      ["accepted", 100],
      ["accepted", 900],
      ["refused", false],
      ["accepted", 1000],
      ["accepted", 1500],
      ["refused", false],
    ]);
  });

  it("a slow steady stream of refusals is one piece of news however far apart", () => {
    play([
      ["refused", true],
      ["accepted", 60_000],
      ["refused", false],
      ["accepted", 120_000],
      ["refused", false],
    ]);
  });

  it("says whether refusals are going on, with a 10 s default quiet time", () => {
    const watch = new RefusalWatch();
    expect(watch.refusing).toBe(false);
    watch.refused();
    expect(watch.refusing).toBe(true);
    watch.accepted(0);
    watch.accepted(REFUSAL_QUIET_MS - 1);
    expect(watch.refusing).toBe(true);
    watch.accepted(REFUSAL_QUIET_MS);
    expect(watch.refusing).toBe(false);
  });
});
