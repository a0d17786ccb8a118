import { describe, expect, it } from "vitest";
import { encodeAck, Flag } from "../../../src/wire/index.js";
import { settle } from "../fakes.js";
import { reliableShipper } from "../reliable-fakes.js";

const KEY = new TextEncoder().encode("reliable key");

const setup = reliableShipper;

describe("reliable delivery in the client", () => {
  it("asks for an acknowledgement and counts entries sent once acknowledged", async () => {
    const { shipper, frames, ack } = setup();
    const done = shipper.log({ n: 0 });
    let resolved = false;
    void done.then(() => {
      resolved = true;
    });
    await settle();
    expect(frames()).toHaveLength(1);
    expect((frames()[0]?.flags ?? 0) & Flag.ACK_REQUESTED).toBe(Flag.ACK_REQUESTED);
    expect(shipper.summary()).toMatchObject({ sent: 0, acked: 0 });
    expect(shipper.summary().unacked_bytes).toBeGreaterThan(0);
    ack(0);
    await settle();
    expect(resolved).toBe(true);
    expect(shipper.summary()).toMatchObject({ sent: 1, acked: 1, unacked_bytes: 0 });
    expect((await shipper.close()).dropped).toBe(0);
  });

  it("sends a message again byte for byte after the RTO, backing off, with no RTT sample (Karn)", async () => {
    const { clock, shipper, socket, ack } = setup();
    void shipper.log({ n: 0 });
    await settle();
    await clock.advance(999);
    expect(socket().sent).toHaveLength(1);
    await clock.advance(1);
    expect(socket().sent).toHaveLength(2);
    expect(socket().sent[1]).toEqual(socket().sent[0]);
    await clock.advance(1999);
    expect(socket().sent).toHaveLength(2);
    await clock.advance(1);
    expect(socket().sent).toHaveLength(3);
    ack(0);
    await settle();
    expect(shipper.summary()).toMatchObject({ acked: 1, retransmits: 2, rtt_ms: { p50: 0 } });
    await shipper.close();
  });

  it("sends a message again at once when three later ones were acknowledged, only once", async () => {
    const { shipper, socket, ack } = setup();
    for (let n = 0; n < 6; n++) void shipper.log({ n });
    await settle();
    expect(socket().sent).toHaveLength(6);
    ack(1, 2);
    await settle();
    expect(socket().sent).toHaveLength(6);
    ack(3);
    await settle();
    expect(socket().sent).toHaveLength(7);
    expect(socket().sent[6]).toEqual(socket().sent[0]);
    ack(4, 5);
    await settle();
    expect(socket().sent).toHaveLength(7);
    expect(shipper.summary().retransmits).toBe(1);
    ack(0);
    expect((await shipper.close()).sent).toBe(6);
  });

  it("takes an RTT sample from a message sent once", async () => {
    const { clock, shipper, ack } = setup();
    void shipper.log({ n: 0 });
    await settle();
    await clock.advance(40);
    ack(0);
    await settle();
    expect(shipper.summary().rtt_ms).toEqual({ p50: 40, p95: 40 });
    await shipper.close();
  });

  it("drops a message past ackTimeoutMs as unacknowledged, and log()'s promise says so", async () => {
    const { clock, shipper } = setup({ ackTimeoutMs: 5000 });
    const done = shipper.log({ n: 0 });
    await clock.advance(5000);
    await expect(done).rejects.toMatchObject({
      code: "shipper.entryDropped",
      reason: "unacknowledged",
    });
    expect(shipper.summary()).toMatchObject({
      sent: 0,
      unacked: 1,
      dropped_by_reason: { unacknowledged: 1 },
    });
    await shipper.close();
  });

  it("ignores and counts acknowledgements that are malformed or for another stream", async () => {
    const { shipper, socket, ack } = setup();
    void shipper.log({ n: 0 });
    await settle();
    socket().receive(encodeAck(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), [{ first: 0, last: 0 }]));
    socket().receive(Uint8Array.of(0xcb, 0xf2, 0x80, 1));
    socket().receive(new TextEncoder().encode("hello"));
    await settle();
    expect(shipper.summary()).toMatchObject({
      acked: 0,
      ignored_acks: { "other-stream": 1, malformed: 1, "not-ack": 1 },
    });
    ack(0);
    await shipper.close();
  });

  it("with a key, ignores unsigned and wrongly signed acknowledgements, and takes signed ones", async () => {
    const { shipper, ack } = setup({ key: KEY });
    void shipper.log({ n: 0 });
    await settle();
    ack(0);
    ack(0, 0, new TextEncoder().encode("forged"));
    await settle();
    expect(shipper.summary()).toMatchObject({
      acked: 0,
      dropped: 0,
      ignored_acks: { unsigned: 1, "bad-tag": 1 },
    });
    ack(0, 0, KEY);
    await settle();
    expect(shipper.summary()).toMatchObject({ acked: 1, sent: 1 });
    await shipper.close();
  });

  it("keeps within 1,024 seqs of the oldest unacknowledged message, and holds the caller back", async () => {
    const { shipper, socket, ack } = setup();
    for (let n = 0; n < 1100; n++) void shipper.log({ n });
    await settle();
    expect(socket().sent).toHaveLength(1024);
    expect(shipper.isFull?.()).toBe(true);
    let ready = false;
    void shipper.ready().then(() => {
      ready = true;
    });
    ack(1, 1023);
    await settle();
    // Seq 0 was overtaken: it is sent again at once, and still holds the window.
    expect(socket().sent).toHaveLength(1025);
    expect(ready).toBe(false);
    ack(0);
    await settle();
    expect(socket().sent).toHaveLength(1101);
    expect(ready).toBe(true);
    ack(1024, 1099);
    await shipper.flush();
    expect((await shipper.close()).sent).toBe(1100);
  });

  it("holds the caller back above maxUnackedBytes, nothing dropped", async () => {
    const { shipper, ack } = setup({ maxUnackedBytes: 200 });
    let n = 0;
    while (shipper.isFull?.() !== true) void shipper.log({ n: n++, pad: "x".repeat(50) });
    expect(n).toBeGreaterThan(1);
    await settle();
    ack(0, n - 1);
    await settle();
    expect(shipper.isFull?.()).toBe(false);
    expect(shipper.summary()).toMatchObject({ sent: n, dropped: 0 });
    await shipper.close();
  });

  it("flush() resolves once every earlier entry was acknowledged", async () => {
    const { shipper, ack } = setup({ batchSize: 10 });
    for (let n = 0; n < 5; n++) void shipper.log({ n });
    let flushed = false;
    void shipper.flush().then(() => {
      flushed = true;
    });
    await settle();
    expect(flushed).toBe(false);
    ack(0);
    await settle();
    expect(flushed).toBe(true);
    await shipper.close();
  });

  it("close() drops what is still unacknowledged at the end of its drain", async () => {
    const { clock, shipper } = setup({ drainTimeoutMs: 3000 });
    const done = shipper.log({ n: 0 });
    await settle();
    const closing = shipper.close();
    await clock.advance(3000);
    const summary = await closing;
    expect(summary).toMatchObject({ sent: 0, dropped_by_reason: { unacknowledged: 1 } });
    await expect(done).rejects.toMatchObject({ reason: "unacknowledged" });
    expect(clock.pending).toBe(0);
  });

  it("refuses reliable without sequencing", () => {
    expect(() => setup({ sequenced: false })).toThrow(/reliable needs sequenced/);
    expect(() => setup({ ackTimeoutMs: 0 })).toThrow(/ackTimeoutMs/);
  });
});

describe("log() promises in best-effort mode", () => {
  it("resolve once the datagram is handed to the socket, and reject an oversize entry", async () => {
    const { shipper } = setup({ reliable: false, maxDatagramBytes: 200, sequenced: false });
    const fits = shipper.log({ n: 0 });
    const huge = shipper.log({ n: 1, data: "z".repeat(1000) });
    await expect(fits).resolves.toBeUndefined();
    await expect(huge).rejects.toMatchObject({ reason: "oversize" });
    await shipper.close();
  });

  it("settle each entry with its own message when a batch is split in several", async () => {
    const has = (datagram: Uint8Array, n: number) =>
      Buffer.from(datagram).toString().includes(`"n":${n},`);
    const { shipper } = setup(
      { reliable: false, batchSize: 12, maxDatagramBytes: 300 },
      (datagram) => (has(datagram, 7) ? "EMSGSIZE" : "ok"),
    );
    const promises = Array.from({ length: 12 }, (_, n) =>
      shipper.log({ n, message: `entry number ${n} ${"x".repeat(40)}` }),
    );
    const results = await Promise.allSettled(promises);
    const summary = await shipper.close();
    const failed = results.flatMap((r, n) => (r.status === "rejected" ? [n] : []));
    expect(failed).toContain(7);
    expect(failed.length).toBe(summary.dropped_by_reason.emsgsize);
    expect(failed.length).toBeLessThan(12);
    // One message: consecutive entries of the batch.
    const first = failed[0] ?? 0;
    expect(failed).toEqual(Array.from({ length: failed.length }, (_, i) => first + i));
    for (const n of failed) {
      expect(results[n]).toMatchObject({ reason: { reason: "emsgsize" } });
    }
    expect(summary.sent).toBe(12 - failed.length);
  });
});
