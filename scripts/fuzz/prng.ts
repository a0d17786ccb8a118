/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32),
 * so that a fuzz run is reproduced exactly from its seed.
 */

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    const next = splitmix32(seed);
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform uint32. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    if (n <= 0) return 0;
    if (n <= 0x1_0000_0000) return Math.floor((this.uint32() / 0x1_0000_0000) * n);
    return Math.floor(this.float() * n);
  }

  /** A uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return (this.uint32() * 0x20_0000 + (this.uint32() >>> 11)) / 2 ** 53;
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = this.uint32();
      out[i] = word & 0xff;
      if (i + 1 < length) out[i + 1] = (word >>> 8) & 0xff;
      if (i + 2 < length) out[i + 2] = (word >>> 16) & 0xff;
      if (i + 3 < length) out[i + 3] = word >>> 24;
    }
    return out;
  }

  /** A length skewed towards small values: mostly under 64, sometimes up to `max`. */
  length(max: number): number {
    const roll = this.float();
    if (roll < 0.5) return this.int(Math.min(64, max) + 1);
    if (roll < 0.9) return this.int(Math.min(2048, max) + 1);
    return this.int(max + 1);
  }
}
