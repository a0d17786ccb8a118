/**
 * EntryWriter.line puts an entry's head together from parts it keeps
 * across lines (entry-head.ts): over any sequence of instants, levels and
 * lines, each entry must be the one built from that line alone.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVELS } from "../../src/client/levels.js";
import { EntryWriter } from "../../src/entries/entry-writer.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");
const START = [0, NOW, Date.parse("2024-02-29T23:59:59.998Z"), 253_402_300_799_998, -1, 8.64e15];

/** The entry of `line` as the writer's fields give it, the timestamp from Date. */
function alone(line: string, ms: number | undefined, level: string | undefined): string {
  const at = ms === undefined || !(Math.abs(ms) <= 8.64e15) ? NOW : ms;
  const head = `{"timestamp":"${new Date(at).toISOString()}","level":"${level ?? "INFO"}"`;
  return `${head},"message":${JSON.stringify(line)},"service":"svc","host":"h","metadata":{}}`;
}

/** A writer with the settings alone() assumes. */
function settingsWriter(): EntryWriter {
  return new EntryWriter({ level: "INFO", service: "svc", host: "h", fields: [], now: () => NOW });
}

describe("EntryWriter.line over a sequence", () => {
  it("writes each entry as its line, instant and level alone give it", () => {
    const step = fc.record({
      delta: fc.oneof(
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: -100_000, max: 100_000_000 }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
      ),
      none: fc.constantFrom(false, false, false, true),
      level: fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
      line: fc.oneof(fc.stringMatching(/^[ -!#-[\]-~]{0,20}$/), fc.string()),
    });
    fc.assert(
      fc.property(fc.constantFrom(...START), fc.array(step, { maxLength: 60 }), (start, steps) => {
        const writer = settingsWriter();
        let ms = start;
        for (const { delta, none, level, line } of steps) {
          ms = Math.max(-9e15, Math.min(9e15, ms + delta));
          const given = none ? undefined : ms;
          const plain = /^[ -!#-[\]-~]*$/.test(line);
          const entry = writer.line(line, given, level, undefined, plain);
          expect(entry.json).toBe(alone(line, given, level));
          expect(entry.bytes).toBe(Buffer.byteLength(entry.json));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("takes NaN for now", () => {
    const writer = settingsWriter();
    expect(writer.line("x", Number.NaN, undefined).json).toBe(alone("x", undefined, undefined));
  });
});
