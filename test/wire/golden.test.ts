/**
 * The wire contract pinned byte for byte: hand-written datagrams through the
 * whole receive pipeline, one rule of PROTOCOL.md sections 1-3 per test.
 */
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import type { Decoder, DecoderOptions } from "../../src/wire/receive/decoder.js";
import { signTag } from "../../src/wire/sign.js";
import type { DecodeOutcome } from "../../src/wire/types.js";
import { FRAGMENTED_ENTRY, GOLDEN, GOLDEN_KEY, SHIPPER_ENTRIES } from "../fixtures/datagrams.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";

function decoder(options: Partial<DecoderOptions> = {}): Decoder {
  return createDecoder({ now: () => 0, ...options });
}

function decodeAll(datagrams: readonly Uint8Array[], options: Partial<DecoderOptions> = {}) {
  const d = decoder(options);
  return datagrams.map((datagram) => d.decode(datagram));
}

function one(datagram: Uint8Array, options: Partial<DecoderOptions> = {}): DecodeOutcome {
  return decoder(options).decode(datagram);
}

function rejected(datagram: Uint8Array, options: Partial<DecoderOptions> = {}) {
  return one(datagram, options).rejected;
}

describe("section 1: what a datagram can be", () => {
  it("accepts the original shipper's CB F2 01 + zlib(JSON array)", () => {
    const out = one(GOLDEN.pythonShipper);
    expect(out.kind).toBe("framed");
    expect(out.entries).toEqual(SHIPPER_ENTRIES);
  });

  it("accepts the original shipper's bare JSON array", () => {
    const out = one(GOLDEN.pythonBare);
    expect(out.kind).toBe("json");
    expect(out.entries).toEqual(SHIPPER_ENTRIES);
  });

  it("accepts one bare object", () => {
    expect(one(hex("7b 22 61 22 3a 31 7d")).entries).toEqual(['{"a":1}']);
  });

  it("accepts leading white space before bare JSON", () => {
    expect(one(hex("20 09 0d 0a 5b 7b 22 61 22 3a 31 7d 5d")).entries).toEqual(['{"a":1}']);
    expect(one(hex("0a 7b 7d")).entries).toEqual(["{}"]);
  });

  it.each([
    ["empty", ""],
    ["one byte", "cb"],
    ["text", "68656c6c6f"],
    ["a JSON string", "22782222"],
    ["a zlib stream without header", "789c8bae564a54b232ac8d05000dc402c1"],
    ["white space only", "200a"],
  ])("rejects %s as unknown-format", (_name, datagram) => {
    const out = one(hex(datagram));
    expect(out.kind).toBe("unknown");
    expect(out.rejected).toBe("unknown-format");
  });
});

describe("section 2: every flag combination", () => {
  it.each([
    ["00", [GOLDEN.flags00], ['{"a":1}']],
    ["01", [GOLDEN.pythonShipper], SHIPPER_ENTRIES],
    ["02", [GOLDEN.flags02], ['{"a":1}']],
    ["03", [GOLDEN.flags03], ['{"a":1}']],
    ["06", GOLDEN.flags06, [FRAGMENTED_ENTRY]],
    ["07", GOLDEN.flags07, [FRAGMENTED_ENTRY]],
    ["0a", [GOLDEN.flags0a], ['{"a":1}']],
    ["0b", [GOLDEN.flags0b], ['{"a":1}']],
    ["0e", GOLDEN.flags0e, [FRAGMENTED_ENTRY]],
    ["0f", GOLDEN.flags0f, [FRAGMENTED_ENTRY]],
  ])("flags %s decode (with and without the key)", (_flags, datagrams, entries) => {
    for (const options of [{}, { keys: [GOLDEN_KEY] }]) {
      const signed = (datagrams[0]?.[2] ?? 0) & 0x08;
      const outs = decodeAll(datagrams, options);
      const last = outs.at(-1);
      if (!signed && options.keys) {
        expect(last?.rejected).toBe("unauthenticated");
        continue;
      }
      expect(outs.slice(0, -1).every((out) => out.pending)).toBe(true);
      expect(last?.rejected).toBeUndefined();
      expect(last?.entries).toEqual(entries);
    }
  });

  it.each([
    ["04 FRAGMENT alone", "cbf2 04 0000 0002 5b5d"],
    ["05 FRAGMENT|COMPRESSED", "cbf2 05 0000 0002 789c"],
    ["08 SIGNED alone", "cbf2 08 5b5d 000102030405060708090a0b0c0d0e0f"],
    ["09 SIGNED|COMPRESSED", "cbf2 09 789c 000102030405060708090a0b0c0d0e0f"],
    ["0c FRAGMENT|SIGNED", "cbf2 0c 0000 0002 5b5d 000102030405060708090a0b0c0d0e0f"],
    ["0d FRAGMENT|SIGNED|COMPRESSED", "cbf2 0d 0000 0002 789c 000102030405060708090a0b0c0d0e0f"],
  ])("flags %s without SEQUENCED are unsupported-flags", (_name, datagram) => {
    expect(rejected(hex(datagram))).toBe("unsupported-flags");
  });

  it.each(["10", "20", "40", "80", "f0", "22", "42", "82", "92", "ff"])(
    "reserved bits, ACK, or ACK_REQUESTED without SEQUENCED in flags %s are unsupported-flags",
    (flags) => {
      expect(rejected(hex(`cbf2 ${flags} 0011223344556677 00000001 5b7b2261223a317d5d`))).toBe(
        "unsupported-flags",
      );
    },
  );

  it("accepts ACK_REQUESTED (0x10) on a sequenced frame: 0x12 and 0x1a signed", () => {
    const plain = one(hex("cbf2 12 0011223344556677 00000001 5b7b2261223a317d5d"));
    expect(plain.rejected).toBeUndefined();
    expect(plain.entries).toEqual(['{"a":1}']);
    const body = hex("cbf2 1a 0011223344556677 00000002 5b7b2261223a327d5d");
    const signed = one(concat(body, signTag(GOLDEN_KEY, body)), { keys: [GOLDEN_KEY] });
    expect(signed.rejected).toBeUndefined();
    expect(signed.entries).toEqual(['{"a":2}']);
  });
});

describe("section 2: truncated headers are bad-frame", () => {
  it.each([
    ["the magic alone", "cbf2"],
    ["a sequence header of 11 bytes", "cbf2 02 0011223344556677 000000"],
    ["a sequence header of 4 bytes", "cbf2 03 00112233"],
    ["a fragment header of 2 bytes", "cbf2 06 0011223344556677 00000001 0000"],
    ["a tag of 15 bytes", "cbf2 0a 0011223344556677 00000001 000102030405060708090a0b0c0d0e"],
    ["a fragment header and no tag room", "cbf2 0e 0011223344556677 00000001 0000 0002 0001"],
  ])("%s", (_name, datagram) => {
    expect(rejected(hex(datagram))).toBe("bad-frame");
  });
});

describe("section 2: fragment count and index", () => {
  const header = "cbf2 06 0011223344556677 00000001";
  it.each([
    ["count 0", "0000 0000", "bad-fragment"],
    ["count 1", "0000 0001", "bad-fragment"],
    ["count 4097", "0000 1001", "bad-fragment"],
    ["count 65535", "0000 ffff", "bad-fragment"],
    ["index == count", "0002 0002", "bad-fragment"],
    ["index 4096 of 4096", "1000 1000", "bad-fragment"],
  ])("%s is rejected", (_name, fragment, reason) => {
    expect(rejected(hex(`${header} ${fragment} 5b`))).toBe(reason);
  });

  it.each([
    ["count 2, index 1", "0001 0002"],
    ["count 4096, index 0", "0000 1000"],
    ["count 4096, index 4095", "0fff 1000"],
  ])("%s is held for reassembly", (_name, fragment) => {
    const out = one(hex(`${header} ${fragment} 5b`));
    expect(out.pending).toBe(true);
    expect(out.rejected).toBeUndefined();
  });
});

describe("section 2: signed datagrams", () => {
  it("a server with the key accepts a matching tag", () => {
    expect(one(GOLDEN.flags0a, { keys: [GOLDEN_KEY] }).entries).toEqual(['{"a":1}']);
  });

  it("a server with another key rejects it as unauthenticated", () => {
    expect(rejected(GOLDEN.flags0a, { keys: [utf8("k3y\n")] })).toBe("unauthenticated");
  });

  it("a server with several keys accepts a tag made with any of them", () => {
    expect(one(GOLDEN.flags0b, { keys: [utf8("old"), GOLDEN_KEY] }).entries).toEqual(['{"a":1}']);
  });

  it("a server with a key rejects unsigned framed datagrams and bare JSON", () => {
    const keys = [GOLDEN_KEY];
    expect(rejected(GOLDEN.pythonShipper, { keys })).toBe("unauthenticated");
    expect(rejected(GOLDEN.flags03, { keys })).toBe("unauthenticated");
    expect(rejected(GOLDEN.pythonBare, { keys })).toBe("unauthenticated");
  });

  it("a server with a key rejects a flipped payload bit", () => {
    const tampered = GOLDEN.flags0a.slice();
    tampered[16] = (tampered[16] ?? 0) ^ 0x20;
    expect(rejected(tampered, { keys: [GOLDEN_KEY] })).toBe("unauthenticated");
  });

  it("a server without a key ignores the tag", () => {
    const tampered = GOLDEN.flags0a.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0xff;
    expect(one(tampered).entries).toEqual(['{"a":1}']);
  });
});

describe("section 2: compression", () => {
  it("a wrong Adler-32 checksum is invalid-compression", () => {
    expect(rejected(hex("cbf2 01 789c8bae564a54b232ac8d05000dc402c2"))).toBe("invalid-compression");
  });

  it.each([
    ["not zlib at all", "cbf2 01 5b7b2261223a317d5d"],
    ["a truncated stream", "cbf2 01 789c8bae564a54b232ac8d"],
    ["an empty payload", "cbf2 01"],
    ["bytes after the stream", "cbf2 01 789c8bae564a54b232ac8d05000dc402c1 00"],
  ])("%s is invalid-compression", (_name, datagram) => {
    expect(rejected(hex(datagram))).toBe("invalid-compression");
  });

  it("100 MiB of zeros in a 100 KB datagram is too-large under the 16 MiB cap", () => {
    const bomb = deflateSync(new Uint8Array(100 * 1024 * 1024), { level: 9 });
    expect(rejected(concat(hex("cbf2 01"), bomb))).toBe("too-large");
  });

  it("a zlib stream of valid JSON that is not an array or object is invalid-json", () => {
    expect(rejected(concat(hex("cbf2 01"), deflateSync(utf8('"x"'))))).toBe("invalid-json");
  });
});

describe("section 3: payload", () => {
  it("keeps the objects beside non-object elements and counts each of those", () => {
    const out = one(utf8('[{"a":1}, 2, "s", null, [], {"b":2}]'));
    expect(out.entries).toEqual(['{"a":1}', '{"b":2}']);
    expect(out.invalidEntries).toBe(4);
    expect(out.rejected).toBeUndefined();
  });

  it("rejects a payload that is not JSON as a whole", () => {
    expect(rejected(hex("cbf2 00 5b7b2261223a7d5d"))).toBe("invalid-json");
    expect(rejected(utf8('[{"a":1}, {"b":]'))).toBe("invalid-json");
  });

  it("rejects an empty uncompressed frame as invalid-json", () => {
    expect(rejected(hex("cbf2 00"))).toBe("invalid-json");
  });

  it("keeps fields in the order received, integer-like and duplicate keys included", () => {
    expect(one(utf8('{"z":1,"10":2,"2":3,"z":4}')).entries).toEqual(['{"z":1,"10":2,"2":3,"z":4}']);
  });

  it("keeps numbers as written", () => {
    expect(one(utf8('[{"a":1.0,"b":1E2,"c":9007199254740993}]')).entries).toEqual([
      '{"a":1.0,"b":1E2,"c":9007199254740993}',
    ]);
  });

  it("compacts nested white space to one line", () => {
    expect(one(utf8('[\n {\n  "a": {\n   "b": [ 1, 2 ]\n  }\n }\n]')).entries).toEqual([
      '{"a":{"b":[1,2]}}',
    ]);
  });

  it("keeps astral characters and escaped lone surrogates", () => {
    const out = one(hex("5b7b226d223a22 f09f9880 205c7564383030 227d5d"));
    expect(out.entries).toEqual(['{"m":"😀 \\ud800"}']);
  });

  it("replaces invalid UTF-8 in strings by U+FFFD", () => {
    expect(one(hex("5b7b226d223a22 ff fe 227d5d")).entries).toEqual(['{"m":"\ufffd\ufffd"}']);
  });

  it("accepts entries with any fields", () => {
    expect(one(utf8('[{"level":"INFO"},{"x":[true,false,null]}]')).entries).toHaveLength(2);
  });
});
