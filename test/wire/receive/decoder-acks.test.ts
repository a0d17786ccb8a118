import { describe, expect, it } from "vitest";
import { createDecoder } from "../../../src/formats/create-decoder.js";
import { encodeFrame } from "../../../src/wire/frame.js";

const STREAM = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const HEX = "0102030405060708";
const utf8 = (text: string) => Buffer.from(text);

function frame(seq: number, json: string, extra: { ack?: boolean; key?: Uint8Array } = {}) {
  return encodeFrame(
    {
      compressed: false,
      stream: STREAM,
      seq,
      ackRequested: extra.ack ?? true,
      ...(extra.key ? { key: extra.key } : {}),
    },
    utf8(json),
  );
}

describe("the decoder and ACK_REQUESTED", () => {
  it("says a trusted message asked, whatever became of it", () => {
    const decoder = createDecoder({ now: () => 0 });
    expect(decoder.decode(frame(1, '{"a":1}'))).toMatchObject({
      entries: ['{"a":1}'],
      ackRequested: { stream: HEX, seq: 1 },
    });
    expect(decoder.decode(frame(1, '{"a":1}'))).toMatchObject({
      duplicate: true,
      ackRequested: { stream: HEX, seq: 1 },
    });
    expect(decoder.decode(frame(2, "{nope"))).toMatchObject({
      rejected: "invalid-json",
      ackRequested: { stream: HEX, seq: 2 },
    });
    expect(decoder.decode(frame(3, "{}", { ack: false })).ackRequested).toBeUndefined();
  });

  it("never for a datagram rejected before its seq is trusted", () => {
    const decoder = createDecoder({ now: () => 0, keys: [utf8("k")] });
    const unsigned = decoder.decode(frame(1, "{}"));
    expect(unsigned).toMatchObject({ rejected: "unauthenticated" });
    expect(unsigned.ackRequested).toBeUndefined();
    const forged = decoder.decode(frame(1, "{}", { key: utf8("other") }));
    expect(forged.ackRequested).toBeUndefined();
    const unsequenced = Buffer.from([0xcb, 0xf2, 0x10, ...utf8("{}")]);
    const open = createDecoder({ now: () => 0 }).decode(unsequenced);
    expect(open).toMatchObject({ rejected: "unsupported-flags" });
    expect(open.ackRequested).toBeUndefined();
  });

  it("decodes a copy again when redeliver says its first copy was not taken", () => {
    const refused = new Set([5]);
    const decoder = createDecoder({
      now: () => 0,
      redeliver: (stream, seq) => stream === HEX && refused.has(seq),
    });
    decoder.decode(frame(5, '{"n":5}'));
    decoder.decode(frame(6, '{"n":6}'));
    expect(decoder.decode(frame(5, '{"n":5}'))).toMatchObject({ entries: ['{"n":5}'] });
    expect(decoder.decode(frame(6, '{"n":6}'))).toMatchObject({ duplicate: true });
    expect(decoder.stats.duplicates).toBe(1);
  });
});
