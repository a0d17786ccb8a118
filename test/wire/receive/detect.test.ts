import { describe, expect, it } from "vitest";
import { createDecoder } from "../../../src/formats/create-decoder.js";
import { ACCEPTABLE_KINDS, DEFAULT_ACCEPTED_KINDS } from "../../../src/wire/kinds.js";
import { classify, detect, isZlibHeader } from "../../../src/wire/receive/detect.js";
import { hex, toHex, utf8 } from "../../fixtures/hex.js";

describe("detect", () => {
  it.each([
    ["the magic", "cbf2", "framed"],
    ["the original shipper's header", "cbf201789c", "framed"],
    ["the magic with reserved flags (decided later)", "cbf2ff", "framed"],
    ["a bare array", "5b5d", "json"],
    ["a bare object", "7b7d", "json"],
    ["leading space, tab, LF, CR", "20090a0d 5b", "json"],
    ["a BOM before the array", "efbbbf 5b", "json"],
    ["a BOM then white space", "efbbbf 200a 7b", "json"],
    ["empty", "", "unknown"],
    ["one byte of the magic", "cb", "unknown"],
    ["the magic reversed", "f2cb", "unknown"],
    ["white space only", "20200a", "unknown"],
    ["a JSON string", "2261 22", "unknown"],
    ["a JSON number", "31", "unknown"],
    ["form feed is not JSON white space", "0c 5b", "unknown"],
    ["non-breaking space is not JSON white space", "c2a0 5b", "unknown"],
    ["a BOM after white space", "20 efbbbf 5b", "unknown"],
    ["a lone BOM", "efbbbf", "unknown"],
    ["a zlib stream without the header", "789c8bae", "unknown"],
    ["a syslog line", "3c31333e", "unknown"],
  ])("%s -> %s", (_name, bytes, kind) => {
    expect(detect(hex(bytes))).toBe(kind);
  });

  it("looks only at the start: a frame whose payload is JSON is still framed", () => {
    expect(detect(hex("cbf200 5b5d"))).toBe("framed");
  });

  it("skips a long run of white space", () => {
    const datagram = new Uint8Array(60_000).fill(0x20);
    datagram[59_999] = 0x7b;
    expect(detect(datagram)).toBe("json");
  });
});

describe("classify with accepted kinds", () => {
  const ALL = new Set(ACCEPTABLE_KINDS);
  const gelfJson = '{"version":"1.1","short_message":"x"}';

  it.each([
    ["the magic", "cbf2", "framed", undefined],
    ["a GELF chunk", "1e0f 0102030405060708 0001 7b7d", "gelf", "chunked"],
    ["gzip", "1f8b08", "gelf", "gzip"],
    ["zlib, default level", "789c", "gelf", "zlib"],
    ["zlib, fast (x^)", "785e", "gelf", "zlib"],
    ["zlib, best", "78da", "gelf", "zlib"],
    ["zlib with a preset dictionary (x space) is text", "7820 6d61726b73", "text", undefined],
    ["x followed by a non-header byte is text", "78 79", "text", undefined],
    ["one x is text", "78", "text", undefined],
    ["GELF JSON (told apart after its parse)", toHex(utf8(gelfJson)), "json", "json"],
    ["GELF JSON after a BOM and white space", `efbbbf 0a ${toHex(utf8(gelfJson))}`, "json", "json"],
    ["JSON without short_message", toHex(utf8('{"version":"1.1"}')), "json", "json"],
    ["GELF keys nested", toHex(utf8(`{"a":${gelfJson}}`)), "json", "json"],
    ["GELF inside an array", toHex(utf8(`[${gelfJson}]`)), "json", undefined],
    ["invalid JSON", toHex(utf8('{"version":')), "json", "json"],
    ["a syslog PRI", "3c31333e", "syslog", undefined],
    ["a syslog PRI of 3 digits above 191", toHex(utf8("<999>x")), "syslog", undefined],
    ["4 PRI digits", toHex(utf8("<1234>x")), "text", undefined],
    ["no closing >", toHex(utf8("<13 hi")), "text", undefined],
    ["letters in the PRI", toHex(utf8("<ab>")), "text", undefined],
    ["plain text", toHex(utf8("hello")), "text", undefined],
    ["empty", "", "unknown", undefined],
  ])("%s -> %s", (_name, bytes, kind, gelf) => {
    expect(classify(hex(bytes), ALL)).toEqual({ kind, gelf });
  });

  it("falls through to the next accepted kind when a kind is off", () => {
    const gelfJsonBytes = utf8(gelfJson);
    expect(detect(gelfJsonBytes, new Set(["framed", "json"]))).toBe("json");
    expect(detect(gelfJsonBytes, new Set(["gelf"]))).toBe("gelf");
    expect(detect(utf8('{"a":1}'), new Set(["gelf"]))).toBe("gelf");
    expect(detect(utf8("<13>hi"), new Set(["text"]))).toBe("text");
    expect(detect(hex("789c"), new Set(["framed", "json", "syslog"]))).toBe("unknown");
    expect(detect(hex("cbf2"), new Set(["json", "text"]))).toBe("text");
  });

  it("without text, anything else is unknown", () => {
    expect(detect(utf8("hello"), DEFAULT_ACCEPTED_KINDS)).toBe("unknown");
    expect(detect(utf8("<13>hi"), DEFAULT_ACCEPTED_KINDS)).toBe("syslog");
  });

  it("without an accept set, only the kinds of PROTOCOL.md section 1", () => {
    expect(detect(utf8(gelfJson))).toBe("json");
    expect(detect(hex("1f8b"))).toBe("unknown");
  });
});

describe("GELF and plain JSON, told apart by the decoder after one parse", () => {
  const gelfJson = '{"version":"1.1","short_message":"x"}';
  const NO_TEXT = new Set(ACCEPTABLE_KINDS.filter((kind) => kind !== "text"));

  function kindOf(bytes: Uint8Array, accept: ReadonlySet<(typeof ACCEPTABLE_KINDS)[number]>) {
    return createDecoder({ now: () => 0, wallClock: () => 0, accept }).decode(bytes);
  }

  it.each([
    ["GELF JSON", toHex(utf8(gelfJson)), "gelf"],
    ["GELF JSON after a BOM and white space", `efbbbf 0a ${toHex(utf8(gelfJson))}`, "gelf"],
    ["JSON without short_message", toHex(utf8('{"version":"1.1"}')), "json"],
    ["GELF keys nested", toHex(utf8(`{"a":${gelfJson}}`)), "json"],
    [
      "GELF keys written with escapes",
      toHex(utf8('{"vers\\u0069on":"1","short_message":"x"}')),
      "gelf",
    ],
    ["GELF inside an array", toHex(utf8(`[${gelfJson}]`)), "json"],
    ["invalid JSON", toHex(utf8('{"version":')), "json"],
  ])("%s -> %s", (_name, bytes, kind) => {
    expect(kindOf(hex(bytes), NO_TEXT).kind).toBe(kind);
  });

  it("falls through to the next accepted kind when a kind is off", () => {
    expect(kindOf(utf8(gelfJson), new Set(["framed", "json"])).kind).toBe("json");
    expect(kindOf(utf8(gelfJson), new Set(["gelf"])).kind).toBe("gelf");
    expect(kindOf(utf8('{"a":1}'), new Set(["gelf"]))).toMatchObject({
      kind: "unknown",
      rejected: "unknown-format",
    });
    expect(kindOf(utf8('{"a":1}'), new Set(["gelf", "text"])).kind).toBe("text");
  });
});

describe("isZlibHeader", () => {
  it("holds for exactly the FLG bytes that pass the check without FDICT", () => {
    const flags: number[] = [];
    for (let flg = 0; flg < 256; flg++) if (isZlibHeader(Uint8Array.of(0x78, flg))) flags.push(flg);
    expect(flags).toEqual([0x01, 0x5e, 0x9c, 0xda]);
  });
});
