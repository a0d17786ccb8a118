import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import {
  ACCEPTABLE_KINDS,
  type AcceptedKind,
  DATAGRAM_KINDS,
  DEFAULT_ACCEPTED_KINDS,
  parseAcceptedKinds,
} from "../../src/wire/kinds.js";
import type { DecodeOutcome } from "../../src/wire/types.js";
import { ALL_GOLDEN } from "../fixtures/datagrams.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";
import { expectWellFormed } from "../support/well-formed.js";

const ALL: ReadonlySet<AcceptedKind> = new Set(ACCEPTABLE_KINDS);

describe("kinds", () => {
  it("accepts every kind but text by default", () => {
    expect([...DEFAULT_ACCEPTED_KINDS]).toEqual(["framed", "json", "syslog", "gelf"]);
  });

  it("lists every kind an outcome can carry", () => {
    expect(DATAGRAM_KINDS).toEqual(["framed", "json", "syslog", "gelf", "text", "unknown"]);
  });
});

describe("parseAcceptedKinds", () => {
  it("reads a comma-separated list, ignoring spaces and repeats", () => {
    expect([...parseAcceptedKinds(" syslog, gelf ,syslog,text")]).toEqual([
      "syslog",
      "gelf",
      "text",
    ]);
  });

  it("names the unknown kind", () => {
    expect(() => parseAcceptedKinds("json,xml")).toThrow(/unknown kind "xml": expected framed/);
    expect(() => parseAcceptedKinds("unknown")).toThrow(TypeError);
  });

  it("refuses an empty list", () => {
    expect(() => parseAcceptedKinds(" , ")).toThrow(/no kind given/);
  });
});

/** A known kind, and entries or a named rejection, never both. */
function expectKnownAndWellFormed(out: DecodeOutcome): void {
  expect(DATAGRAM_KINDS).toContain(out.kind);
  expectWellFormed(out);
}

const GELF = utf8('{"version":"1.1","short_message":"m","level":6}');

/** Starts that lead into each kind's decoder, followed by any bytes. */
const prefixes = fc.constantFrom(
  new Uint8Array(0),
  hex("cbf2"),
  hex("1e0f"),
  hex("1f8b"),
  hex("789c"),
  hex("785e"),
  utf8("{"),
  utf8('{"version":"1.1","short_message":'),
  utf8("<13>"),
  utf8("<13>1 "),
  utf8("<13>1 - h a - - ["),
  utf8("<13>Nov 24 10:00:00 "),
  utf8("<200>"),
);

const samples = [
  GELF,
  deflateSync(GELF),
  gzipSync(GELF),
  concat(hex("1e0f 0102030405060708 0001"), GELF),
  utf8('<14>1 2026-01-01T00:00:00Z h a 1 m [x a="1"] msg'),
  utf8("<14>Nov 24 10:00:00 h t[1]: msg"),
  utf8("a\nb"),
  ...ALL_GOLDEN,
];

describe("Decoder.decode never throws with every kind accepted", () => {
  it("gives entries or a named rejection for any bytes after any kind's first bytes", () => {
    fc.assert(
      fc.property(prefixes, fc.uint8Array({ maxLength: 256 }), (prefix, rest) => {
        const decoder = createDecoder({ now: () => 0, wallClock: () => 0, accept: ALL });
        expectKnownAndWellFormed(decoder.decode(concat(prefix, rest)));
      }),
      { numRuns: 1000 },
    );
  });

  it("gives entries or a named rejection for damaged samples of every kind, under one decoder", () => {
    const damaged = fc
      .tuple(fc.constantFrom(...samples), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat())
      .map(([sample, at, byte, cut]) => {
        const out = sample.slice(0, cut % (sample.length + 1));
        if (out.length > 0) out[at % out.length] = byte;
        return out;
      });
    fc.assert(
      fc.property(fc.array(damaged, { maxLength: 10 }), fc.boolean(), (list, keyed) => {
        const keys = keyed ? [utf8("k")] : [];
        const decoder = createDecoder({ now: () => 0, wallClock: () => 0, accept: ALL, keys });
        for (const datagram of list) expectKnownAndWellFormed(decoder.decode(datagram));
        decoder.sweep();
        decoder.finish();
        expect(decoder.stats.lost).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it("decodes each undamaged sample to entries", () => {
    const decoder = createDecoder({ now: () => 0, wallClock: () => 0, accept: ALL });
    for (const sample of samples.slice(0, 7)) {
      expect(decoder.decode(sample).entries.length).toBeGreaterThan(0);
    }
  });
});
