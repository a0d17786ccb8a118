import { describe, expect, it } from "vitest";
import { AckBudget } from "../../../src/server/acks/ack-budget.js";
import { AckSender, type AckStream } from "../../../src/server/acks/ack-sender.js";
import type { Endpoint } from "../../../src/server/receiver.js";
import { decodeAck } from "../../../src/wire/ack.js";
import { FakeTime } from "../../support/fake-time.js";

const STREAM = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const FROM: Endpoint = { address: "127.0.0.1", port: 4000 };
const SOURCE = "127.0.0.1|4000";

function setup(options: { key?: Uint8Array; credit?: number; sendFails?: boolean } = {}) {
  const time = new FakeTime();
  const budget = new AckBudget(time.now, 600_000, 10);
  budget.credit(SOURCE, options.credit ?? 1_000_000);
  const sent: { datagram: Uint8Array; to: Endpoint; at: number }[] = [];
  const sender = new AckSender({
    timers: time,
    now: time.now,
    budget,
    key: () => options.key,
    send: (datagram, to, done) => {
      if (options.sendFails === true) return done(false);
      sent.push({ datagram, to, at: time.now() });
      done(true);
    },
  });
  const stream: AckStream = {
    stream: STREAM,
    waiting: new Map(),
    timer: undefined,
    lastSentAt: Number.NEGATIVE_INFINITY,
  };
  return { time, budget, sent, sender, stream };
}

function ranges(datagram: Uint8Array | undefined) {
  const result = decodeAck(datagram ?? new Uint8Array(), { stream: STREAM });
  if (!result.ok) throw new Error(result.reason);
  return result.ack.ranges;
}

describe("AckSender", () => {
  it("coalesces the seqs of one turn into one datagram, sent at the next timer turn", async () => {
    const { time, sent, sender, stream } = setup();
    sender.add(stream, 0, FROM);
    sender.add(stream, 2, FROM);
    sender.add(stream, 1, FROM);
    expect(sent).toHaveLength(0);
    await time.advance(0);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toEqual(FROM);
    expect(ranges(sent[0]?.datagram)).toEqual([{ first: 0, last: 2 }]);
    expect(sender.counts).toEqual({
      acks_sent: 3,
      ack_datagrams: 1,
      ack_bytes: sent[0]?.datagram.length,
      acks_skipped: 0,
    });
  });

  it("sends at most one datagram per stream every 10 ms", async () => {
    const { time, sent, sender, stream } = setup();
    sender.add(stream, 0, FROM);
    await time.advance(0);
    await time.advance(2);
    sender.add(stream, 1, FROM);
    await time.advance(7);
    sender.add(stream, 5, FROM);
    expect(sent).toHaveLength(1);
    await time.advance(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]?.at).toBe(10);
    expect(ranges(sent[1]?.datagram)).toEqual([
      { first: 1, last: 1 },
      { first: 5, last: 5 },
    ]);
    // Quiet for longer than the interval: the next one goes at once.
    await time.advance(50);
    sender.add(stream, 6, FROM);
    await time.advance(0);
    expect(sent).toHaveLength(3);
  });

  it("cuts more than 512 ranges into several datagrams", async () => {
    const { time, sent, sender, stream } = setup();
    for (let seq = 0; seq < 1200; seq += 2) sender.add(stream, seq, FROM);
    await time.advance(0);
    expect(sent).toHaveLength(2);
    expect(ranges(sent[0]?.datagram)).toHaveLength(512);
    expect(ranges(sent[1]?.datagram)).toHaveLength(88);
    expect(sender.counts.acks_sent).toBe(600);
  });

  it("joins a run across the wrap of seqs into one range", async () => {
    const { time, sent, sender, stream } = setup();
    for (const seq of [0xffff_fffe, 0xffff_ffff, 0, 1]) sender.add(stream, seq, FROM);
    await time.advance(0);
    expect(ranges(sent[0]?.datagram)).toEqual([{ first: 0xffff_fffe, last: 1 }]);
  });

  it("skips what the source's budget cannot pay for, and counts it", async () => {
    // 6 bytes in: 18 bytes of credit, 21 needed for one range.
    const { time, budget, sent, sender, stream } = setup({ credit: 6 });
    sender.add(stream, 7, FROM);
    await time.advance(0);
    expect(sent).toHaveLength(0);
    expect(sender.counts.acks_skipped).toBe(1);
    budget.credit(SOURCE, 100);
    sender.add(stream, 7, FROM);
    await time.advance(20);
    expect(sent).toHaveLength(1);
    expect(sender.counts).toMatchObject({ acks_sent: 1, ack_datagrams: 1, acks_skipped: 1 });
  });

  it("counts a failed send as skipped", async () => {
    const { time, sender, stream } = setup({ sendFails: true });
    sender.add(stream, 1, FROM);
    sender.add(stream, 2, FROM);
    await time.advance(0);
    expect(sender.counts).toMatchObject({ acks_sent: 0, ack_datagrams: 0, acks_skipped: 2 });
  });

  it("acknowledges each seq to the source that asked for it, one datagram per source", async () => {
    const other: Endpoint = { address: "127.0.0.2", port: 4001 };
    const { time, budget, sent, sender, stream } = setup();
    budget.credit("127.0.0.2|4001", 1000);
    sender.add(stream, 1, FROM);
    sender.add(stream, 2, other);
    sender.add(stream, 3, FROM);
    await time.advance(0);
    expect(sent.map((s) => [s.to, ranges(s.datagram)])).toEqual([
      [
        FROM,
        [
          { first: 1, last: 1 },
          { first: 3, last: 3 },
        ],
      ],
      [other, [{ first: 2, last: 2 }]],
    ]);
    expect(sender.counts).toMatchObject({ acks_sent: 3, ack_datagrams: 2, acks_skipped: 0 });
    // Paid by each source: the other's credit paid for its own datagram only.
    expect(budget.spend("127.0.0.2|4001", 3000 - (sent[1]?.datagram.length ?? 0))).toBe(true);
    expect(budget.spend("127.0.0.2|4001", 1)).toBe(false);
  });

  it("signs with the key: the tag verifies with it and not with another", async () => {
    const key = Buffer.from("secret");
    const { time, sent, sender, stream } = setup({ key });
    sender.add(stream, 3, FROM);
    await time.advance(0);
    const datagram = sent[0]?.datagram ?? new Uint8Array();
    expect(datagram[2]).toBe(0x88);
    expect(decodeAck(datagram, { keys: [key], stream: STREAM }).ok).toBe(true);
    expect(decodeAck(datagram, { keys: [Buffer.from("other")] })).toEqual({
      ok: false,
      reason: "bad-tag",
    });
  });

  it("sends nothing for a stream cancelled", async () => {
    const { time, sent, sender, stream } = setup();
    sender.add(stream, 3, FROM);
    sender.cancel(stream);
    await time.advance(100);
    expect(sent).toHaveLength(0);
    expect(time.pending).toBe(0);
  });
});

describe("AckBudget", () => {
  it("lets a source be sent three times the bytes it sent, never more", async () => {
    const time = new FakeTime();
    const budget = new AckBudget(time.now, 1000, 2);
    budget.credit("a", 50);
    expect(budget.spend("a", 100)).toBe(true);
    expect(budget.spend("a", 60)).toBe(false);
    expect(budget.spend("a", 50)).toBe(true);
    expect(budget.spend("a", 1)).toBe(false);
    expect(budget.spend("b", 1)).toBe(false);
  });

  it("forgets idle sources and the least recently heard past the bound", async () => {
    const time = new FakeTime();
    const budget = new AckBudget(time.now, 1000, 2);
    budget.credit("a", 50);
    budget.credit("b", 50);
    budget.credit("c", 50);
    expect(budget.spend("a", 1)).toBe(false);
    await time.advance(1000);
    budget.credit("c", 1);
    budget.sweep();
    expect(budget.size).toBe(1);
    expect(budget.spend("b", 1)).toBe(false);
    expect(budget.spend("c", 153)).toBe(true);
    expect(budget.spend("c", 1)).toBe(false);
  });
});
