import { describe, expect, it } from "vitest";
import { UnackedBuffer } from "../../../src/client/reliable/unacked.js";
import { encodedMessage } from "../reliable-fakes.js";

const message = encodedMessage;

describe("UnackedBuffer", () => {
  it("lets at most 1,024 seqs out past the oldest held message", () => {
    const buffer = new UnackedBuffer();
    for (let seq = 0; seq < 1030; seq++) buffer.push(message(seq));
    let sent = 0;
    while (buffer.canSend()) {
      buffer.takeNext();
      sent += 1;
    }
    expect(sent).toBe(1024);
    expect(buffer.waitingCount).toBe(6);
    // Acknowledging a later one does not move the window; the oldest does.
    buffer.remove(buffer.get(5) as never);
    expect(buffer.canSend()).toBe(false);
    buffer.remove(buffer.get(0) as never);
    expect(buffer.canSend()).toBe(true);
    buffer.takeNext();
    expect(buffer.canSend()).toBe(false);
  });

  it("keeps the window across the wrap of seq at 2^32", () => {
    const buffer = new UnackedBuffer();
    const first = 2 ** 32 - 10;
    for (let i = 0; i < 1100; i++) buffer.push(message((first + i) % 2 ** 32));
    let sent = 0;
    while (buffer.canSend()) {
      buffer.takeNext();
      sent += 1;
    }
    expect(sent).toBe(1024);
    expect(buffer.get(0)?.seq).toBe(0);
  });

  it("counts bytes waiting and held, and the oldest unsettled order", () => {
    const buffer = new UnackedBuffer();
    buffer.push(message(0, 100));
    buffer.push(message(1, 50));
    expect(buffer.bytes).toBe(150);
    expect(buffer.waitingBytes).toBe(150);
    const held = buffer.takeNext();
    expect(buffer.waitingBytes).toBe(50);
    expect(buffer.oldestOrder).toBe(0);
    expect(buffer.remove(held as never)).toBe(true);
    expect(buffer.remove(held as never)).toBe(false);
    expect(buffer.bytes).toBe(50);
    expect(buffer.oldestOrder).toBe(1);
    expect(buffer.takeAll().map((h) => h.seq)).toEqual([1]);
    expect(buffer.bytes).toBe(0);
    expect(buffer.oldestOrder).toBe(2);
  });
});
