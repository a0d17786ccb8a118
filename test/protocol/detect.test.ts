import { describe, expect, it } from "vitest";
import { detect } from "../../src/protocol/detect.js";
import { hex } from "../fixtures/hex.js";

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
