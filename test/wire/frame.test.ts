import { describe, expect, it } from "vitest";
import { Flag } from "../../src/wire/constants.js";
import { decodeFrame, encodeFrame, type FrameSpec, frameOverhead } from "../../src/wire/frame.js";
import type { Frame } from "../../src/wire/types.js";
import { hex, toHex, utf8 } from "../fixtures/hex.js";

const STREAM = hex("00 11 22 33 44 55 66 77");
const KEY = utf8("k3y");
const BODY = utf8('[{"a":1}]');

function frameOf(datagram: Uint8Array): Frame {
  const result = decodeFrame(datagram);
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result.value;
}

describe("encodeFrame golden bytes", () => {
  it("writes the original shipper's header: CB F2 01 then the zlib stream", () => {
    const zlib = hex("789c8bae564a54b232ac8d05000dc402c1");
    expect(toHex(encodeFrame({ compressed: true }, zlib))).toBe(
      "cbf201789c8bae564a54b232ac8d05000dc402c1",
    );
  });

  it("writes flags 00 and the bare payload when nothing is on", () => {
    expect(toHex(encodeFrame({ compressed: false }, BODY))).toBe("cbf2005b7b2261223a317d5d");
  });

  it("writes stream then big-endian seq after the flags", () => {
    const out = encodeFrame({ compressed: true, stream: STREAM, seq: 0x01020304 }, BODY);
    expect(toHex(out)).toBe("cbf203" + "0011223344556677" + "01020304" + "5b7b2261223a317d5d");
  });

  it("writes the fragment header (index, count, big-endian) after the sequence header", () => {
    const spec = { compressed: false, stream: STREAM, seq: 7, fragmentIndex: 1, fragmentCount: 2 };
    expect(toHex(encodeFrame(spec, utf8('{"a":')))).toBe(
      "cbf206" + "0011223344556677" + "00000007" + "00010002" + "7b2261223a",
    );
  });

  it("appends the first 16 bytes of HMAC-SHA256 over every byte before the tag", () => {
    const out = encodeFrame({ compressed: false, stream: STREAM, seq: 0x01020304, key: KEY }, BODY);
    expect(toHex(out)).toBe(
      "cbf20a" +
        "0011223344556677" +
        "01020304" +
        "5b7b2261223a317d5d" +
        "4b676b95a9468a27bac4004102764713",
    );
  });

  it("signs the fragment header too", () => {
    const spec = {
      compressed: false,
      stream: STREAM,
      seq: 7,
      fragmentIndex: 1,
      fragmentCount: 2,
      key: KEY,
    };
    expect(toHex(encodeFrame(spec, utf8('{"a":')))).toBe(
      "cbf20e001122334455667700000007000100027b2261223a" + "92e1bb85c513d81dabee4b7760c978b5",
    );
  });

  it("writes seq 2^32-1 and fragment count 4096", () => {
    const spec = {
      compressed: true,
      stream: STREAM,
      seq: 0xffff_ffff,
      fragmentIndex: 4095,
      fragmentCount: 4096,
    };
    expect(toHex(encodeFrame(spec, new Uint8Array(0)))).toBe(
      "cbf207" + "0011223344556677" + "ffffffff" + "0fff1000",
    );
  });
});

describe("encodeFrame spec checks", () => {
  const bad: [string, FrameSpec][] = [
    ["seq without stream", { compressed: false, seq: 1 }],
    ["fragment without stream", { compressed: false, fragmentIndex: 0, fragmentCount: 2 }],
    ["key without stream", { compressed: false, key: KEY }],
    ["stream of 7 bytes", { compressed: false, stream: STREAM.subarray(1), seq: 0 }],
    ["stream without seq", { compressed: false, stream: STREAM }],
    ["seq 2^32", { compressed: false, stream: STREAM, seq: 2 ** 32 }],
    ["seq -1", { compressed: false, stream: STREAM, seq: -1 }],
    ["seq 1.5", { compressed: false, stream: STREAM, seq: 1.5 }],
    ["count 1", { compressed: false, stream: STREAM, seq: 0, fragmentIndex: 0, fragmentCount: 1 }],
    [
      "count 4097",
      { compressed: false, stream: STREAM, seq: 0, fragmentIndex: 0, fragmentCount: 4097 },
    ],
    [
      "index == count",
      { compressed: false, stream: STREAM, seq: 0, fragmentIndex: 2, fragmentCount: 2 },
    ],
    ["index alone", { compressed: false, stream: STREAM, seq: 0, fragmentIndex: 0 }],
    ["empty key", { compressed: false, stream: STREAM, seq: 0, key: new Uint8Array(0) }],
  ];
  it.each(bad)("throws TypeError on %s", (_name, spec) => {
    expect(() => encodeFrame(spec, BODY)).toThrow(TypeError);
  });
});

describe("frameOverhead", () => {
  it.each([
    [{}, 3],
    [{ stream: STREAM, seq: 0 }, 15],
    [{ stream: STREAM, seq: 0, fragmentIndex: 0, fragmentCount: 2 }, 19],
    [{ stream: STREAM, seq: 0, key: KEY }, 31],
    [{ stream: STREAM, seq: 0, fragmentIndex: 0, fragmentCount: 2, key: KEY }, 35],
  ])("%o adds %i bytes", (spec, bytes) => {
    expect(frameOverhead(spec)).toBe(bytes);
    expect(encodeFrame({ compressed: false, ...spec }, BODY).length).toBe(bytes + BODY.length);
  });
});

describe("decodeFrame", () => {
  it("reads the original shipper's frame", () => {
    const frame = frameOf(hex("cb f2 01 78 9c 8b ae 56 4a 54 b2 32 ac 8d 05 00 0d c4 02 c1"));
    expect(frame.flags).toBe(Flag.COMPRESSED);
    expect(frame.stream).toBeUndefined();
    expect(frame.seq).toBeUndefined();
    expect(frame.fragmentIndex).toBeUndefined();
    expect(frame.tag).toBeUndefined();
    expect(toHex(frame.payload)).toBe("789c8bae564a54b232ac8d05000dc402c1");
  });

  it("reads every header of a signed fragment", () => {
    const datagram = hex(
      "cbf20e 0011223344556677 00000007 00010002 7b2261223a 92e1bb85c513d81dabee4b7760c978b5",
    );
    const frame = frameOf(datagram);
    expect(frame.flags).toBe(0x0e);
    expect(toHex(frame.stream ?? new Uint8Array())).toBe("0011223344556677");
    expect(frame.seq).toBe(7);
    expect(frame.fragmentIndex).toBe(1);
    expect(frame.fragmentCount).toBe(2);
    expect(new TextDecoder().decode(frame.payload)).toBe('{"a":');
    expect(toHex(frame.tag ?? new Uint8Array())).toBe("92e1bb85c513d81dabee4b7760c978b5");
    expect(frame.signedBytes?.length).toBe(datagram.length - 16);
  });

  it("returns views into the datagram, not copies", () => {
    const datagram = hex("cbf200 5b5d");
    const frame = frameOf(datagram);
    expect(frame.payload.buffer).toBe(datagram.buffer);
    expect(frame.payload.byteOffset).toBe(3);
  });

  it("reads seq as unsigned big-endian", () => {
    expect(frameOf(hex("cbf202 0011223344556677 fffffffe 5b5d")).seq).toBe(0xffff_fffe);
  });

  it("accepts an empty payload (the payload decides what it is worth)", () => {
    expect(frameOf(hex("cbf200")).payload.length).toBe(0);
    expect(frameOf(hex("cbf202 0011223344556677 00000000")).payload.length).toBe(0);
  });

  it.each(
    Array.from({ length: 32 }, (_, flags) => flags).filter(
      (flags) => (flags & 0x1c) === 0 || (flags & 0x02) !== 0,
    ),
  )("round-trips flags 0x%s through encodeFrame", (flags) => {
    const spec: FrameSpec = { compressed: (flags & 1) !== 0 };
    if (flags & Flag.SEQUENCED) Object.assign(spec, { stream: STREAM, seq: 9 });
    if (flags & Flag.FRAGMENT) Object.assign(spec, { fragmentIndex: 3, fragmentCount: 5 });
    if (flags & Flag.SIGNED) Object.assign(spec, { key: KEY });
    if (flags & Flag.ACK_REQUESTED) Object.assign(spec, { ackRequested: true });
    const frame = frameOf(encodeFrame(spec, BODY));
    expect(frame.flags).toBe(flags);
    expect(toHex(frame.payload)).toBe(toHex(BODY));
    expect(frame.seq).toBe(flags & Flag.SEQUENCED ? 9 : undefined);
    expect(frame.fragmentIndex).toBe(flags & Flag.FRAGMENT ? 3 : undefined);
    expect(frame.tag?.length).toBe(flags & Flag.SIGNED ? 16 : undefined);
  });

  const rejected: [string, string, string][] = [
    ["not the magic", "cbf3 00 5b5d", "unknown-format"],
    ["empty", "", "unknown-format"],
    ["only the magic", "cbf2", "bad-frame"],
    ["ACK_REQUESTED without SEQUENCED", "cbf2 10 5b5d", "unsupported-flags"],
    ["reserved bit 0x20", "cbf2 22 0011223344556677 00000001 5b5d", "unsupported-flags"],
    ["reserved bit 0x40", "cbf2 42 0011223344556677 00000001 5b5d", "unsupported-flags"],
    ["ACK on a frame", "cbf2 81 5b5d", "unsupported-flags"],
    ["ACK on a sequenced frame", "cbf2 82 0011223344556677 00000001 5b5d", "unsupported-flags"],
    ["all bits", "cbf2 ff 5b5d", "unsupported-flags"],
    ["FRAGMENT without SEQUENCED", "cbf2 04 00000002 5b5d", "unsupported-flags"],
    [
      "SIGNED without SEQUENCED",
      "cbf2 08 5b5d 00000000000000000000000000000000",
      "unsupported-flags",
    ],
    ["FRAGMENT|SIGNED without SEQUENCED", "cbf2 0d 5b5d", "unsupported-flags"],
    ["sequence header cut short", "cbf2 02 0011223344556677 000000", "bad-frame"],
    ["no seq at all", "cbf2 03 00112233", "bad-frame"],
    ["fragment header cut short", "cbf2 06 0011223344556677 00000001 0000", "bad-frame"],
    [
      "tag cut short",
      "cbf2 0a 0011223344556677 00000001 000102030405060708090a0b0c0d0e",
      "bad-frame",
    ],
    ["fragment count 0", "cbf2 06 0011223344556677 00000001 0000 0000 5b", "bad-fragment"],
    ["fragment count 1", "cbf2 06 0011223344556677 00000001 0000 0001 5b", "bad-fragment"],
    ["fragment count 4097", "cbf2 06 0011223344556677 00000001 0000 1001 5b", "bad-fragment"],
    ["fragment index == count", "cbf2 06 0011223344556677 00000001 0002 0002 5b", "bad-fragment"],
    ["fragment index > count", "cbf2 06 0011223344556677 00000001 ffff 0002 5b", "bad-fragment"],
  ];
  it.each(rejected)("rejects %s", (_name, datagram, reason) => {
    expect(decodeFrame(hex(datagram))).toEqual({ ok: false, reason });
  });

  it.each([
    ["count 2, index 0", "0000 0002"],
    ["count 2, index 1", "0001 0002"],
    ["count 4096, index 4095", "0fff 1000"],
  ])("accepts fragment %s", (_name, header) => {
    const frame = frameOf(hex(`cbf2 06 0011223344556677 00000001 ${header} 5b`));
    expect(frame.fragmentCount).toBeGreaterThanOrEqual(2);
    expect(frame.payload.length).toBe(1);
  });

  it("a tag-only signed frame has an empty payload", () => {
    const frame = frameOf(hex("cbf20a 0011223344556677 00000001 000102030405060708090a0b0c0d0e0f"));
    expect(frame.payload.length).toBe(0);
    expect(toHex(frame.tag ?? new Uint8Array())).toBe("000102030405060708090a0b0c0d0e0f");
  });
});
