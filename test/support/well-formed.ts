/** The decoder's promise for any bytes: entries or a named rejection, never both. */
import { expect } from "vitest";
import { REJECT_REASONS } from "../../src/wire/reasons.js";
import type { DecodeOutcome } from "../../src/wire/types.js";

/** Entries or a named rejection, never both; every entry one line of a JSON object. */
export function expectWellFormed(out: DecodeOutcome): void {
  if (out.rejected !== undefined) {
    expect(REJECT_REASONS).toContain(out.rejected);
    expect(out.entries).toEqual([]);
  }
  for (const entry of out.entries) {
    expect(entry).not.toMatch(/[\n\r]/);
    const value: unknown = JSON.parse(entry);
    expect(typeof value === "object" && value !== null && !Array.isArray(value)).toBe(true);
  }
}
