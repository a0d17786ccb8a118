import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fmix64,
  fnv1a64,
  Rendezvous,
  rendezvousChoice,
  weight,
} from "../../../src/client/shard/rendezvous.js";

const KEYS = Array.from({ length: 10_000 }, (_, i) => `service-${i}`);
const THREE = ["10.0.0.1:9999", "10.0.0.2:9999", "10.0.0.3:9999"];
const FOUR = [...THREE, "10.0.0.4:9999"];

function assign(names: readonly string[], keys: readonly string[]): string[] {
  const router = new Rendezvous(names);
  return keys.map((key) => names[router.choose(key)] as string);
}

describe("the hash", () => {
  it("is FNV-1a 64 (published test vectors) and MurmurHash3's fmix64", () => {
    expect(fnv1a64("")).toBe(0xcbf29ce484222325n);
    expect(fnv1a64("a")).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64("foobar")).toBe(0x85944171f73967e8n);
    expect(fmix64(0n)).toBe(0n);
    expect(weight("api", "127.0.0.1:9999")).toBe(
      fmix64(fnv1a64("api") ^ fnv1a64("127.0.0.1:9999")),
    );
  });

  it("pins the choice of a few keys (the same in every process and version)", () => {
    const names = ["127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"];
    const chosen = ["api", "web", "db", "", "billing"].map((key) => rendezvousChoice(key, names));
    expect(chosen).toEqual([
      "127.0.0.1:9001",
      "127.0.0.1:9002",
      "127.0.0.1:9001",
      "127.0.0.1:9002",
      "127.0.0.1:9001",
    ]);
    expect(weight("api", "127.0.0.1:9001")).toBe(0xe418ae91d8fa72f7n);
  });
});

describe("Rendezvous", () => {
  it("is deterministic: the same key goes to the same target, cached or not", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 8 }),
        (key, names) => {
          const router = new Rendezvous(names);
          const first = router.choose(key);
          expect(router.choose(key)).toBe(first);
          expect(new Rendezvous(names).choose(key)).toBe(first);
          expect(first).toBeGreaterThanOrEqual(0);
          expect(first).toBeLessThan(names.length);
        },
      ),
    );
  });

  it("maps every key to a live target", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 50 }),
        fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 6 }),
        (keys, live) => {
          const router = new Rendezvous(FOUR.concat(["10.0.0.5:9999", "10.0.0.6:9999"]));
          router.setLive(live);
          const allowed = live.length === 0 ? [0, 1, 2, 3, 4, 5] : live;
          for (const key of keys) expect(allowed).toContain(router.choose(key));
        },
      ),
    );
  });

  it("adding a 4th target to 3 moves 15 to 35 % of the keys, all to the new one", () => {
    const before = assign(THREE, KEYS);
    const after = assign(FOUR, KEYS);
    let moved = 0;
    for (let i = 0; i < KEYS.length; i++) {
      if (before[i] === after[i]) continue;
      moved += 1;
      expect(after[i]).toBe("10.0.0.4:9999");
    }
    expect(moved / KEYS.length).toBeGreaterThan(0.15);
    expect(moved / KEYS.length).toBeLessThan(0.35);
  });

  it("taking a target out moves only its keys, and back restores them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 200 }),
        fc.nat({ max: 3 }),
        (keys, out) => {
          const router = new Rendezvous(FOUR);
          const before = keys.map((key) => router.choose(key));
          router.setLive([0, 1, 2, 3].filter((index) => index !== out));
          keys.forEach((key, i) => {
            const now = router.choose(key);
            if (before[i] === out) expect(now).not.toBe(out);
            else expect(now).toBe(before[i]);
          });
          router.setLive([0, 1, 2, 3]);
          expect(keys.map((key) => router.choose(key))).toEqual(before);
        },
      ),
    );
  });

  it("spreads keys about evenly", () => {
    const counts = new Map<string, number>();
    for (const name of assign(FOUR, KEYS)) counts.set(name, (counts.get(name) ?? 0) + 1);
    for (const count of counts.values()) expect(count).toBeGreaterThan(KEYS.length / 4 / 1.3);
  });
});
