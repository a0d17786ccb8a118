import { describe, expect, it } from "vitest";
import {
  HOLD_CHECK_LINES,
  STREAM_BYTES,
  STREAM_LINES,
  StreamTuning,
} from "../../../src/commands/client/stream-tuning.js";

/** A tuning whose steps count their calls; hold() reports done once `holdAfter` looks were made. */
function counted(holdAfter = Number.POSITIVE_INFINITY) {
  let made = 0;
  let looks = 0;
  const tuning = new StreamTuning({
    tune: () => {
      made += 1;
    },
    hold: () => {
      looks += 1;
      return looks >= holdAfter;
    },
  });
  return { tuning, made: () => made, looks: () => looks };
}

describe("StreamTuning", () => {
  it("makes the settings at the STREAM_LINES-th line, once", () => {
    const { tuning, made } = counted();
    for (let i = 1; i < STREAM_LINES; i++) tuning.line(10);
    expect(made()).toBe(0);
    tuning.line(10);
    expect(made()).toBe(1);
    for (let i = 0; i < 3 * STREAM_LINES; i++) tuning.line(10);
    expect(made()).toBe(1);
  });

  it("makes them once the lines reach STREAM_BYTES, however few", () => {
    const { tuning, made } = counted();
    tuning.line(STREAM_BYTES - 1);
    expect(made()).toBe(0);
    tuning.line(1);
    expect(made()).toBe(1);
  });

  it("never for a short input", () => {
    const { tuning, made } = counted();
    for (let i = 0; i < 10; i++) tuning.line(100);
    expect(made()).toBe(0);
  });

  it("at once when asked, and not again at the threshold", () => {
    const { tuning, made } = counted();
    tuning.now();
    for (let i = 0; i < STREAM_LINES; i++) tuning.line(10);
    expect(made()).toBe(1);
  });

  it("looks at the young generation every HOLD_CHECK_LINES lines once made, until held", () => {
    const { tuning, looks } = counted(2);
    tuning.now();
    for (let i = 1; i < HOLD_CHECK_LINES; i++) tuning.line(10);
    expect(looks()).toBe(0);
    tuning.line(10);
    expect(looks()).toBe(1);
    for (let i = 0; i < HOLD_CHECK_LINES; i++) tuning.line(10);
    expect(looks()).toBe(2);
    for (let i = 0; i < 5 * HOLD_CHECK_LINES; i++) tuning.line(10);
    expect(looks()).toBe(2);
  });

  it("does not look before the settings are made", () => {
    const { tuning, looks } = counted();
    for (let i = 1; i < STREAM_LINES; i++) tuning.line(1);
    expect(looks()).toBe(0);
  });
});
