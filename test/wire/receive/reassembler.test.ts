import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_FRAGMENT_HELD_BYTES } from "../../../src/wire/constants.js";
import {
  FRAGMENT_BOOKKEEPING_BYTES,
  MESSAGE_BOOKKEEPING_BYTES,
  Reassembler,
} from "../../../src/wire/receive/reassembler.js";

const MiB = 1024 * 1024;

function setup(options: { maxHeldBytes?: number; maxMessageBytes?: number } = {}) {
  let time = 0;
  const reassembler = new Reassembler({ now: () => time, ...options });
  const advance = (ms: number) => {
    time += ms;
  };
  return { reassembler, advance };
}

function bytes(length: number, fill = 0x61): Uint8Array {
  return new Uint8Array(length).fill(fill);
}

/** A full collection, then the heap and the payloads outside it, in bytes. */
function measuredBytes(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The decoder's key for a message: 16 hex digits of stream, then the seq. */
function keyOf(m: number): string {
  const stream = Buffer.alloc(8);
  stream.writeUInt32BE(m % 20_000, 4);
  return `${stream.toString("hex")}:${4_000_000_000 + m}`;
}

/** Cuts a payload in `count` slices, equal except the last. */
function slices(payload: Uint8Array, count: number): Uint8Array[] {
  const size = Math.ceil(payload.length / count);
  return Array.from({ length: count }, (_, i) => payload.subarray(i * size, (i + 1) * size));
}

describe("Reassembler", () => {
  it("reassembles fragments that arrive in any order", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 2000 }),
        fc.integer({ min: 2, max: 40 }),
        fc.nat(),
        (payload, wanted, seed) => {
          const count = Math.min(wanted, payload.length);
          const parts = slices(payload, count).map((part, index) => ({ part, index }));
          const order = parts
            .map((p, i) => ({ p, k: (i * 7919 + seed) % 1009 }))
            .sort((a, b) => a.k - b.k);
          const { reassembler } = setup();
          const results = order.map(({ p }) => reassembler.add("m", 1, p.index, count, p.part));
          for (const r of results.slice(0, -1)) expect(r).toEqual({ status: "pending" });
          const last = results.at(-1);
          expect(last?.status).toBe("complete");
          if (last?.status === "complete") expect(last.payload).toEqual(payload);
          expect(reassembler.partials).toBe(0);
          expect(reassembler.heldBytes).toBe(0);
        },
      ),
    );
  });

  it("copies fragment bytes: later changes to the datagram do not leak in", () => {
    const { reassembler } = setup();
    const first = bytes(3, 0x31);
    reassembler.add("m", 0, 0, 2, first);
    first.fill(0x39);
    const done = reassembler.add("m", 0, 1, 2, bytes(2, 0x32));
    expect(done).toEqual({ status: "complete", payload: Uint8Array.from([49, 49, 49, 50, 50]) });
  });

  it.each([
    ["count 1", 0, 1],
    ["count 4097", 0, 4097],
    ["index = count", 2, 2],
    ["negative index", -1, 2],
  ])("rejects %s as bad-fragment and holds nothing", (_name, index, count) => {
    const { reassembler } = setup();
    expect(reassembler.add("m", 0, index, count, bytes(4))).toEqual({
      status: "rejected",
      reason: "bad-fragment",
    });
    expect(reassembler.has("m")).toBe(false);
  });

  it("rejects a fragment whose flags or count disagree, and keeps the message", () => {
    const { reassembler } = setup();
    reassembler.add("m", 1, 0, 3, bytes(4));
    expect(reassembler.add("m", 0, 1, 3, bytes(4))).toEqual({
      status: "rejected",
      reason: "bad-fragment",
    });
    expect(reassembler.add("m", 1, 1, 4, bytes(4))).toEqual({
      status: "rejected",
      reason: "bad-fragment",
    });
    expect(reassembler.add("m", 1, 1, 3, bytes(4))).toEqual({ status: "pending" });
    expect(reassembler.add("m", 1, 2, 3, bytes(1)).status).toBe("complete");
  });

  it("answers duplicate for an index already held", () => {
    const { reassembler } = setup();
    reassembler.add("m", 0, 1, 3, bytes(4));
    expect(reassembler.add("m", 0, 1, 3, bytes(4, 0x62))).toEqual({ status: "duplicate" });
    expect(reassembler.heldBytes).toBe(MESSAGE_BOOKKEEPING_BYTES + 4 + FRAGMENT_BOOKKEEPING_BYTES);
  });

  it("drops a message not complete within 5 s and counts it lost once", () => {
    const { reassembler, advance } = setup();
    reassembler.add("old", 0, 0, 2, bytes(10));
    advance(3_000);
    reassembler.add("new", 0, 0, 2, bytes(10));
    advance(1_999);
    reassembler.sweep();
    expect(reassembler.partials).toBe(2);
    advance(1);
    reassembler.sweep();
    expect(reassembler.has("old")).toBe(false);
    expect(reassembler.has("new")).toBe(true);
    expect(reassembler.lost).toBe(1);
    advance(3_000);
    reassembler.sweep();
    expect(reassembler.lost).toBe(2);
    expect(reassembler.heldBytes).toBe(0);
  });

  it("drops the oldest other message when the held bytes would pass the cap", () => {
    const fragment = 1000;
    const perMessage = MESSAGE_BOOKKEEPING_BYTES + fragment + FRAGMENT_BOOKKEEPING_BYTES;
    const { reassembler } = setup({ maxHeldBytes: perMessage * 3 });
    for (const key of ["a", "b", "c"]) reassembler.add(key, 0, 0, 3, bytes(fragment));
    expect(reassembler.lost).toBe(0);
    expect(reassembler.heldBytes).toBe(perMessage * 3);
    // A second fragment of "a", the oldest: "b" goes, not "a".
    expect(reassembler.add("a", 0, 1, 3, bytes(fragment))).toEqual({ status: "pending" });
    expect(reassembler.has("b")).toBe(false);
    expect(reassembler.has("a")).toBe(true);
    expect(reassembler.lost).toBe(1);
    expect(reassembler.heldBytes).toBeLessThanOrEqual(perMessage * 3);
  });

  it("rejects a message as too-large as soon as its held bytes pass the cap", () => {
    const { reassembler } = setup({ maxMessageBytes: 2500 });
    // The last fragment first, then unequal slices: no early estimate applies.
    expect(reassembler.add("m", 0, 3, 4, bytes(1000)).status).toBe("pending");
    expect(reassembler.add("m", 0, 0, 4, bytes(800)).status).toBe("pending");
    expect(reassembler.add("m", 0, 1, 4, bytes(800))).toEqual({
      status: "rejected",
      reason: "too-large",
    });
    expect(reassembler.heldBytes).toBe(MESSAGE_BOOKKEEPING_BYTES);
    // Its later fragments are answered too-large, not held again.
    expect(reassembler.add("m", 0, 2, 4, bytes(10)).status).toBe("rejected");
    expect(reassembler.heldBytes).toBe(MESSAGE_BOOKKEEPING_BYTES);
    expect(reassembler.lost).toBe(0);
  });

  it("rejects too-large from the first non-last fragment: (count - 1) x its size", () => {
    const { reassembler, advance } = setup({ maxMessageBytes: 4 * MiB });
    const result = reassembler.add("m", 1, 0, 100, bytes(60_000));
    expect(result).toEqual({ status: "rejected", reason: "too-large" });
    expect(reassembler.heldBytes).toBe(MESSAGE_BOOKKEEPING_BYTES);
    expect(reassembler.partials).toBe(0);
    expect(reassembler.has("m")).toBe(true);
    advance(5_000);
    reassembler.sweep();
    expect(reassembler.has("m")).toBe(false);
    expect(reassembler.heldBytes).toBe(0);
    expect(reassembler.lost).toBe(0);
  });

  it("accepts a message of exactly the max size", () => {
    const { reassembler } = setup({ maxMessageBytes: 1000 });
    const payload = bytes(1000);
    const parts = slices(payload, 3);
    reassembler.add("m", 0, 0, 3, parts[0] as Uint8Array);
    reassembler.add("m", 0, 2, 3, parts[2] as Uint8Array);
    const done = reassembler.add("m", 0, 1, 3, parts[1] as Uint8Array);
    expect(done.status).toBe("complete");
  });

  it("stays within its cap when a sender opens 4096-count messages that never complete", () => {
    const cap = 1 * MiB;
    const { reassembler } = setup({ maxHeldBytes: cap });
    for (let m = 0; m < 2000; m++) {
      for (let i = 0; i < 10; i++) reassembler.add(`m${m}`, 0, i, 4096, bytes(100));
      expect(reassembler.heldBytes).toBeLessThanOrEqual(cap);
    }
    expect(reassembler.lost).toBeGreaterThan(0);
    expect(reassembler.partials).toBeLessThan(2000);
  });

  it("stays within its cap under tiny fragments of many messages", () => {
    const cap = 256 * 1024;
    const { reassembler } = setup({ maxHeldBytes: cap });
    for (let m = 0; m < 5000; m++) reassembler.add(`m${m}`, 0, 0, 2, bytes(1));
    expect(reassembler.heldBytes).toBeLessThanOrEqual(cap);
    expect(reassembler.partials).toBeLessThanOrEqual(cap / MESSAGE_BOOKKEEPING_BYTES);
    expect(reassembler.lost).toBe(5000 - reassembler.partials);
  });

  it("charges each message and each fragment their bookkeeping, and a marker a message's", () => {
    const { reassembler } = setup({ maxMessageBytes: 10_000 });
    reassembler.add("m", 0, 0, 3, bytes(100));
    expect(reassembler.heldBytes).toBe(
      MESSAGE_BOOKKEEPING_BYTES + FRAGMENT_BOOKKEEPING_BYTES + 100,
    );
    reassembler.add("m", 0, 1, 3, bytes(5000));
    expect(reassembler.heldBytes).toBe(
      MESSAGE_BOOKKEEPING_BYTES + 2 * FRAGMENT_BOOKKEEPING_BYTES + 5100,
    );
    reassembler.add("m", 0, 2, 3, bytes(6000));
    expect(reassembler.heldBytes).toBe(MESSAGE_BOOKKEEPING_BYTES);
    expect(reassembler.partials).toBe(0);
  });

  it("puts small fragments (held as strings) and large ones back together byte for byte", () => {
    const payload = Uint8Array.from({ length: 3000 }, (_, i) => (i * 131) % 256);
    const parts = [payload.subarray(0, 1), payload.subarray(1, 512), payload.subarray(512)];
    const { reassembler } = setup();
    reassembler.add("m", 0, 2, 3, parts[2] as Uint8Array);
    reassembler.add("m", 0, 0, 3, parts[0] as Uint8Array);
    const done = reassembler.add("m", 0, 1, 3, parts[1] as Uint8Array);
    expect(done).toEqual({ status: "complete", payload });
  });

  it.each([
    ["100-byte fragments (held as strings)", 100, 20_000, 0],
    ["600-byte fragments (held as Uint8Arrays)", 600, 5_000, 160],
  ])(
    "charges at least the memory held: messages of one of %s",
    (_name, size, messages, outside) => {
      // Allocator overhead outside the heap is not measured here: `outside` bytes a fragment
      // are added for it (about 150 measured from RSS); test/e2e/server-memory.test.ts
      // checks the whole against the server's resident size.
      const { reassembler } = setup({ maxHeldBytes: 2 ** 40 });
      const datagram = bytes(size + 40, 0x71);
      const keys = Array.from({ length: messages }, (_, m) => keyOf(m));
      const before = measuredBytes();
      for (const key of keys) reassembler.add(key, 0x06, 0, 4096, datagram.subarray(20, 20 + size));
      const held = measuredBytes() - before + outside * messages;
      expect(reassembler.partials).toBe(messages);
      expect(held).toBeLessThan(reassembler.heldBytes);
      // Honest, not wildly over: more than a third of the charge is real.
      expect(held).toBeGreaterThan(reassembler.heldBytes / 3);
    },
  );

  it("holds four messages near the 4 MiB maximum at the default cap; a fifth drops the oldest", () => {
    const { reassembler } = setup({ maxHeldBytes: MAX_FRAGMENT_HELD_BYTES });
    const slice = bytes(60_000);
    // 69 of 70 slices: 4,140,000 bytes, each message waiting for its last fragment.
    for (const key of ["a", "b", "c", "d", "e"]) {
      for (let i = 0; i < 69; i++) reassembler.add(key, 0, i, 70, slice);
      expect(reassembler.heldBytes).toBeLessThanOrEqual(MAX_FRAGMENT_HELD_BYTES);
    }
    expect(reassembler.partials).toBe(4);
    expect(reassembler.lost).toBe(1);
    expect(reassembler.has("a")).toBe(false);
  });
});
