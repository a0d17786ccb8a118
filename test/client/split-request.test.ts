import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packRequest, unpackRequest } from "../../src/client/split-request.js";

const settings = { compress: true, sequenced: true, room: 1400, sliceRoom: 1380 };

describe("a batch's request to the splitting thread", () => {
  it("gives back every entry and size, in order, whatever the text", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 50 }), (jsons) => {
        const sizes = jsons.map((json) => Buffer.byteLength(json));
        const request = packRequest(7, jsons, sizes, settings, 3);
        expect(unpackRequest(request)).toEqual({ entryJsons: jsons, entryBytes: sizes });
        expect(request).toMatchObject({ id: 7, settings, level: 3 });
      }),
    );
  });

  it("carries one string, not the entries, and no sizes when none are known", () => {
    const request = packRequest(0, ['{"a":"é"}', "", '{"b":"😀"}'], undefined, settings, 6);
    expect(typeof request.joined).toBe("string");
    expect([...request.lengths]).toEqual([9, 0, 10]);
    expect(unpackRequest(request)).toEqual({
      entryJsons: ['{"a":"é"}', "", '{"b":"😀"}'],
      entryBytes: undefined,
    });
  });
});
