import { describe, expect, it } from "vitest";
import { SettledEntries } from "../../src/client/settled-entries.js";
import { shipperGate } from "../../src/commands/client/input/follow/session.js";
import type { EncodedMessage, EncodeResult } from "../../src/wire/index.js";
import { settle } from "./fakes.js";
import { reliableShipper as reliableFake } from "./reliable-fakes.js";

const reliableShipper = () => reliableFake({ batchSize: 2 });

describe("entries settled from the first logged", () => {
  it("does not count past a message being retried while later ones are acknowledged", async () => {
    const { clock, shipper, socket, ack } = reliableShipper();
    const gate = shipperGate(shipper);
    for (let n = 0; n < 8; n++) void shipper.log({ n });
    await settle();
    expect(socket().sent).toHaveLength(4);
    const mark = gate.mark();
    expect(mark).toBe(8);
    ack(1, 3);
    await settle();
    // Six of eight entries acknowledged, the first message not: sent + dropped
    // is 6, and the oldest unsettled entry is the first.
    expect(shipper.summary().sent).toBe(6);
    expect(shipper.settledEntries?.()).toBe(0);
    expect(gate.passed(2)).toBe(false);
    await clock.advance(1000);
    expect(socket().sent.length).toBeGreaterThan(4);
    ack(0);
    await settle();
    expect(shipper.settledEntries?.()).toBe(8);
    expect(gate.passed(mark)).toBe(true);
    await shipper.close();
  });

  it("counts the prefix only: 0 acknowledged after 1 moves it by both", async () => {
    const { shipper, ack } = reliableShipper();
    for (let n = 0; n < 6; n++) void shipper.log({ n });
    await settle();
    ack(1);
    await settle();
    expect(shipper.settledEntries?.()).toBe(0);
    ack(0);
    await settle();
    expect(shipper.settledEntries?.()).toBe(4);
    ack(2);
    await settle();
    expect(shipper.settledEntries?.()).toBe(6);
    await shipper.close();
  });

  it("counts entries dropped before a batch once the batches before them settled", async () => {
    const { shipper, ack } = reliableShipper();
    void shipper.log({ n: 0 });
    void shipper.log({ n: 1 });
    await settle();
    void shipper.log({ bad: 1n });
    expect(shipper.summary()).toMatchObject({ entries: 3, dropped: 1 });
    expect(shipper.settledEntries?.()).toBe(0);
    ack(0);
    await settle();
    expect(shipper.settledEntries?.()).toBe(3);
    await shipper.close();
  });
});

describe("SettledEntries", () => {
  const message = (): EncodedMessage => ({ entries: 1 }) as unknown as EncodedMessage;
  const result = (...messages: EncodedMessage[]): EncodeResult =>
    ({ messages, dropped: [] }) as unknown as EncodeResult;

  it("waits for a batch not yet encoded and for loose drops behind a gathering batch", () => {
    const settled = new SettledEntries();
    settled.dropped(1, true);
    expect(settled.count).toBe(1);
    settled.dropped(1, false);
    expect(settled.count).toBe(1);
    settled.batch(2);
    settled.batch(1);
    const [a, b, c] = [message(), message(), message()];
    settled.encoded(result(a, b));
    settled.encoded(result(c));
    settled.message(c);
    expect(settled.count).toBe(1);
    settled.message(b);
    expect(settled.count).toBe(1);
    settled.message(a);
    expect(settled.count).toBe(5);
    settled.batch(3);
    settled.encodeDropped();
    expect(settled.count).toBe(8);
  });
});
