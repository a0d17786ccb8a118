import { deflateSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createDecoder } from "../../src/formats/create-decoder.js";
import { GELF_MAX_HELD_BYTES, GelfChunks, parseGelfChunk } from "../../src/formats/gelf-chunks.js";
import type { DecoderOptions } from "../../src/wire/receive/decoder.js";
import {
  FRAGMENT_BOOKKEEPING_BYTES,
  MESSAGE_BOOKKEEPING_BYTES,
} from "../../src/wire/receive/reassembler.js";
import { concat, hex, utf8 } from "../fixtures/hex.js";

const ID = hex("0102030405060708");
const OTHER_ID = hex("1112131415161718");

function chunk(id: Uint8Array, index: number, count: number, payload: Uint8Array): Uint8Array {
  return concat(hex("1e0f"), id, Uint8Array.of(index, count), payload);
}

/** Cuts `payload` into `count` chunks of one message. */
function chunks(payload: Uint8Array, count: number, id: Uint8Array = ID): Uint8Array[] {
  const size = Math.ceil(payload.length / count);
  return Array.from({ length: count }, (_, i) =>
    chunk(id, i, count, payload.subarray(i * size, (i + 1) * size)),
  );
}

const MESSAGE = utf8('{"version":"1.1","short_message":"chunked","host":"h","level":6}');
const ENTRY =
  '{"timestamp":"2026-11-24T12:00:00.000Z","level":"INFO","message":"chunked","host":"h",' +
  '"metadata":{"severity":"info"}}';

function setup(options: Partial<DecoderOptions> = {}) {
  const clock = { t: 0 };
  const decoder = createDecoder({
    now: () => clock.t,
    wallClock: () => Date.UTC(2026, 10, 24, 12),
    ...options,
  });
  return { clock, decoder };
}

describe("parseGelfChunk", () => {
  it("reads the id, seq, count and payload", () => {
    const parsed = parseGelfChunk(chunk(ID, 2, 3, utf8("ab")));
    expect(parsed.ok && parsed.value).toMatchObject({ id: "0102030405060708", index: 2, count: 3 });
    expect(parsed.ok && [...parsed.value.payload]).toEqual([0x61, 0x62]);
  });

  it.each([
    ["shorter than the header", hex("1e0f 0102030405060708 00")],
    ["count 0", chunk(ID, 0, 0, utf8("x"))],
    ["count 129", chunk(ID, 0, 129, utf8("x"))],
    ["seq equal to count", chunk(ID, 3, 3, utf8("x"))],
  ])("rejects %s as bad-fragment", (_name, datagram) => {
    expect(parseGelfChunk(datagram)).toEqual({ ok: false, reason: "bad-fragment" });
  });

  it("accepts 128 chunks", () => {
    expect(parseGelfChunk(chunk(ID, 127, 128, utf8("x"))).ok).toBe(true);
  });
});

describe("GelfChunks", () => {
  it("completes a message of one chunk at once", () => {
    const assembler = new GelfChunks({ now: () => 0 });
    const result = assembler.add(chunk(ID, 0, 1, MESSAGE));
    expect(result.status === "complete" && [...result.payload]).toEqual([...MESSAGE]);
  });

  it("answers a chunk of a message completed less than 5 s ago as a duplicate", () => {
    const clock = { t: 0 };
    const assembler = new GelfChunks({ now: () => clock.t });
    const parts = chunks(MESSAGE, 2);
    assembler.add(parts[0] as Uint8Array);
    expect(assembler.add(parts[1] as Uint8Array).status).toBe("complete");
    expect(assembler.add(parts[1] as Uint8Array).status).toBe("duplicate");
    clock.t += 5_000;
    assembler.sweep();
    expect(assembler.add(parts[1] as Uint8Array).status).toBe("pending");
  });

  it("bounds the memory held: past maxHeldBytes the oldest partial message is lost", () => {
    const assembler = new GelfChunks({ now: () => 0, maxHeldBytes: 4096 });
    const payload = new Uint8Array(1500);
    assembler.add(chunk(ID, 0, 2, payload));
    assembler.add(chunk(OTHER_ID, 0, 2, payload));
    expect(assembler.lost).toBe(1);
    expect(assembler.partials).toBe(1);
    expect(assembler.heldBytes).toBeLessThanOrEqual(4096);
  });

  it("charges chunks as fragments: payload and bookkeeping, per chunk and per message", () => {
    const assembler = new GelfChunks({ now: () => 0 });
    assembler.add(chunk(ID, 0, 3, new Uint8Array(100)));
    assembler.add(chunk(ID, 1, 3, new Uint8Array(8000)));
    expect(assembler.heldBytes).toBe(
      MESSAGE_BOOKKEEPING_BYTES + 2 * FRAGMENT_BOOKKEEPING_BYTES + 8100,
    );
  });

  it("holds one message of the 4 MiB maximum within its default 8 MiB, not two", () => {
    expect(GELF_MAX_HELD_BYTES).toBe(8 * 1024 * 1024);
    const assembler = new GelfChunks({ now: () => 0 });
    const slice = new Uint8Array(33_000); // 127 of them: 4,191,000 bytes
    for (const id of [ID, OTHER_ID]) {
      for (let i = 0; i < 127; i++) assembler.add(chunk(id, i, 128, slice));
    }
    expect(assembler.partials).toBe(1);
    expect(assembler.lost).toBe(1);
    const last = assembler.add(chunk(OTHER_ID, 127, 128, new Uint8Array(3000)));
    expect(last.status === "complete" && last.payload.length).toBe(127 * 33_000 + 3000);
  });
});

describe("Decoder: GELF chunks", () => {
  it("reassembles chunks out of order into one entry", () => {
    const { decoder } = setup();
    const [a, b, c] = chunks(MESSAGE, 3) as [Uint8Array, Uint8Array, Uint8Array];
    expect(decoder.decode(c)).toMatchObject({ kind: "gelf", pending: true });
    expect(decoder.decode(a).pending).toBe(true);
    expect(decoder.stats).toMatchObject({ formats: { gelf: { partials: 1 } }, partials: 1 });
    expect(decoder.decode(b)).toMatchObject({ kind: "gelf", entries: [ENTRY] });
    expect(decoder.stats).toMatchObject({
      formats: { gelf: { partials: 0, reassemblyBytes: 0 } },
    });
  });

  it("reassembles zlib and gzip payloads", () => {
    const { decoder } = setup();
    for (const [i, payload] of [deflateSync(MESSAGE), gzipSync(MESSAGE)].entries()) {
      const id = Uint8Array.of(9, 9, 9, 9, 9, 9, 9, i);
      const outs = chunks(payload, 2, id).map((part) => decoder.decode(part));
      expect(outs[1]?.entries).toEqual([ENTRY]);
    }
  });

  it("counts a duplicate chunk", () => {
    const { decoder } = setup();
    const [a] = chunks(MESSAGE, 2) as [Uint8Array];
    decoder.decode(a);
    expect(decoder.decode(a)).toMatchObject({ kind: "gelf", duplicate: true });
    expect(decoder.stats.duplicates).toBe(1);
  });

  it("counts a message with a missing chunk as lost 5 s after its first chunk", () => {
    const { clock, decoder } = setup();
    const [a, , c] = chunks(MESSAGE, 3) as [Uint8Array, Uint8Array, Uint8Array];
    decoder.decode(a);
    decoder.decode(c);
    clock.t += 4_999;
    decoder.sweep();
    expect(decoder.stats).toMatchObject({ lost: 0, formats: { gelf: { lost: 0, partials: 1 } } });
    clock.t += 1;
    decoder.sweep();
    expect(decoder.stats).toMatchObject({ lost: 1, formats: { gelf: { lost: 1, partials: 0 } } });
    expect(decoder.stats.formats.gelf?.reassemblyBytes).toBe(0);
  });

  it("counts messages still waiting for chunks as lost at finish", () => {
    const { decoder } = setup();
    decoder.decode(chunks(MESSAGE, 2)[0] as Uint8Array);
    decoder.finish();
    expect(decoder.stats).toMatchObject({ lost: 1, formats: { gelf: { lost: 1 } } });
  });

  it("rejects a count of 129 and chunks that disagree on the count as bad-fragment", () => {
    const { decoder } = setup();
    expect(decoder.decode(chunk(ID, 0, 129, MESSAGE))).toMatchObject({
      kind: "gelf",
      rejected: "bad-fragment",
    });
    decoder.decode(chunk(ID, 0, 2, MESSAGE));
    expect(decoder.decode(chunk(ID, 1, 3, MESSAGE)).rejected).toBe("bad-fragment");
  });

  it("rejects reassembled content that is not GELF as invalid-gelf", () => {
    const { decoder } = setup();
    const outs = chunks(utf8('[{"a":1}]'), 2).map((part) => decoder.decode(part));
    expect(outs[1]).toMatchObject({ kind: "gelf", rejected: "invalid-gelf" });
  });

  it("rejects a message past maxMessageBytes as too-large", () => {
    const { decoder } = setup({ maxMessageBytes: 100 });
    const outs = chunks(new Uint8Array(300).fill(0x20), 3).map((part) => decoder.decode(part));
    expect(outs.map((out) => out.rejected)).toContain("too-large");
    expect(outs.every((out) => out.entries.length === 0)).toBe(true);
  });
});

describe("Decoder: GELF bombs are capped", () => {
  const zeros = new Uint8Array(32 * 1024 * 1024);
  const zlibBomb = deflateSync(zeros, { level: 9 });
  const gzipBomb = gzipSync(zeros, { level: 9 });

  it.each([
    ["zlib", zlibBomb],
    ["gzip", gzipBomb],
  ])("a %s bomb in one datagram is too-large (default 16 MiB cap)", (_name, bomb) => {
    const { decoder } = setup();
    expect(bomb.length).toBeLessThan(65_507);
    expect(decoder.decode(bomb)).toMatchObject({ kind: "gelf", rejected: "too-large" });
  });

  it("a chunked gzip bomb is too-large once reassembled", () => {
    const { decoder } = setup();
    const outs = chunks(gzipBomb, 40).map((part) => decoder.decode(part));
    expect(outs.at(-1)).toMatchObject({ kind: "gelf", rejected: "too-large" });
  });

  it("the cap is the decoder's maxDecompressedBytes", () => {
    const { decoder } = setup({ maxDecompressedBytes: MESSAGE.length - 1 });
    expect(decoder.decode(gzipSync(MESSAGE)).rejected).toBe("too-large");
    const { decoder: roomy } = setup({ maxDecompressedBytes: MESSAGE.length });
    expect(roomy.decode(gzipSync(MESSAGE)).entries).toEqual([ENTRY]);
  });
});
