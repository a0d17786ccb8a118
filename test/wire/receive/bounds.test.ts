/**
 * The cost bounds on every carrier of JSON the decoder reads: framed
 * payloads (plain, compressed, fragmented), bare JSON, GELF (bare, gzip,
 * zlib, chunked) and syslog structured data. Each is refused under the
 * bound's own reason, before it is parsed, and a payload at the bound passes.
 */
import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../../src/formats/create-decoder.js";
import { encodeFrame } from "../../../src/wire/frame.js";
import { DEFAULT_JSON_LIMITS, type JsonLimits } from "../../../src/wire/json-scan.js";
import { DEFAULT_ACCEPTED_KINDS } from "../../../src/wire/kinds.js";
import type { Decoder } from "../../../src/wire/receive/decoder.js";
import { hex, utf8 } from "../../fixtures/hex.js";

const STREAM = hex("c1c2c3c4c5c6c7c8");

function decoder(limits?: JsonLimits): Decoder {
  return createDecoder({
    now: () => 0,
    accept: DEFAULT_ACCEPTED_KINDS,
    ...(limits === undefined ? {} : { limits }),
  });
}

function nested(depth: number): string {
  return `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

function keys(count: number): string {
  return `{${Array.from({ length: count }, (_, i) => `"k${i}":0`).join(",")}}`;
}

function gelf(extra: string): string {
  return `{"version":"1.1","short_message":"hi","_x":${extra}}`;
}

/** The carriers of one JSON text, as datagrams. */
function carriers(json: string): Record<string, Uint8Array> {
  const text = utf8(json);
  return {
    "original shipper (CB F2 01 + zlib)": new Uint8Array([0xcb, 0xf2, 0x01, ...deflateSync(text)]),
    "framed, sequenced, compressed": encodeFrame(
      { compressed: true, stream: STREAM, seq: 0 },
      deflateSync(text),
    ),
    "bare JSON": text,
  };
}

describe("bounds on framed and bare JSON payloads", () => {
  const cases: [string, string, string][] = [
    ["65 levels deep", `[${nested(64)}]`, "too-deep"],
    ["30,001 entries", `[${"{},".repeat(30_000)}{}]`, "too-many-entries"],
    ["one entry of 1,001 keys", `[${keys(1_001)}]`, "too-many-fields"],
    [
      "an array of 5,000 elements in an entry",
      `[{"a":[${"1,".repeat(4_999)}1]}]`,
      "too-many-fields",
    ],
  ];
  for (const [name, json, reason] of cases) {
    for (const [carrier, datagram] of Object.entries(carriers(json))) {
      if (carrier === "bare JSON" && datagram.length > 65_507) continue;
      it(`${name}, ${carrier}: ${reason}`, () => {
        expect(decoder().decode(datagram).rejected).toBe(reason);
      });
    }
  }

  it("takes payloads at every bound", () => {
    const atBounds = `[${nested(63)},${keys(1_000)},{"a":[${"1,".repeat(998)}1]}]`;
    const out = decoder().decode(carriers(atBounds)["framed, sequenced, compressed"] as Uint8Array);
    expect(out.rejected).toBeUndefined();
    expect(out.entries).toHaveLength(2);
    expect(out.invalidEntries).toBe(1);
  });

  it("follows the limits it is given", () => {
    const limits = { maxDepth: 4, maxEntries: 2, maxFields: 3 };
    expect(decoder(limits).decode(utf8("[[[[]]]]")).rejected).toBeUndefined();
    expect(decoder(limits).decode(utf8("[[[[[]]]]]")).rejected).toBe("too-deep");
    expect(decoder(limits).decode(utf8("[{},{},{}]")).rejected).toBe("too-many-entries");
    expect(decoder(limits).decode(utf8('{"a":[1,2,3]}')).rejected).toBe("too-many-fields");
  });

  it("refuses limits that are not positive integers", () => {
    expect(() => decoder({ ...DEFAULT_JSON_LIMITS, maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => decoder({ ...DEFAULT_JSON_LIMITS, maxFields: 1.5 })).toThrow(/maxFields/);
  });

  /** `payload` as a message of two uncompressed fragments with this seq. */
  function twoFragments(payload: Uint8Array, seq: number): Uint8Array[] {
    const half = Math.ceil(payload.length / 2);
    return [payload.subarray(0, half), payload.subarray(half)].map((slice, index) =>
      encodeFrame(
        { compressed: false, stream: STREAM, seq, fragmentIndex: index, fragmentCount: 2 },
        slice,
      ),
    );
  }

  it("holds an uncompressed reassembled payload to the max decompressed size", () => {
    const d = createDecoder({ now: () => 0, maxDecompressedBytes: 2_000 });
    const [first, second] = twoFragments(utf8(`[{"m":"${"x".repeat(3_000)}"}]`), 9);
    expect(d.decode(first as Uint8Array).pending).toBe(true);
    expect(d.decode(second as Uint8Array).rejected).toBe("too-large");
  });

  it("reaches the bound of a fragmented message once it is whole", () => {
    const d = decoder();
    const [first, second] = twoFragments(utf8(`[${nested(100)}]`), 7);
    expect(d.decode(first as Uint8Array).pending).toBe(true);
    expect(d.decode(second as Uint8Array).rejected).toBe("too-deep");
  });
});

describe("bounds on GELF", () => {
  const cases: [string, string, string][] = [
    ["nested 65 deep", gelf(nested(64)), "too-deep"],
    [
      "1,001 keys",
      keys(1_001).replace("{", '{"version":"1.1","short_message":"hi",'),
      "too-many-fields",
    ],
    ["an array of 5,000 elements", gelf(`[${"1,".repeat(4_999)}1]`), "too-many-fields"],
  ];
  for (const [name, json, reason] of cases) {
    const text = utf8(json);
    const forms: Record<string, Uint8Array> = {
      bare: text,
      gzip: gzipSync(text),
      zlib: deflateSync(text),
    };
    for (const [form, datagram] of Object.entries(forms)) {
      it(`${name}, ${form}: ${reason}, counted as GELF`, () => {
        const out = decoder().decode(datagram);
        expect(out.rejected).toBe(reason);
        expect(out.kind).toBe(form === "bare" ? "json" : "gelf");
      });
    }
  }

  it("in chunks, named by its bound, not invalid-gelf", () => {
    const body = gzipSync(utf8(gelf(nested(100))));
    const id = hex("0102030405060708");
    const half = Math.ceil(body.length / 2);
    const chunk = (seq: number, slice: Uint8Array) =>
      new Uint8Array([0x1e, 0x0f, ...id, seq, 2, ...slice]);
    const d = decoder();
    expect(d.decode(chunk(0, body.subarray(0, half))).pending).toBe(true);
    expect(d.decode(chunk(1, body.subarray(half))).rejected).toBe("too-deep");
  });

  it("still maps a GELF message at the bounds", () => {
    const out = decoder().decode(gzipSync(utf8(gelf(`[${"1,".repeat(995)}1]`))));
    expect(out.rejected).toBeUndefined();
    expect(out.kind).toBe("gelf");
    expect(out.entries).toHaveLength(1);
  });
});

describe("bounds on syslog structured data", () => {
  const params = (n: number) => Array.from({ length: n }, (_, i) => ` p${i}="v"`).join("");
  const syslog = (sd: string) => utf8(`<14>1 2026-11-24T10:30:00Z host app - - ${sd} hello`);

  it("takes 1,000 SD-ELEMENTs and params together", () => {
    const out = decoder().decode(syslog(`[id${params(999)}]`));
    expect(out.rejected).toBeUndefined();
    expect(out.entries).toHaveLength(1);
  });

  it("refuses 1,001 as too-many-fields, however they are spread", () => {
    expect(decoder().decode(syslog(`[id${params(1_000)}]`)).rejected).toBe("too-many-fields");
    const elements = Array.from({ length: 501 }, (_, i) => `[e${i} a="1"]`).join("");
    expect(decoder().decode(syslog(elements)).rejected).toBe("too-many-fields");
  });
});
