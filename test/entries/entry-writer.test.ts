import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEVELS } from "../../src/client/levels.js";
import { EntryWriter } from "../../src/entries/entry-writer.js";

const NOW = Date.parse("2026-11-24T12:00:00.000Z");

function writer(fields: [string, string][] = []) {
  return new EntryWriter({ level: "INFO", service: "svc é", host: "hôte", fields, now: () => NOW });
}

describe("EntryWriter", () => {
  it("writes a parsed entry as JSON.stringify writes its object", () => {
    const parsed = fc.record({
      ms: fc.option(fc.integer({ min: -8.64e15, max: 8.64e15 }), { nil: undefined }),
      level: fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
      message: fc.option(fc.string({ unit: "binary" }), { nil: undefined }),
      service: fc.option(fc.string(), { nil: undefined }),
      host: fc.option(fc.string(), { nil: undefined }),
      metadata: fc.dictionary(fc.string(), fc.jsonValue()),
    });
    fc.assert(
      fc.property(parsed, fc.string(), (p, message) => {
        const w = writer([["k", "v"]]);
        const json = w.parsed(structuredClone(p), message);
        expect(json.json).toBe(JSON.stringify(w.entry(structuredClone(p), message)));
        expect(json.bytes).toBe(Buffer.byteLength(json.json));
      }),
    );
  });

  it("writes a line entry with the defaults, host and fields, its bytes right", () => {
    const entry = writer([["dc", "eü"]]).line("naïve line", undefined, "ERROR");
    expect(JSON.parse(entry.json)).toEqual({
      timestamp: "2026-11-24T12:00:00.000Z",
      level: "ERROR",
      message: "naïve line",
      service: "svc é",
      host: "hôte",
      metadata: { dc: "eü" },
    });
    expect(entry.bytes).toBe(Buffer.byteLength(entry.json));
  });

  it("adds static fields only where the metadata has none of that name", () => {
    const entry = writer([
      ["env", "prod"],
      ["dc", "eu"],
    ]).entry(
      {
        ms: 0,
        level: undefined,
        message: "m",
        service: undefined,
        host: undefined,
        metadata: { env: "dev" },
      },
      "",
    );
    expect(entry.metadata).toEqual({ env: "dev", dc: "eu" });
    expect(entry.timestamp).toBe("1970-01-01T00:00:00.000Z");
  });

  it("writes a plain line between quotes as it writes the line searched", () => {
    // Printable ASCII without a quote or a backslash: nothing JSON escapes.
    const plain = fc.stringMatching(/^[ -!#-[\]-~]{0,40}$/);
    fc.assert(
      fc.property(
        plain,
        fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
        (line, level) => {
          const searched = writer([["dc", "eü"]]).line(line, NOW + 1, level);
          const quoted = writer([["dc", "eü"]]).line(line, NOW + 1, level, undefined, true);
          expect(quoted).toEqual(searched);
          expect(quoted.bytes).toBe(Buffer.byteLength(quoted.json));
        },
      ),
    );
  });
});
