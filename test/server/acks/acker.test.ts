import { describe, expect, it } from "vitest";
import { Acker } from "../../../src/server/acks/acker.js";
import type { Endpoint } from "../../../src/server/receiver.js";
import { decodeAck } from "../../../src/wire/ack.js";
import { outcome } from "../../../src/wire/outcome.js";
import type { SeqRange } from "../../../src/wire/seq-ranges.js";
import type { DecodeOutcome } from "../../../src/wire/types.js";
import { FakeTime } from "../../support/fake-time.js";

const HEX = "0102030405060708";
const FROM: Endpoint = { address: "127.0.0.1", port: 4000 };

function setup() {
  const time = new FakeTime();
  const acks: { ranges: readonly SeqRange[]; to: Endpoint; bytes: number }[] = [];
  const acker = new Acker({
    timers: time,
    now: time.now,
    send: (datagram, to, done) => {
      const result = decodeAck(datagram);
      if (!result.ok) throw new Error(result.reason);
      acks.push({ ranges: result.ack.ranges, to, bytes: datagram.length });
      done(true);
    },
  });
  const seqs = () => acks.flatMap((a) => a.ranges.map((r) => `${r.first}-${r.last}`));
  return { time, acker, acks, seqs };
}

function asked(seq: number, fields: Partial<DecodeOutcome>): DecodeOutcome {
  return outcome("framed", { ...fields, ackRequested: { stream: HEX, seq } });
}

const accepted = (seq: number) => asked(seq, { entries: ["{}"], stream: HEX, seq });

describe("Acker", () => {
  it("acknowledges a message once its outputs accepted it, not before", async () => {
    const { time, acker, seqs, acks } = setup();
    const settle = acker.observe(accepted(5), FROM, 100);
    await time.advance(50);
    expect(acks).toHaveLength(0);
    settle?.(true);
    await time.advance(0);
    expect(seqs()).toEqual(["5-5"]);
    expect(acks[0]?.to).toEqual(FROM);
  });

  it("never acknowledges a refused message, and lets a copy in again", async () => {
    const { time, acker, acks } = setup();
    acker.observe(accepted(5), FROM, 100)?.(false);
    await time.advance(100);
    expect(acks).toHaveLength(0);
    expect(acker.redeliver(HEX, 5)).toBe(true);
    expect(acker.redeliver(HEX, 6)).toBe(false);
    acker.observe(accepted(5), FROM, 100)?.(true);
    expect(acker.redeliver(HEX, 5)).toBe(false);
    await time.advance(0);
    expect(acks).toHaveLength(1);
  });

  it("acknowledges a duplicate of an acknowledged message again", async () => {
    const { time, acker, seqs } = setup();
    acker.observe(accepted(1), FROM, 100)?.(true);
    await time.advance(20);
    expect(acker.observe(asked(1, { duplicate: true }), FROM, 100)).toBeUndefined();
    await time.advance(20);
    expect(seqs()).toEqual(["1-1", "1-1"]);
  });

  it("acknowledges a duplicate of a message in flight once the message is accepted", async () => {
    const { time, acker, seqs } = setup();
    const settle = acker.observe(accepted(1), FROM, 100);
    acker.observe(asked(1, { duplicate: true }), FROM, 100);
    await time.advance(20);
    expect(seqs()).toEqual([]);
    settle?.(true);
    await time.advance(20);
    expect(seqs()).toEqual(["1-1"]);
  });

  it("acknowledges what resending cannot cure, not what it might", async () => {
    const { time, acker, seqs } = setup();
    acker.observe(asked(1, { rejected: "invalid-json" }), FROM, 100);
    acker.observe(asked(2, { rejected: "too-large" }), FROM, 100);
    acker.observe(asked(3, { rejected: "invalid-compression" }), FROM, 100);
    acker.observe(asked(4, { rejected: "bad-fragment" }), FROM, 100);
    acker.observe(asked(5, { rejected: "internal-error" }), FROM, 100);
    acker.observe(asked(6, { pending: true }), FROM, 100);
    await time.advance(20);
    expect(seqs()).toEqual(["1-3"]);
  });

  it("ignores what did not ask, and what has no trusted seq", async () => {
    const { time, acker, acks } = setup();
    expect(acker.observe(outcome("framed", { entries: ["{}"] }), FROM, 100)).toBeUndefined();
    expect(acker.observe(outcome("framed", { rejected: "unauthenticated" }), FROM, 100)).toBe(
      undefined,
    );
    await time.advance(20);
    expect(acks).toHaveLength(0);
    expect(acker.streams).toBe(0);
  });

  it("sends a source no more than three times the bytes it sent, skipping and counting the rest", async () => {
    const { time, acker, acks } = setup();
    // 6 bytes in, 18 of credit, 21 bytes needed for one range: nothing goes.
    acker.observe(accepted(1), FROM, 6)?.(true);
    await time.advance(20);
    expect(acks).toHaveLength(0);
    expect(acker.counts.acks_skipped).toBe(1);
    // Its resend brings the credit past one ack.
    acker.observe(asked(1, { duplicate: true }), FROM, 6);
    await time.advance(20);
    expect(acks).toHaveLength(1);
    const sent = acks.reduce((total, a) => total + a.bytes, 0);
    expect(sent).toBeLessThanOrEqual(3 * 12);
    expect(acker.counts).toMatchObject({ acks_sent: 1, ack_datagrams: 1, acks_skipped: 1 });
  });

  it("acknowledges the smallest message that can ask the first time it arrives", async () => {
    const { time, acker, acks } = setup();
    // A 15-byte header and no payload: rejected for good, acknowledged at once.
    acker.observe(asked(1, { rejected: "invalid-json" }), FROM, 15);
    await time.advance(0);
    expect(acks).toHaveLength(1);
    expect(acks[0]?.bytes).toBe(21);
    expect(acker.counts.acks_skipped).toBe(0);
  });

  it("acknowledges each message to its own source, in one turn", async () => {
    const { time, acker, acks } = setup();
    const other: Endpoint = { address: "127.0.0.1", port: 4001 };
    const first = acker.observe(accepted(1), FROM, 100);
    acker.observe(accepted(2), other, 100)?.(true);
    first?.(true);
    acker.observe(asked(2, { duplicate: true }), FROM, 100);
    await time.advance(0);
    expect(acks.map((a) => [a.to, a.ranges])).toEqual([
      [other, [{ first: 2, last: 2 }]],
      [FROM, [{ first: 1, last: 2 }]],
    ]);
  });

  it("forgets idle streams, and a message settled after it is not acknowledged", async () => {
    const { time, acker, acks } = setup();
    const settle = acker.observe(accepted(1), FROM, 100);
    await time.advance(10 * 60 * 1000);
    acker.sweep();
    expect(acker.streams).toBe(0);
    settle?.(true);
    await time.advance(20);
    expect(acks).toHaveLength(0);
  });

  it("flush sends what waits at once", () => {
    const { acker, acks } = setup();
    acker.observe(accepted(1), FROM, 100)?.(true);
    acker.flush();
    expect(acks).toHaveLength(1);
  });
});
