import { describe, expect, it } from "vitest";
import {
  Checkpoints,
  type DeliveryGate,
} from "../../../../../src/commands/client/input/follow/checkpoints.js";
import { shipperGate } from "../../../../../src/commands/client/input/follow/session.js";
import { TailedFile } from "../../../../../src/commands/client/input/follow/tailed-file.js";

/** A gate moved by hand: `logged` entries so far, `settled` of them sent or dropped. */
class FakeGate implements DeliveryGate {
  logged = 0;
  settled = 0;
  mark = () => this.logged;
  passed = (mark: number) => this.settled >= mark;
}

const stats = () => ({ lines: 0, cut: 0, unreadable: 0 });
const file = (offset = 0) =>
  new TailedFile("/x.log", { dev: 1n, ino: 2n }, { hash: "", bytes: 0 }, undefined, offset, {
    maxLineBytes: 1024,
    stats: stats(),
    nowMs: 0,
  });

describe("Checkpoints", () => {
  it("commits an offset only once every entry logged before it has settled", () => {
    const gate = new FakeGate();
    const checkpoints = new Checkpoints(gate);
    const a = file();
    a.reading.logged(100);
    gate.logged = 10;
    expect(checkpoints.step([a])).toBe(false);
    a.reading.logged(200);
    gate.logged = 20;
    gate.settled = 9;
    expect(checkpoints.step([a])).toBe(false);
    expect(a.committed).toBe(0);
    gate.settled = 10;
    // The mark of offset 100 was 10 entries: passed. Offset 200 waits for its own mark.
    expect(checkpoints.step([a])).toBe(true);
    expect(a.committed).toBe(100);
    gate.settled = 20;
    expect(checkpoints.step([a])).toBe(true);
    expect(a.committed).toBe(200);
    expect(checkpoints.step([a])).toBe(false);
  });

  it("an offset of a reading the file has left (truncated since) is never committed", () => {
    const gate = new FakeGate();
    const checkpoints = new Checkpoints(gate);
    const a = file();
    a.reading.logged(500);
    gate.logged = 5;
    checkpoints.step([a]);
    a.restart(0);
    gate.settled = 5;
    expect(checkpoints.step([a])).toBe(false);
    expect(a.committed).toBe(0);
  });

  it("commitAll takes everything logged, after the drain", () => {
    const checkpoints = new Checkpoints(new FakeGate());
    const a = file(40);
    const b = file();
    a.reading.logged(90);
    expect(checkpoints.commitAll([a, b])).toBe(true);
    expect([a.committed, b.committed]).toEqual([90, 0]);
  });

  it("logged() never moves an offset back", () => {
    const a = file();
    a.reading.logged(50);
    a.reading.logged(20);
    expect(a.reading.loggedTo).toBe(50);
  });
});

describe("shipperGate", () => {
  it("passes a mark once sent and dropped entries reach the entries logged at the mark", () => {
    const summary = { entries: 0, sent: 0, dropped: 0 };
    const gate = shipperGate({ summary: () => summary });
    summary.entries = 7;
    const mark = gate.mark();
    summary.entries = 12;
    summary.sent = 5;
    expect(gate.passed(mark)).toBe(false);
    summary.dropped = 2;
    expect(gate.passed(mark)).toBe(true);
  });
});
