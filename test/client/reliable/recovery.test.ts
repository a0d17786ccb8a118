/**
 * Recovery after an outage: a fake server on the fake clock acknowledges
 * each datagram `rttMs` after it was sent while it is up, and nothing while
 * it is down.
 */
import { describe, expect, it } from "vitest";
import { INITIAL_RESEND_WINDOW } from "../../../src/client/reliable/resend-pacer.js";
import { MAX_RTO_MS } from "../../../src/client/reliable/rto.js";
import type { ShipperOptions } from "../../../src/client/shipper.js";
import { decodeFrame } from "../../../src/wire/frame.js";
import { encodeAck } from "../../../src/wire/index.js";
import { settle } from "../fakes.js";
import { reliableShipper } from "../reliable-fakes.js";

interface Send {
  readonly at: number;
  readonly seq: number;
}

function world(options: Partial<ShipperOptions> = {}) {
  const state = {
    up: true,
    rttMs: 20,
    /** Seqs never acknowledged (the server refuses them: no room). */
    refused: new Set<number>(),
    /** Seqs whose first copy the network loses. */
    loseFirst: new Set<number>(),
  };
  const copies = new Map<number, number>();
  const sends: Send[] = [];
  const acked = new Map<number, number>();
  const parts: { shipper?: ReturnType<typeof reliableShipper> } = {};
  const me = () => parts.shipper as ReturnType<typeof reliableShipper>;
  parts.shipper = reliableShipper({ ackTimeoutMs: 120_000, ...options }, (datagram) => {
    const { clock, socket } = me();
    const frame = decodeFrame(datagram);
    if (!frame.ok) throw new Error(frame.reason);
    const seq = frame.value.seq ?? 0;
    const stream = frame.value.stream as Uint8Array;
    sends.push({ at: clock.now(), seq });
    const copy = (copies.get(seq) ?? 0) + 1;
    copies.set(seq, copy);
    const lost = state.refused.has(seq) || (copy === 1 && state.loseFirst.has(seq));
    if (state.up && !lost) {
      clock.setTimeout(() => {
        if (!acked.has(seq)) acked.set(seq, clock.now());
        socket().receive(encodeAck(stream, [{ first: seq, last: seq }]));
      }, state.rttMs);
    }
    return "ok";
  });
  const log = async (count: number) => {
    for (let n = 0; n < count; n++) void me().shipper.log({ n });
    await settle();
  };
  return { ...me(), state, sends, acked, log };
}

/** Sends between `from` (inclusive) and `to` (exclusive), by time. */
const between = (sends: readonly Send[], from: number, to: number) =>
  sends.filter((s) => s.at >= from && s.at < to);

describe("reliable delivery after an outage", () => {
  it("probes once per backed-off timeout while the server is silent, not the whole window", async () => {
    const { clock, shipper, state, sends, log } = world();
    state.up = false;
    await log(200);
    expect(sends).toHaveLength(200);
    await clock.advance(30_000);
    const probes = sends.slice(200);
    // The message sent longest ago, oldest first: round the buffer, at 1, 3, 7, 15 and 25 s
    // (doubling from the 1 s RTO, capped at 10 s).
    expect(probes.map((s) => s.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(probes.map((s) => s.at)).toEqual([1000, 3000, 7000, 15_000, 25_000]);
    expect(shipper.summary().retransmits).toBe(5);
    state.up = true;
    await clock.advance(10_000);
    expect((await shipper.close()).sent).toBe(200);
  });

  it("probes round the buffer: a message the server keeps refusing hides no other loss", async () => {
    const { clock, shipper, state, acked, log } = world({ ackTimeoutMs: 10_000 });
    state.refused.add(0);
    // The last ones: no later message is acknowledged to show them lost, their timeouts pass
    // with nothing heard, and the client takes the server for silent.
    for (let seq = 200; seq < 300; seq++) state.loseFirst.add(seq);
    await log(300);
    await clock.advance(9000);
    // All but the refused one, long before the 10 s give-up.
    expect(acked.size).toBe(299);
    expect(acked.has(0)).toBe(false);
    const closed = shipper.close();
    await clock.advance(20_000);
    expect(await closed).toMatchObject({ sent: 299, dropped: 1 });
  });

  it("probes at once and then per base timeout once the drain begins, so a server back in time gets all", async () => {
    const { clock, shipper, state, sends, log } = world({ drainTimeoutMs: 5000 });
    state.up = false;
    await log(50);
    await clock.advance(26_000);
    // Probes at 1, 3, 7, 15 and 25 s; the next one would be due at 35 s, after the drain.
    expect(sends.slice(50).map((s) => s.at)).toEqual([1000, 3000, 7000, 15_000, 25_000]);
    const closed = shipper.close();
    await clock.advance(2500);
    // Still down: one probe at the drain's start, then one per base timeout (1 s).
    expect(sends.slice(55).map((s) => s.at)).toEqual([26_000, 27_000, 28_000]);
    state.up = true;
    await clock.advance(2500);
    expect(await closed).toMatchObject({ sent: 50, dropped: 0, acked: 50 });
  });

  it("resends the whole backlog within a few round trips of the first acknowledgement", async () => {
    const { clock, shipper, state, sends, acked, log } = world();
    await log(100);
    await clock.advance(1000);
    expect(acked.size).toBe(100);
    state.up = false;
    // Logged over 9 s of the outage: each message's timeouts fall at other times.
    for (let i = 0; i < 300; i++) {
      await log(1);
      await clock.advance(30);
    }
    await clock.advance(20_000);
    state.up = true;
    // The next probe reaches the server; its acknowledgement ends the silence.
    await clock.advance(MAX_RTO_MS);
    const firstAck = Math.min(
      ...[...acked.entries()].filter(([seq]) => seq >= 100).map(([, at]) => at),
    );
    const lastAck = Math.max(...acked.values());
    expect(acked.size).toBe(400);
    // 300 messages: rounds of 32, 64, 128 and the rest, one round trip each.
    expect(lastAck - firstAck).toBeLessThanOrEqual(5 * state.rttMs);
    // Nothing acknowledged went out again (the fake server answers each copy).
    for (const send of sends) expect(send.at).toBeLessThanOrEqual(acked.get(send.seq) ?? 0);
    const summary = await shipper.close();
    expect(summary).toMatchObject({ sent: 400, dropped: 0, acked: 400 });
    expect(summary.retransmits).toBe(sends.length - 400);
  });

  it("gives up messages past ackTimeoutMs while silent, counted, and then probes nothing", async () => {
    const { clock, shipper, state, sends, log } = world({ ackTimeoutMs: 5000 });
    state.up = false;
    await log(3);
    await clock.advance(5000);
    expect(shipper.summary()).toMatchObject({
      sent: 0,
      unacked: 3,
      dropped_by_reason: { unacknowledged: 3 },
    });
    const before = sends.length;
    await clock.advance(60_000);
    expect(sends).toHaveLength(before);
    expect(clock.pending).toBe(0);
    await shipper.close();
  });

  it("paces the backlog: the first round is the initial window, each round at most doubles", async () => {
    const { clock, shipper, state, sends, acked, log } = world();
    state.up = false;
    await log(600);
    await clock.advance(20_000);
    const probeAt = sends.at(-1)?.at ?? 0;
    state.up = true;
    await clock.advance(MAX_RTO_MS);
    // The first acknowledgement: of the probe that reached the server.
    const revival = Math.min(...acked.values());
    expect(revival).toBeGreaterThan(probeAt);
    const rounds: number[] = [];
    for (let at = revival; at < revival + 10 * state.rttMs; at += state.rttMs) {
      rounds.push(between(sends, at, at + state.rttMs).length);
    }
    expect(rounds[0]).toBe(INITIAL_RESEND_WINDOW);
    for (let i = 1; i < rounds.length; i++) {
      expect(rounds[i]).toBeLessThanOrEqual(2 * (rounds[i - 1] ?? 0) + 1);
    }
    expect(rounds.reduce((a, b) => a + b, 0)).toBe(599);
    expect((await shipper.close()).sent).toBe(600);
  });

  it("takes round-trip samples from the resent backlog, so the estimate follows the new server", async () => {
    const { clock, shipper, state, log } = world();
    state.rttMs = 4;
    await log(10);
    await clock.advance(100);
    expect(shipper.summary().rtt_ms).toEqual({ p50: 4, p95: 4 });
    state.up = false;
    await log(200);
    await clock.advance(20_000);
    state.rttMs = 60;
    state.up = true;
    await clock.advance(MAX_RTO_MS);
    // 10 samples of 4 ms before, 199 of 60 ms after (the probe, sent many times, gives none).
    expect(shipper.summary()).toMatchObject({ acked: 210, rtt_ms: { p50: 60, p95: 60 } });
    await shipper.close();
  });

  it("keeps the own timeout of a message sent within one RTO before the server answered", async () => {
    const { clock, shipper, state, sends, log } = world();
    state.rttMs = 300;
    state.up = false;
    await log(1);
    await clock.advance(7500);
    await log(1);
    await clock.advance(100);
    state.up = true;
    await log(1);
    // Seq 2's acknowledgement at 7,900 ends the silence (RTO now 900 ms): seq 0, last
    // probed at 7,000, is resent at once; seq 1, sent at 7,500, at its own timeout.
    await clock.advance(2000);
    expect(sends).toEqual([
      { at: 0, seq: 0 },
      { at: 1000, seq: 0 },
      { at: 3000, seq: 0 },
      { at: 7000, seq: 0 },
      { at: 7500, seq: 1 },
      { at: 7600, seq: 2 },
      { at: 7900, seq: 0 },
      { at: 8500, seq: 1 },
    ]);
    expect((await shipper.close()).sent).toBe(3);
  });
});
