import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { createDatagramHandler, reportOncePerKind } from "../../src/server/datagram-handler.js";
import { OutputWriter } from "../../src/server/output.js";
import { SourcePolicy } from "../../src/server/sources.js";
import { Counters, INTERNAL_ERROR } from "../../src/server/stats.js";
import type { ForeignFormats } from "../../src/wire/index.js";
import { Collector, utf8 } from "./helpers.js";

const FROM = { address: "10.0.0.5", port: 51234 };

/** Foreign formats whose decoding stage throws, as a bug would. */
const throwing: ForeignFormats = {
  decode() {
    throw new Error("bug in a format");
  },
  sweep() {},
  finish() {},
  stats: {},
};

function setup() {
  const logged: Error[] = [];
  const counters = new Counters();
  const output = new Collector();
  const writer = new OutputWriter(output);
  const decoder = createDecoder({
    now: () => 0,
    accept: new Set(["framed", "json", "syslog", "gelf", "text"]),
    formats: throwing,
    onInternalError: reportOncePerKind((error) => logged.push(error)),
  });
  const handle = createDatagramHandler({
    counters,
    sources: new SourcePolicy({ now: () => 0 }),
    decoder,
    outputs: { accept: (outcome) => writer.writeLines(outcome.entries) },
  });
  return { logged, counters, output, handle };
}

describe("an exception inside decoding", () => {
  it("is counted as internal-error under the datagram's kind and logged once per kind", () => {
    const { logged, counters, output, handle } = setup();
    for (const text of ["<13>one", "<13>two", "plain one", "<13>three", "plain two"]) {
      handle(Buffer.from(utf8(text)), FROM);
    }
    expect(counters.rejected[INTERNAL_ERROR]).toBe(5);
    expect(counters.rejected["invalid-syslog"]).toBe(0);
    expect(counters.rejected["unknown-format"]).toBe(0);
    expect(counters.kinds).toMatchObject({ syslog: 3, text: 2 });
    expect(logged.map((error) => error.message)).toEqual([
      "internal error while decoding a syslog datagram, counted as internal-error (later ones of this kind are counted only): bug in a format",
      "internal error while decoding a text datagram, counted as internal-error (later ones of this kind are counted only): bug in a format",
    ]);
    expect(output.lines()).toEqual([]);
  });

  it("keeps decoding the next datagram when the report itself throws", () => {
    const decoder = createDecoder({
      now: () => 0,
      accept: new Set(["text"]),
      formats: throwing,
      onInternalError: () => {
        throw new Error("logging failed");
      },
    });
    expect(decoder.decode(utf8("hello"))).toMatchObject({
      kind: "text",
      rejected: INTERNAL_ERROR,
    });
  });
});
