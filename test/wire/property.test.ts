import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { parsePayload } from "../../src/wire/payload.js";
import { BatchEncoder } from "../../src/wire/send/encoder.js";
import { ALL_GOLDEN, GOLDEN_KEY } from "../fixtures/datagrams.js";
import { expectWellFormed } from "../support/well-formed.js";

const RUNS = 500;

const golden = fc.constantFrom(...ALL_GOLDEN);

/** A golden datagram with one kind of damage. */
const mutated = fc.oneof(
  fc.tuple(golden, fc.nat(), fc.integer({ min: 0, max: 7 })).map(([d, at, bit]) => {
    const out = d.slice();
    const i = at % out.length;
    out[i] = (out[i] ?? 0) ^ (1 << bit);
    return out;
  }),
  fc.tuple(golden, fc.nat()).map(([d, at]) => d.slice(0, at % (d.length + 1))),
  fc.tuple(golden, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([d, at, byte]) => {
    const out = d.slice();
    out[at % out.length] = byte;
    return out;
  }),
  fc.tuple(golden, fc.uint8Array({ maxLength: 64 })).map(([d, tail]) => {
    const out = new Uint8Array(d.length + tail.length);
    out.set(d);
    out.set(tail, d.length);
    return out;
  }),
);

describe("Decoder.decode never throws", () => {
  it("gives entries or a named rejection for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expectWellFormed(createDecoder({ now: () => 0 }).decode(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it("gives entries or a named rejection for any bytes after the magic", () => {
    const framed = fc
      .uint8Array({ maxLength: 256 })
      .map((rest) => Uint8Array.of(0xcb, 0xf2, ...rest));
    fc.assert(
      fc.property(framed, fc.boolean(), (bytes, keyed) => {
        const keys = keyed ? [GOLDEN_KEY] : [];
        expectWellFormed(createDecoder({ now: () => 0, keys }).decode(bytes));
      }),
      { numRuns: RUNS },
    );
  });

  it("survives bit flips, truncations, byte changes and trailing bytes in golden datagrams", () => {
    fc.assert(
      fc.property(
        fc.array(mutated, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (list, keyed) => {
          const decoder = createDecoder({ now: () => 0, keys: keyed ? [GOLDEN_KEY] : [] });
          for (const datagram of list) expectWellFormed(decoder.decode(datagram));
          decoder.sweep();
          decoder.finish();
          expect(decoder.stats.lost).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("keeps every golden datagram's reason or entries stable under a shared decoder", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...ALL_GOLDEN]), (list) => {
        const decoder = createDecoder({ now: () => 0 });
        for (const datagram of list) expectWellFormed(decoder.decode(datagram));
      }),
      { numRuns: 200 },
    );
  });
});

/** What the payload should give for a JSON value: the object elements, in order. */
function expectedObjects(value: unknown): unknown[] | undefined {
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : undefined;
}

function parseText(text: string) {
  return parsePayload(new TextEncoder().encode(text));
}

describe("parsePayload round-trips any JSON value", () => {
  const anyJson = fc.oneof(
    fc.json(),
    fc.json({ stringUnit: "binary" }),
    fc.array(fc.json(), { maxLength: 10 }).map((items) => `[${items.join(",")}]`),
  );

  it("returns each object element, and JSON.parse of each entry deep-equals it", () => {
    fc.assert(
      fc.property(anyJson, (text) => {
        const value: unknown = JSON.parse(text);
        const expected = expectedObjects(value);
        const result = parseText(text);
        if (expected === undefined) {
          expect(result).toEqual({ ok: false, reason: "invalid-json" });
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.value.entries.map((entry) => JSON.parse(entry))).toEqual(expected);
        const elements = Array.isArray(value) ? value.length : 1;
        expect(result.value.invalidEntries).toBe(elements - expected.length);
      }),
      { numRuns: RUNS },
    );
  });

  it("compacts pretty-printed JSON to exactly the compact form", () => {
    const value = fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 8 }));
    fc.assert(
      fc.property(value, fc.constantFrom(1, 2, "\t", " \r\n"), (json, indent) => {
        const expected = expectedObjects(json);
        const result = parseText(JSON.stringify(json, null, indent));
        if (expected === undefined) return;
        expect(result.ok && result.value.entries).toEqual(expected.map((v) => JSON.stringify(v)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("BatchEncoder output decodes to the entries sent", () => {
  const entry = fc
    .dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })
    .map((value) => JSON.stringify(value));
  /** Larger than any datagram of the test: sent as a fragmented message. */
  const bigEntry = fc
    .string({ minLength: 2000, maxLength: 6000 })
    .map((message) => JSON.stringify({ message }));
  const stream = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);

  it("sequenced, with splitting and fragments in any order, signed or not", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ arbitrary: entry, weight: 9 }, { arbitrary: bigEntry, weight: 1 }), {
          maxLength: 40,
        }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 120, max: 2000 }),
        fc.nat(),
        (entries, compress, signed, maxDatagramBytes, seed) => {
          const key = signed ? GOLDEN_KEY : undefined;
          const encoder = new BatchEncoder({
            compress,
            sequenced: true,
            stream,
            maxDatagramBytes,
            ...(key !== undefined ? { key } : {}),
          });
          const decoder = createDecoder({ now: () => 0, keys: key !== undefined ? [key] : [] });
          const result = encoder.encode(entries);
          const received: string[] = [];
          // Uncompressed, an entry larger than any datagram can only travel in fragments.
          if (!compress && entries.some((e) => e.length >= 2000)) {
            expect(result.messages.some((m) => m.fragmented)).toBe(true);
          }
          for (const message of result.messages) {
            const datagrams = [...message.datagrams];
            // Rotate the fragments so they do not arrive in index order.
            const shift = seed % Math.max(datagrams.length, 1);
            for (const datagram of [...datagrams.slice(shift), ...datagrams.slice(0, shift)]) {
              expect(datagram.length).toBeLessThanOrEqual(maxDatagramBytes);
              const out = decoder.decode(datagram);
              expect(out.rejected).toBeUndefined();
              received.push(...out.entries);
            }
          }
          const dropped = result.dropped.reduce((sum, d) => sum + d.entries, 0);
          expect(dropped).toBe(0);
          expect(received).toEqual(entries);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("unsequenced, as the original shipper: bare JSON or CB F2 01 + zlib", () => {
    fc.assert(
      fc.property(
        fc.array(entry, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (entries, compress) => {
          const encoder = new BatchEncoder({
            compress,
            sequenced: false,
            maxDatagramBytes: 65_507,
          });
          const decoder = createDecoder({ now: () => 0 });
          const received: string[] = [];
          for (const message of encoder.encode(entries).messages) {
            for (const datagram of message.datagrams) {
              const out = decoder.decode(datagram);
              expect(out.kind).toBe(compress ? "framed" : "json");
              received.push(...out.entries);
            }
          }
          expect(received).toEqual(entries);
        },
      ),
      { numRuns: 200 },
    );
  });
});
