import { describe, expect, it } from "vitest";
import { INITIAL_RESEND_WINDOW, ResendPacer } from "../../../src/client/reliable/resend-pacer.js";
import { type HeldMessage, UnackedBuffer } from "../../../src/client/reliable/unacked.js";
import { ACK_WINDOW } from "../../../src/wire/index.js";
import { encodedMessage } from "../reliable-fakes.js";

function held(count: number): HeldMessage[] {
  const buffer = new UnackedBuffer();
  for (let seq = 0; seq < count; seq++) {
    buffer.push(encodedMessage(seq, 4));
  }
  return Array.from({ length: count }, () => buffer.takeNext() as HeldMessage);
}

const always = () => true;

describe("ResendPacer", () => {
  it("lets the initial window go, then one more per acknowledged resend, oldest first", () => {
    const pacer = new ResendPacer();
    const backlog = held(100);
    pacer.start(backlog);
    expect(backlog.every((h) => h.queued)).toBe(true);
    const first = pacer.take(always);
    expect(first.map((h) => h.seq)).toEqual([...Array(INITIAL_RESEND_WINDOW).keys()]);
    expect(pacer.take(always)).toEqual([]);
    for (const h of first.slice(0, 10)) pacer.settled(h, true);
    expect(pacer.window).toBe(INITIAL_RESEND_WINDOW + 10);
    expect(pacer.take(always)).toHaveLength(20);
    expect(pacer.inFlight).toBe(INITIAL_RESEND_WINDOW + 10);
  });

  it("skips messages settled while queued, and frees room for those given up", () => {
    const pacer = new ResendPacer();
    const backlog = held(40);
    pacer.start(backlog);
    const gone = new Set([backlog[0], backlog[1]]);
    const out = pacer.take((h) => !gone.has(h));
    expect(out.map((h) => h.seq)).toEqual(
      [...Array(INITIAL_RESEND_WINDOW).keys()].map((i) => i + 2),
    );
    pacer.settled(out[0] as HeldMessage, false);
    expect(pacer.window).toBe(INITIAL_RESEND_WINDOW);
    expect(pacer.take(always).map((h) => h.seq)).toEqual([34]);
    pacer.settled(out[0] as HeldMessage, true);
    expect(pacer.inFlight).toBe(INITIAL_RESEND_WINDOW);
  });

  it("halves the window on a loss, never below the initial one nor above ACK_WINDOW", () => {
    const pacer = new ResendPacer();
    const backlog = held(2000);
    pacer.start(backlog);
    while (pacer.window < ACK_WINDOW) {
      for (const h of pacer.take(always)) pacer.settled(h, true);
    }
    expect(pacer.window).toBe(ACK_WINDOW);
    const lost = pacer.take(always);
    for (const h of lost.slice(0, 8)) pacer.lost(h);
    expect(pacer.window).toBe(INITIAL_RESEND_WINDOW);
    pacer.reset();
    expect(pacer).toMatchObject({ waiting: 0, inFlight: 0, window: INITIAL_RESEND_WINDOW });
    expect(backlog.some((h) => h.queued)).toBe(false);
  });
});
