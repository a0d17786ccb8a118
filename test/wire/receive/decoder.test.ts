import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../../src/formats/create-decoder.js";
import { compress } from "../../../src/wire/compression.js";
import { encodeFrame, type FrameSpec } from "../../../src/wire/frame.js";
import type { DecoderOptions } from "../../../src/wire/receive/decoder.js";
import { signTag } from "../../../src/wire/sign.js";
import { GOLDEN, GOLDEN_KEY } from "../../fixtures/datagrams.js";
import { concat, hex, utf8 } from "../../fixtures/hex.js";

const STREAM = hex("a1a2a3a4a5a6a7a8");
const OTHER_STREAM = hex("b1b2b3b4b5b6b7b8");

function setup(options: Partial<DecoderOptions> = {}) {
  const clock = { t: 0 };
  const decoder = createDecoder({ now: () => clock.t, ...options });
  return { clock, decoder };
}

function batch(seq: number, extra: Partial<FrameSpec> = {}): Uint8Array {
  const body = utf8(`[{"seq":${seq}}]`);
  return encodeFrame({ compressed: false, stream: STREAM, seq, ...extra }, body);
}

/** Cuts `payload` into `count` slices framed as fragments of one message. */
function fragments(
  seq: number,
  payload: Uint8Array,
  count: number,
  extra: Partial<FrameSpec> = {},
) {
  const size = Math.ceil(payload.length / count);
  return Array.from({ length: count }, (_, index) =>
    encodeFrame(
      {
        compressed: false,
        stream: STREAM,
        seq,
        fragmentIndex: index,
        fragmentCount: count,
        ...extra,
      },
      payload.subarray(index * size, (index + 1) * size),
    ),
  );
}

describe("Decoder: sequencing", () => {
  it("accepts each seq once and drops a duplicate", () => {
    const { decoder } = setup();
    expect(decoder.decode(batch(0)).entries).toEqual(['{"seq":0}']);
    const again = decoder.decode(batch(0));
    expect(again.duplicate).toBe(true);
    expect(again.entries).toEqual([]);
    expect(again.rejected).toBeUndefined();
    expect(decoder.stats.duplicates).toBe(1);
  });

  it("counts a late seq inside the window as reordered, not lost", () => {
    const { clock, decoder } = setup();
    for (const seq of [0, 2, 3, 1]) expect(decoder.decode(batch(seq)).entries).toHaveLength(1);
    clock.t += 60_000;
    decoder.sweep();
    expect(decoder.stats).toMatchObject({ lost: 0, reordered: 1, duplicates: 0, streams: 1 });
  });

  it("counts a gap still open 10 s after a later seq as lost", () => {
    const { clock, decoder } = setup();
    decoder.decode(batch(0));
    decoder.decode(batch(3));
    clock.t += 9_999;
    decoder.sweep();
    expect(decoder.stats.lost).toBe(0);
    clock.t += 1;
    decoder.sweep();
    expect(decoder.stats.lost).toBe(2);
  });

  it("counts open gaps as lost at finish", () => {
    const { decoder } = setup();
    decoder.decode(batch(0));
    decoder.decode(batch(5));
    decoder.finish();
    expect(decoder.stats.lost).toBe(4);
  });

  it("keeps streams apart", () => {
    const { decoder } = setup();
    decoder.decode(batch(0));
    const other = encodeFrame({ compressed: false, stream: OTHER_STREAM, seq: 0 }, utf8("[{}]"));
    expect(decoder.decode(other).duplicate).toBe(false);
    expect(decoder.stats.streams).toBe(2);
  });

  it("treats a seq older than the window as a replay when signed, and accepts it unsigned", () => {
    const { decoder } = setup();
    decoder.decode(batch(5000));
    expect(decoder.decode(batch(1)).entries).toEqual(['{"seq":1}']);
    expect(decoder.decode(batch(2, { key: GOLDEN_KEY })).duplicate).toBe(true);
  });

  it("records a seq whose payload is rejected, so it is neither a gap nor accepted twice", () => {
    const { decoder } = setup();
    const bad = encodeFrame({ compressed: false, stream: STREAM, seq: 0 }, utf8("nope"));
    expect(decoder.decode(bad).rejected).toBe("invalid-json");
    expect(decoder.decode(batch(1)).entries).toHaveLength(1);
    expect(decoder.decode(bad).duplicate).toBe(true);
    decoder.finish();
    expect(decoder.stats.lost).toBe(0);
  });

  it("does not track unsequenced datagrams", () => {
    const { decoder } = setup();
    expect(decoder.decode(GOLDEN.pythonShipper).entries).toHaveLength(2);
    expect(decoder.decode(GOLDEN.pythonShipper).entries).toHaveLength(2);
    expect(decoder.stats).toMatchObject({ streams: 0, duplicates: 0 });
  });
});

describe("Decoder: fragments", () => {
  const message = utf8(`[{"message":"${"x".repeat(50)}"}]`);
  const entry = `{"message":"${"x".repeat(50)}"}`;

  it.each([[[0, 1, 2, 3]], [[3, 2, 1, 0]], [[2, 0, 3, 1]], [[1, 3, 0, 2]]])(
    "reassembles fragments in order %j",
    (order) => {
      const { decoder } = setup();
      const parts = fragments(7, message, 4);
      const outs = order.map((index) => decoder.decode(parts[index] as Uint8Array));
      expect(outs.slice(0, -1).every((out) => out.pending && out.entries.length === 0)).toBe(true);
      expect(outs.at(-1)?.entries).toEqual([entry]);
      expect(decoder.stats).toMatchObject({ partials: 0, reassemblyBytes: 0, lost: 0 });
    },
  );

  it("reassembles a compressed message before inflating it", () => {
    const { decoder } = setup();
    const parts = fragments(3, compress(message), 3, { compressed: true });
    const outs = [2, 1, 0].map((index) => decoder.decode(parts[index] as Uint8Array));
    expect(outs.at(-1)?.entries).toEqual([entry]);
  });

  it("drops a fragment already held, and every fragment after completion, as duplicates", () => {
    const { decoder } = setup();
    const [first, second] = fragments(1, message, 2);
    decoder.decode(first as Uint8Array);
    expect(decoder.decode(first as Uint8Array).duplicate).toBe(true);
    expect(decoder.decode(second as Uint8Array).entries).toEqual([entry]);
    expect(decoder.decode(second as Uint8Array).duplicate).toBe(true);
    expect(decoder.decode(first as Uint8Array).duplicate).toBe(true);
    expect(decoder.stats.duplicates).toBe(3);
  });

  it("counts a message lost once when its fragments are not all in within 5 s", () => {
    const { clock, decoder } = setup();
    const parts = fragments(0, message, 3);
    decoder.decode(parts[0] as Uint8Array);
    decoder.decode(parts[1] as Uint8Array);
    clock.t += 4_999;
    decoder.sweep();
    expect(decoder.stats).toMatchObject({ lost: 0, partials: 1 });
    clock.t += 1;
    decoder.sweep();
    expect(decoder.stats).toMatchObject({ lost: 1, partials: 0, reassemblyBytes: 0 });
    // The seq was recorded with its first fragment: a straggler is not a new message.
    expect(decoder.decode(parts[2] as Uint8Array).duplicate).toBe(true);
    decoder.finish();
    expect(decoder.stats.lost).toBe(1);
  });

  it("counts a message still incomplete at finish as lost", () => {
    const { decoder } = setup();
    decoder.decode(fragments(0, message, 2)[0] as Uint8Array);
    decoder.finish();
    expect(decoder.stats.lost).toBe(1);
  });

  it("rejects a fragment whose flags disagree with its message as bad-fragment", () => {
    const { decoder } = setup();
    const plain = fragments(4, message, 2);
    const compressed = fragments(4, message, 2, { compressed: true });
    decoder.decode(plain[0] as Uint8Array);
    expect(decoder.decode(compressed[1] as Uint8Array).rejected).toBe("bad-fragment");
    expect(decoder.decode(plain[1] as Uint8Array).entries).toEqual([entry]);
  });

  it("rejects a message past maxMessageBytes as too-large", () => {
    const { decoder } = setup({ maxMessageBytes: 40 });
    const parts = fragments(0, message, 2);
    const outs = parts.map((part) => decoder.decode(part));
    expect(outs.map((out) => out.rejected)).toContain("too-large");
    expect(outs.some((out) => out.entries.length > 0)).toBe(false);
  });

  it("rejects a reassembled zlib stream that inflates past the cap as too-large", () => {
    const { decoder } = setup({ maxDecompressedBytes: 1000 });
    const big = deflateSync(utf8(`[{"m":"${"y".repeat(5000)}"}]`));
    const outs = fragments(0, big, 2, { compressed: true }).map((part) => decoder.decode(part));
    expect(outs[1]?.rejected).toBe("too-large");
  });
});

describe("Decoder: keys", () => {
  const keys = [GOLDEN_KEY];

  it("accepts datagrams signed with the key", () => {
    const { decoder } = setup({ keys });
    expect(decoder.decode(batch(0, { key: GOLDEN_KEY })).entries).toEqual(['{"seq":0}']);
  });

  it("rejects an unsigned datagram as unauthenticated", () => {
    const { decoder } = setup({ keys });
    expect(decoder.decode(batch(0)).rejected).toBe("unauthenticated");
  });

  it("rejects bare JSON as unauthenticated", () => {
    const { decoder } = setup({ keys });
    const out = decoder.decode(utf8('[{"a":1}]'));
    expect(out.kind).toBe("json");
    expect(out.rejected).toBe("unauthenticated");
  });

  it("rejects a wrong tag as unauthenticated, and does not record its seq", () => {
    const { decoder } = setup({ keys });
    expect(decoder.decode(batch(0, { key: utf8("wrong") })).rejected).toBe("unauthenticated");
    expect(decoder.decode(batch(0, { key: GOLDEN_KEY })).entries).toHaveLength(1);
    expect(decoder.stats.duplicates).toBe(0);
  });

  it("checks the tag before decompressing: a bomb with a wrong tag is unauthenticated", () => {
    const bomb = deflateSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    const spec = { compressed: true, stream: STREAM, seq: 0 };
    const { decoder } = setup({ keys });
    expect(decoder.decode(encodeFrame({ ...spec, key: utf8("wrong") }, bomb)).rejected).toBe(
      "unauthenticated",
    );
    expect(decoder.decode(encodeFrame({ ...spec, key: GOLDEN_KEY }, bomb)).rejected).toBe(
      "too-large",
    );
  });

  it("checks the tag before parsing headers: bad fragment headers with a wrong tag", () => {
    const { decoder } = setup({ keys });
    const body = hex("cbf2 0e a1a2a3a4a5a6a7a8 00000000 0005 0002 5b5d");
    const forged = concat(body, new Uint8Array(16));
    expect(decoder.decode(forged).rejected).toBe("unauthenticated");
  });

  it("reports reserved flags after a valid tag as unsupported-flags", () => {
    const { decoder } = setup({ keys });
    const signed = batch(0, { key: GOLDEN_KEY });
    const body = signed.slice(0, -16);
    body[2] = (body[2] ?? 0) | 0x40;
    expect(decoder.decode(concat(body, signTag(GOLDEN_KEY, body))).rejected).toBe(
      "unsupported-flags",
    );
  });

  it("accepts a signed fragmented message", () => {
    const { decoder } = setup({ keys });
    const parts = fragments(9, utf8('[{"a":1}]'), 2, { key: GOLDEN_KEY });
    expect(decoder.decode(parts[1] as Uint8Array).pending).toBe(true);
    expect(decoder.decode(parts[0] as Uint8Array).entries).toEqual(['{"a":1}']);
  });

  it("keeps unknown-format for bytes that are not of the protocol at all", () => {
    const { decoder } = setup({ keys });
    expect(decoder.decode(utf8("hello")).rejected).toBe("unknown-format");
  });

  it("rejects a signed frame too short to hold a tag as unauthenticated", () => {
    const { decoder } = setup({ keys });
    expect(decoder.decode(hex("cbf2 0a a1a2a3a4")).rejected).toBe("unauthenticated");
  });

  it("treats an empty key list as no key", () => {
    const { decoder } = setup({ keys: [] });
    expect(decoder.decode(utf8('{"a":1}')).entries).toEqual(['{"a":1}']);
  });
});

describe("Decoder: setKeys", () => {
  const A = utf8("key-a");
  const B = utf8("key-b");

  it("swaps the keys between two datagrams: B accepted only after, A only before", () => {
    const { decoder } = setup({ keys: [A] });
    expect(decoder.decode(batch(0, { key: A })).entries).toEqual(['{"seq":0}']);
    expect(decoder.decode(batch(1, { key: B })).rejected).toBe("unauthenticated");
    decoder.setKeys([B]);
    expect(decoder.decode(batch(2, { key: A })).rejected).toBe("unauthenticated");
    expect(decoder.decode(batch(1, { key: B })).entries).toEqual(['{"seq":1}']);
  });

  it("accepts both while both are held, as during a rotation", () => {
    const { decoder } = setup({ keys: [A] });
    decoder.setKeys([B, A]);
    expect(decoder.decode(batch(0, { key: A })).entries).toHaveLength(1);
    expect(decoder.decode(batch(1, { key: B })).entries).toHaveLength(1);
    expect(decoder.decode(batch(2)).rejected).toBe("unauthenticated");
  });

  it("keeps streams and counters: a seq seen under the old key is a duplicate under the new", () => {
    const { decoder } = setup({ keys: [A] });
    expect(decoder.decode(batch(0, { key: A })).entries).toHaveLength(1);
    decoder.setKeys([B]);
    expect(decoder.decode(batch(0, { key: B })).duplicate).toBe(true);
    expect(decoder.stats).toMatchObject({ streams: 1, duplicates: 1, lost: 0 });
  });

  it("does not follow later changes to the array it was given", () => {
    const keys = [A];
    const { decoder } = setup();
    decoder.setKeys(keys);
    keys[0] = B;
    expect(decoder.decode(batch(0, { key: A })).entries).toHaveLength(1);
    expect(decoder.decode(batch(1, { key: B })).rejected).toBe("unauthenticated");
  });

  it("with an empty list, needs no signature any more", () => {
    const { decoder } = setup({ keys: [A] });
    expect(decoder.decode(utf8('{"a":1}')).rejected).toBe("unauthenticated");
    decoder.setKeys([]);
    expect(decoder.decode(utf8('{"a":1}')).entries).toEqual(['{"a":1}']);
  });
});

describe("Decoder: never throws", () => {
  it.each([
    ["empty", ""],
    ["magic only", "cbf2"],
    ["max fragment header", "cbf2 07 ffffffffffffffff ffffffff 0fff 1000"],
    ["compressed empty", "cbf2 03 0011223344556677 00000000"],
    ["signed, all zero", `cbf2 0f ${"00".repeat(40)}`],
  ])("answers %s with an outcome", (_name, datagram) => {
    const { decoder } = setup();
    const out = decoder.decode(hex(datagram));
    expect(out.rejected !== undefined || out.pending || out.duplicate).toBe(true);
  });
});

describe("Decoder: syslog, GELF and text", () => {
  const RECEIVED = Date.UTC(2026, 10, 24, 12, 0, 0);
  const AT = "2026-11-24T12:00:00.000Z";
  const withText = new Set(["framed", "json", "syslog", "gelf", "text"] as const);
  const gelf = '{"version":"1.1","short_message":"g","level":7}';

  function other(options: Partial<DecoderOptions> = {}) {
    return setup({ wallClock: () => RECEIVED, ...options }).decoder;
  }

  it("accepts syslog and GELF by default, with the receive time from the wall clock", () => {
    const decoder = other();
    expect(decoder.decode(utf8("<11>hi"))).toMatchObject({
      kind: "syslog",
      entries: [
        `{"timestamp":"${AT}","level":"ERROR","message":"hi","metadata":{"facility":"user","severity":"err"}}`,
      ],
    });
    expect(decoder.decode(deflateSync(utf8(gelf)))).toMatchObject({
      kind: "gelf",
      entries: [
        `{"timestamp":"${AT}","level":"DEBUG","message":"g","metadata":{"severity":"debug"}}`,
      ],
    });
  });

  it("keeps plain text unknown-format by default, and reads it when text is accepted", () => {
    expect(other().decode(utf8("hello"))).toMatchObject({
      kind: "unknown",
      rejected: "unknown-format",
    });
    expect(other({ accept: withText }).decode(utf8("hello\r\nworld\n"))).toMatchObject({
      kind: "text",
      entries: [
        `{"timestamp":"${AT}","message":"hello"}`,
        `{"timestamp":"${AT}","message":"world"}`,
      ],
    });
  });

  it("answers a kind that is not accepted as unknown-format", () => {
    const decoder = other({ accept: new Set(["framed", "gelf"]) });
    expect(decoder.decode(utf8("<13>hi"))).toMatchObject({
      kind: "unknown",
      rejected: "unknown-format",
    });
    expect(decoder.decode(utf8('[{"a":1}]')).rejected).toBe("unknown-format");
    expect(decoder.decode(utf8(gelf)).kind).toBe("gelf");
    expect(decoder.decode(GOLDEN.pythonShipper).kind).toBe("framed");
  });

  it("reads GELF-shaped bare JSON as plain JSON when GELF is off", () => {
    const decoder = other({ accept: new Set(["json"]) });
    expect(decoder.decode(utf8(gelf))).toMatchObject({ kind: "json", entries: [gelf] });
  });

  it.each([
    ["bare JSON that does not parse", "[INFO] started", "json", "invalid-json"],
    ["a PRI above 191", "<192>hello", "syslog", "invalid-syslog"],
    ["a broken RFC 5424 header", "<13>1 - -  x", "syslog", "invalid-syslog"],
    ["a zlib header that does not inflate", "x^ marks the spot", "gelf", "invalid-compression"],
  ])("rejects %s, or reads it as text when text is accepted", (_name, line, kind, reason) => {
    expect(other().decode(utf8(line))).toMatchObject({ kind, rejected: reason });
    expect(other({ accept: withText }).decode(utf8(line))).toMatchObject({
      kind: "text",
      entries: [`{"timestamp":"${AT}","message":${JSON.stringify(line)}}`],
    });
  });

  it.each([
    [
      "GELF with a field of the wrong type",
      utf8('{"version":"1.1","short_message":1}'),
      "invalid-gelf",
    ],
    ["gzip that does not decompress", hex("1f8b 0800 0000"), "invalid-compression"],
  ])("keeps %s rejected even when text is accepted", (_name, datagram, reason) => {
    expect(other({ accept: withText }).decode(datagram)).toMatchObject({
      kind: "gelf",
      rejected: reason,
    });
  });

  it("answers a zlib or gzip stream that holds no GELF message as unknown-format", () => {
    for (const datagram of [deflateSync(utf8('[{"a":1}]')), gzipSync(utf8("hello"))]) {
      expect(other({ accept: withText }).decode(datagram)).toMatchObject({
        kind: "unknown",
        rejected: "unknown-format",
      });
    }
  });

  it("with keys, rejects syslog, GELF and text as unauthenticated before decoding them", () => {
    const decoder = other({ keys: [GOLDEN_KEY], accept: withText });
    expect(decoder.decode(utf8("<13>hi"))).toMatchObject({
      kind: "syslog",
      rejected: "unauthenticated",
    });
    expect(decoder.decode(gzipSync(utf8(gelf)))).toMatchObject({
      kind: "gelf",
      rejected: "unauthenticated",
    });
    expect(decoder.decode(utf8("hello"))).toMatchObject({
      kind: "text",
      rejected: "unauthenticated",
    });
    expect(decoder.stats.formats.gelf?.partials).toBe(0);
  });

  it("keeps GELF chunks apart from our fragments in the stats", () => {
    const decoder = other();
    decoder.decode(hex("1e0f 0102030405060708 0002 7b"));
    decoder.decode(fragments(0, utf8('[{"a":1}]'), 2)[0] as Uint8Array);
    const stats = decoder.stats;
    expect(stats).toMatchObject({ partials: 2, formats: { gelf: { partials: 1 } } });
    const gelfBytes = stats.formats.gelf?.reassemblyBytes ?? Number.NaN;
    expect(stats.reassemblyBytes).toBeGreaterThan(gelfBytes);
    expect(gelfBytes).toBeGreaterThan(0);
  });
});

describe("Decoder: the stream and seq of a message", () => {
  it("gives the stream as 16 hex digits and the seq of a sequenced message", () => {
    const { decoder } = setup();
    const out = decoder.decode(batch(42));
    expect(out).toMatchObject({ stream: "a1a2a3a4a5a6a7a8", seq: 42 });
  });

  it("gives them for a reassembled message, with its last fragment", () => {
    const { decoder } = setup();
    const parts = fragments(7, utf8('[{"a":1},{"b":2}]'), 3);
    const outs = parts.map((part) => decoder.decode(part));
    expect(outs[0]?.stream).toBeUndefined();
    expect(outs[2]).toMatchObject({ stream: "a1a2a3a4a5a6a7a8", seq: 7 });
  });

  it("gives neither for an unsequenced frame, bare JSON or a rejected message", () => {
    const { decoder } = setup();
    const plain = decoder.decode(encodeFrame({ compressed: false }, utf8('[{"a":1}]')));
    expect(plain.entries).toHaveLength(1);
    expect(plain.stream).toBeUndefined();
    expect(plain.seq).toBeUndefined();
    expect(decoder.decode(utf8('{"a":1}')).stream).toBeUndefined();
    const bad = encodeFrame({ compressed: false, stream: STREAM, seq: 1 }, utf8("nope"));
    expect(decoder.decode(bad).stream).toBeUndefined();
  });
});
