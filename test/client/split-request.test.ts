import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packRequest, unpackRequest } from "../../src/client/split-request.js";

const settings = { compress: true, sequenced: true, room: 1400, sliceRoom: 1380 };

describe("a batch's request to the splitting thread", () => {
  it("gives back every entry's size and the payload of any run, whatever the text", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.string(), { maxLength: 50 }),
          fc.array(fc.string({ unit: "binary" }), { maxLength: 50 }),
        ),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (jsons, a, b, reused) => {
          const sizes = jsons.map((json) => Buffer.byteLength(json));
          // A buffer used before: longer than asked, and holding old bytes.
          const dirty = (bytes: number) => {
            const buffer = new ArrayBuffer(bytes + 37);
            new Uint8Array(buffer).fill(0x7b);
            return buffer;
          };
          const alloc = reused ? dirty : undefined;
          const { request, transfer } = packRequest(7, jsons, sizes, settings, 3, alloc);
          expect(request).toMatchObject({ id: 7, settings, level: 3 });
          expect(transfer).toEqual([request.batch.buffer]);
          const entries = unpackRequest(request);
          expect(entries.count).toBe(jsons.length);
          expect(jsons.map((_, i) => entries.bytes(i))).toEqual(sizes);
          if (jsons.length === 0) return;
          const lo = a % jsons.length;
          const hi = lo + 1 + (b % (jsons.length - lo));
          const text = `[${jsons.slice(lo, hi).join(",")}]`;
          expect(entries.payload(lo, hi, Buffer.byteLength(text))).toEqual(Buffer.from(text));
          expect(Buffer.from(entries.json(lo))).toEqual(Buffer.from(jsons[lo] ?? ""));
        },
      ),
    );
  });

  it("measures ASCII entries whose sizes are wrong, even when their sum is right", () => {
    const jsons = ['{"a":1}', '{"bb":2}', "{}"];
    for (const sizes of [undefined, [7, 8, 2], [8, 7, 2], [6, 8, 2]]) {
      const entries = unpackRequest(packRequest(0, jsons, sizes, settings, 6).request);
      expect([0, 1, 2].map((i) => entries.bytes(i))).toEqual([7, 8, 2]);
      expect(entries.payload(1, 3, 13).toString()).toBe('[{"bb":2},{}]');
    }
  });

  it("measures the entries when no sizes are known, or the sizes given are wrong", () => {
    const jsons = ['{"a":"é"}', "", '{"b":"😀"}'];
    for (const sizes of [undefined, [9, 0, 10], [10, 0, 11], [11, 1, 13]]) {
      const entries = unpackRequest(packRequest(0, jsons, sizes, settings, 6).request);
      expect([0, 1, 2].map((i) => entries.bytes(i))).toEqual([10, 0, 12]);
      expect(entries.payload(0, 3, 26).toString()).toBe(`[${jsons.join(",")}]`);
      expect(entries.json(2)).toBe('{"b":"😀"}');
    }
  });
});
