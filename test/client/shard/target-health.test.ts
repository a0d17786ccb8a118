import { describe, expect, it } from "vitest";
import { SettledOrder } from "../../../src/client/shard/settled-order.js";
import { TargetHealth } from "../../../src/client/shard/target-health.js";
import { parseTargetList, targetName } from "../../../src/client/shard/target-list.js";

describe("TargetHealth", () => {
  it("goes out at the first refusal, once, and back after a probe", () => {
    const health = new TargetHealth(0, 5_000);
    expect(health.refused("ECONNREFUSED")).toBe(true);
    expect(health.state).toBe("out");
    expect(health.reason).toBe("ECONNREFUSED");
    expect(health.refused("ECONNREFUSED")).toBe(false);
    expect(health.back(100)).toBe(true);
    expect(health.back(200)).toBe(false);
    expect(health.state).toBe("live");
    expect(health.outages).toBe(1);
  });

  it("goes out when messages wait and no acknowledgement comes for the silence bound", () => {
    const health = new TargetHealth(0, 5_000);
    expect(health.check(1_000, 0, true)).toBe(false);
    expect(health.check(4_999, 0, true)).toBe(false);
    expect(health.check(5_000, 0, true)).toBe(true);
    expect(health.reason).toBe("unacknowledged");
  });

  it("stays live while acknowledgements come, or while nothing is outstanding", () => {
    const health = new TargetHealth(0, 5_000);
    expect(health.check(4_000, 1, true)).toBe(false);
    expect(health.check(8_000, 2, true)).toBe(false);
    expect(health.check(20_000, 2, false)).toBe(false);
    expect(health.check(24_000, 2, true)).toBe(false);
    expect(health.check(25_000, 2, true)).toBe(true);
  });
});

describe("SettledOrder", () => {
  it("counts the caller's entries settled from the first, whatever target each went to", () => {
    const settled = [0, 0];
    const order = new SettledOrder((target) => settled[target] ?? 0);
    order.push(0, 0);
    order.push(1, 0);
    order.push(0, 1);
    order.push(0, 2);
    order.push(1, 1);
    settled[1] = 2;
    expect(order.count).toBe(0);
    settled[0] = 1;
    expect(order.count).toBe(2);
    settled[0] = 2;
    expect(order.count).toBe(3);
    settled[0] = 3;
    expect(order.count).toBe(5);
  });
});

describe("target lists", () => {
  it("names targets canonically and refuses one listed twice", () => {
    expect(targetName({ host: "::1", port: 9 })).toBe("[::1]:9");
    expect(parseTargetList(["LogS.example:1", "[::1]:2"]).map((t) => t.name)).toEqual([
      "logs.example:1",
      "[::1]:2",
    ]);
    expect(() => parseTargetList(["a:1", "A:1"])).toThrow(/a:1 twice/);
    expect(() => parseTargetList([])).toThrow(/non-empty/);
    expect(() => parseTargetList(["a:99999"])).toThrow(/port/);
  });
});
