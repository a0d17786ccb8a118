import { describe, expect, it } from "vitest";
import { Router, routeKey } from "../../../src/server/workers/route.js";

function framed(flags: number, stream: number): Uint8Array {
  const bytes = Buffer.alloc(20);
  bytes.set([0xcb, 0xf2, flags]);
  bytes.writeUInt32BE(stream, 7);
  return bytes;
}

function gelfChunk(id: number, index: number): Uint8Array {
  const bytes = Buffer.alloc(16);
  bytes.set([0x1e, 0x0f]);
  bytes.writeUInt32BE(id, 6);
  bytes.set([index, 2], 10);
  return bytes;
}

describe("routeKey", () => {
  it("keys a sequenced frame by its stream, whatever its seq and other flags", () => {
    const a = framed(0x02, 7);
    const b = framed(0x02 | 0x01 | 0x10, 7);
    b[14] = 99;
    expect(routeKey(a)).toBeDefined();
    expect(routeKey(b)).toBe(routeKey(a));
    expect(routeKey(framed(0x02, 8))).not.toBe(routeKey(a));
  });

  it("keys the chunks of one GELF message alike", () => {
    expect(routeKey(gelfChunk(5, 0))).toBe(routeKey(gelfChunk(5, 1)));
    expect(routeKey(gelfChunk(5, 0))).not.toBe(routeKey(gelfChunk(6, 0)));
  });

  it("has no key for unsequenced frames, bare JSON, syslog and short datagrams", () => {
    expect(routeKey(framed(0x01, 7))).toBeUndefined();
    expect(routeKey(Buffer.from('{"message":"hello world"}'))).toBeUndefined();
    expect(routeKey(Buffer.from("<13>Oct 11 22:14:15 host app: hi"))).toBeUndefined();
    expect(routeKey(Uint8Array.of(0xcb, 0xf2, 0x02, 1, 2))).toBeUndefined();
  });
});

describe("Router", () => {
  it("spreads datagrams without a key evenly, in turn", () => {
    const router = new Router(3);
    const picks = Array.from({ length: 9 }, () => router.pick(Buffer.from("{}")));
    expect(picks).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
  });

  it("sends every datagram of a stream to one worker, and streams to every worker", () => {
    const router = new Router(4);
    const used = new Set<number>();
    for (let stream = 0; stream < 64; stream++) {
      const first = router.pick(framed(0x02, stream));
      for (let i = 0; i < 5; i++) expect(router.pick(framed(0x02, stream))).toBe(first);
      used.add(first);
    }
    expect(used).toEqual(new Set([0, 1, 2, 3]));
  });
});
