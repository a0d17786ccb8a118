import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type AllMeasurements, sectionTables } from "../../bench/section-tables.js";
import { ROOT } from "../support/process.js";

function results(name: string): AllMeasurements {
  return JSON.parse(readFileSync(`${ROOT}bench/results/${name}`, "utf8"), (_key, value) =>
    value === null ? Number.NaN : value,
  ) as AllMeasurements;
}

describe("sectionTables", () => {
  it("tells a section of an older shape in its place and renders the others", () => {
    // End to end without the paired runs its table reads, as a file of an earlier run keeps it.
    const m = { ...results("2026-12-07za.json"), endToEnd: { median: {}, runs: [] } };
    const found = sectionTables(m as unknown as AllMeasurements);
    const e2e = found.find((s) => s.section === "e2e");
    expect(e2e?.text).toMatch(
      /^\(not rendered: this file's e2e results are not of the shape its table reads: /,
    );
    const pino = found.find((s) => s.section === "pino");
    expect(pino?.text).toContain("pino-socket");
    expect(found.map((s) => s.section)).toContain("whole");
  });

  it("renders every section of a current results file", () => {
    const found = sectionTables(results("2026-12-07za.json"));
    expect(found.filter((s) => s.text.startsWith("(not rendered"))).toEqual([]);
    expect(found.length).toBeGreaterThan(10);
  });
});
