import { describe, expect, it } from "vitest";
import {
  STREAM_BYTES,
  STREAM_LINES,
  StreamTuning,
} from "../../../src/commands/client/stream-tuning.js";

function counted(): { tuning: StreamTuning; made: () => number } {
  let made = 0;
  const tuning = new StreamTuning(() => {
    made += 1;
  });
  return { tuning, made: () => made };
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
});
