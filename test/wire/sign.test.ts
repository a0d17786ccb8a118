import { describe, expect, it } from "vitest";
import { encodeFrame } from "../../src/wire/frame.js";
import { signTag, verifyDatagramTag } from "../../src/wire/sign.js";
import { hex, toHex, utf8 } from "../fixtures/hex.js";

const STREAM = hex("0011223344556677");
const KEY = utf8("k3y");
const OTHER = utf8("other");
const SIGNED = hex(
  "cbf20a 0011223344556677 01020304 5b7b2261223a317d5d 4b676b95a9468a27bac4004102764713",
);

describe("signTag", () => {
  it("is the first 16 bytes of HMAC-SHA256", () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expect(toHex(signTag(utf8("Jefe"), utf8("what do ya want for nothing?")))).toBe(
      "5bdcc146bf60754e6a042426089575c7",
    );
  });
});

describe("verifyDatagramTag, key by key", () => {
  it("accepts the golden signed datagram with its key", () => {
    expect(verifyDatagramTag([KEY], SIGNED)).toBe(true);
  });

  it("accepts when any one of several keys matches", () => {
    expect(verifyDatagramTag([OTHER, KEY], SIGNED)).toBe(true);
  });

  it("rejects a wrong key", () => {
    expect(verifyDatagramTag([OTHER], SIGNED)).toBe(false);
  });

  it("rejects with no keys", () => {
    expect(verifyDatagramTag([], SIGNED)).toBe(false);
  });

  it("rejects a frame whose covered bytes changed", () => {
    const tampered = SIGNED.slice();
    tampered[20] = (tampered[20] ?? 0) ^ 0x01;
    expect(verifyDatagramTag([KEY], tampered)).toBe(false);
  });

  it("rejects a frame whose tag changed", () => {
    const tampered = SIGNED.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x80;
    expect(verifyDatagramTag([KEY], tampered)).toBe(false);
  });

  it("is false for an unsigned frame", () => {
    const unsigned = encodeFrame({ compressed: false, stream: STREAM, seq: 1 }, utf8("[]"));
    expect(verifyDatagramTag([KEY], unsigned)).toBe(false);
  });

  it("treats the key as its bytes: a trailing newline is another key", () => {
    const withNewline = encodeFrame(
      { compressed: false, stream: STREAM, seq: 1, key: utf8("k3y\n") },
      utf8("[]"),
    );
    expect(verifyDatagramTag([KEY], withNewline)).toBe(false);
    expect(verifyDatagramTag([utf8("k3y\n")], withNewline)).toBe(true);
  });
});

describe("verifyDatagramTag", () => {
  it("checks the last 16 bytes without parsing the headers", () => {
    expect(verifyDatagramTag([KEY], SIGNED)).toBe(true);
    expect(verifyDatagramTag([OTHER], SIGNED)).toBe(false);
  });

  it("is false when the SIGNED bit is off even if the tag would match", () => {
    const flipped = SIGNED.slice();
    flipped[2] = 0x02;
    expect(verifyDatagramTag([KEY], flipped)).toBe(false);
  });

  it("is false for a datagram too short to carry a tag", () => {
    expect(verifyDatagramTag([KEY], hex("cbf20a 00112233"))).toBe(false);
  });

  it("verifies a tag over a frame with unparseable headers (the caller decides next)", () => {
    const body = hex("cbf2 1a 00");
    const datagram = Uint8Array.from([...body, ...signTag(KEY, body)]);
    expect(verifyDatagramTag([KEY], datagram)).toBe(true);
  });
});
