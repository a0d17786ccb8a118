/**
 * Rendezvous (highest random weight) hashing: a key goes to the target whose
 * weight for it is highest. The weight is fixed and the same in every
 * process and version: FNV-1a 64 of the key's UTF-8 bytes, XORed with
 * FNV-1a 64 of the target's name (`host:port`), through MurmurHash3's 64-bit
 * finalizer (fmix64); ties go to the name that sorts first. Adding a target
 * moves only the keys it now wins (about 1/N of them); removing one moves only
 * its own keys.
 */

const MASK = (1n << 64n) - 1n;
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const encoder = new TextEncoder();

/** FNV-1a 64 of the UTF-8 bytes of `text`. */
export function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  }
  return hash;
}

/** MurmurHash3's 64-bit finalizer: every input bit moves every output bit. */
export function fmix64(value: bigint): bigint {
  let k = value & MASK;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  k ^= k >> 33n;
  return k;
}

/** The weight of `key` on the target named `target`. */
export function weight(key: string, target: string): bigint {
  return fmix64(fnv1a64(key) ^ fnv1a64(target));
}

/** Keys whose choice is remembered per set of targets; past it, the memory starts over. */
export const CHOICE_CACHE_SIZE = 10_000;

/**
 * Chooses among a set of targets by name. The choice of each key is
 * remembered until the set changes, so a key seen again costs one lookup.
 */
export class Rendezvous {
  readonly #targetHashes: bigint[];
  readonly #names: readonly string[];
  #live: number[];
  #cache = new Map<string, number>();

  /** `names`: every target, by index; all are live at first. */
  constructor(names: readonly string[]) {
    this.#names = names;
    this.#targetHashes = names.map(fnv1a64);
    this.#live = names.map((_, index) => index);
  }

  /** The indexes chosen among from now on (an empty set means every target). */
  setLive(live: readonly number[]): void {
    const next = live.length === 0 ? this.#names.map((_, index) => index) : [...live];
    next.sort((a, b) => a - b);
    if (next.length === this.#live.length && next.every((v, i) => v === this.#live[i])) return;
    this.#live = next;
    this.#cache = new Map();
  }

  /** The index of the target `key` goes to among the live ones. */
  choose(key: string): number {
    const known = this.#cache.get(key);
    if (known !== undefined) return known;
    const chosen = this.#pick(key);
    if (this.#cache.size >= CHOICE_CACHE_SIZE) this.#cache = new Map();
    this.#cache.set(key, chosen);
    return chosen;
  }

  #pick(key: string): number {
    const keyHash = fnv1a64(key);
    let best = -1;
    let bestWeight = -1n;
    for (const index of this.#live) {
      const w = fmix64(keyHash ^ (this.#targetHashes[index] as bigint));
      const better =
        w > bestWeight ||
        (w === bestWeight && (this.#names[index] as string) < (this.#names[best] as string));
      if (better) {
        best = index;
        bestWeight = w;
      }
    }
    return best;
  }
}

/** The target of `key` among `names` (rendezvous, no memory): for tests and tools. */
export function rendezvousChoice(key: string, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  return names[new Rendezvous(names).choose(key)];
}
