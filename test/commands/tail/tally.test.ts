/**
 * What shipper-tail counts of the messages it reads: entries of batch and
 * entry messages, per service, duplicates by Nats-Msg-Id, messages without
 * one, lines that are not JSON objects.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entryLines, StreamTally } from "../../../src/commands/tail/tally.js";

const entry = (service: unknown, n = 0) => JSON.stringify({ message: `m${n}`, service });
const batch = (...lines: string[]) => lines.map((line) => `${line}\n`).join("");

describe("StreamTally", () => {
  it("counts the entries of batch and entry messages per service", () => {
    const tally = new StreamTally("LOGS");
    expect(tally.add({ id: "a-1", data: batch(entry("api"), entry("api"), entry("web")) })).toEqual(
      [entry("api"), entry("api"), entry("web")],
    );
    tally.add({ id: "a-2-0", data: entry("web") });
    expect(tally.totals()).toEqual({
      stream: "LOGS",
      messages: 2,
      entries: 4,
      duplicates: 0,
      duplicate_entries: 0,
      without_id: 0,
      unparsed: 0,
      services: { api: 2, web: 2 },
    });
  });

  it("counts a message whose id was seen before as a duplicate, with its entries", () => {
    const tally = new StreamTally("LOGS");
    tally.add({ id: "s-1", data: batch(entry("api"), entry("api")) });
    tally.add({ id: "s-2", data: batch(entry("api")) });
    tally.add({ id: "s-1", data: batch(entry("api"), entry("api")) });
    const totals = tally.totals();
    expect(totals).toMatchObject({ messages: 3, entries: 5, duplicates: 1, duplicate_entries: 2 });
    expect(totals.services).toEqual({ api: 5 });
  });

  it("counts messages without an id, and lines that are not JSON objects", () => {
    const tally = new StreamTally("X");
    tally.add({ id: undefined, data: batch("not json", "[1]", entry(7), entry(""), "{}") });
    expect(tally.totals()).toMatchObject({
      messages: 1,
      entries: 5,
      without_id: 1,
      unparsed: 2,
      services: { unknown: 3 },
    });
  });

  it("lists the services in name order", () => {
    const tally = new StreamTally("LOGS");
    tally.add({ id: "1", data: batch(entry("zeta"), entry("alpha"), entry("mid")) });
    expect(Object.keys(tally.totals().services)).toEqual(["alpha", "mid", "zeta"]);
  });
});

describe("entryLines", () => {
  it("gives back the lines of any NDJSON text, with or without the last line feed", () => {
    const line = fc.string({ minLength: 1 }).filter((s) => !s.includes("\n"));
    fc.assert(
      fc.property(fc.array(line), fc.boolean(), (lines, ended) => {
        const text = lines.join("\n") + (ended && lines.length > 0 ? "\n" : "");
        expect(entryLines(text)).toEqual(lines);
      }),
    );
  });
});
