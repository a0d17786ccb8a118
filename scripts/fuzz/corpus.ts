/**
 * The fuzz corpus: a deterministic sequence of datagrams drawn from weighted
 * categories, the same for the same seed and count. Enumerated categories
 * (truncations, flags bytes, fragment edges) walk their whole list in turn.
 */
import type { Bomb } from "./bombs.js";
import { bombDatagrams } from "./bombs.js";
import { type Context, envelope, StreamIds } from "./envelope.js";
import {
  completeMessage,
  EDGE_CASES,
  fragmentEdge,
  fragmentFlood,
  nearMessageCap,
  neverComplete,
} from "./fragments.js";
import {
  FLAG_CASES,
  flagsCase,
  goldenMutation,
  randomBytes,
  splice,
  TRUNCATIONS,
  truncation,
} from "./mutate.js";
import { Prng } from "./prng.js";
import { duplicates, replay, seqEdges, validBatch } from "./sequences.js";
import { gelfLike, nesting, syslog } from "./shapes.js";
import { bareText, duplicateKeyText, numberText, unicodeText } from "./texts.js";

export interface FuzzDatagram {
  readonly category: string;
  readonly bytes: Uint8Array;
}

export interface CorpusOptions {
  readonly seed: number;
  /** Datagrams to produce. */
  readonly count: number;
  readonly bombs: readonly Bomb[];
  /** Held-fragment flood size (messages of one 60,000-byte slice), sent once at mid-run. */
  readonly floodMessages: number;
}

type Make = (ctx: Context, turn: number) => Uint8Array | Uint8Array[];

interface Category {
  readonly name: string;
  /** Relative weight, in cases (a case may be several datagrams). */
  readonly weight: number;
  readonly make: Make;
}

function categories(bombs: readonly Bomb[]): Category[] {
  const text =
    (make: (ctx: Context) => Uint8Array): Make =>
    (ctx) =>
      envelope(ctx, make(ctx));
  return [
    { name: "random-bytes", weight: 14, make: randomBytes },
    { name: "golden-mutation", weight: 20, make: goldenMutation },
    { name: "golden-splice", weight: 3, make: splice },
    { name: "truncation", weight: 5, make: truncation },
    { name: "flags", weight: 6, make: flagsCase },
    { name: "fragment-edge", weight: 3, make: fragmentEdge },
    { name: "fragment-never-complete", weight: 8, make: neverComplete },
    { name: "fragment-complete", weight: 4, make: completeMessage },
    { name: "fragment-message-cap", weight: 0.02, make: nearMessageCap },
    { name: "bomb", weight: 0.5, make: (ctx) => bombDatagrams(ctx, bombs) },
    { name: "gzip-gelf", weight: 3, make: gelfLike },
    { name: "unicode", weight: 6, make: text((ctx) => unicodeText(ctx.rng)) },
    { name: "nesting", weight: 0.7, make: nesting },
    { name: "numbers", weight: 3, make: text((ctx) => numberText(ctx.rng)) },
    { name: "duplicate-keys", weight: 2, make: text((ctx) => duplicateKeyText(ctx.rng)) },
    { name: "syslog", weight: 3, make: syslog },
    { name: "bare-json", weight: 6, make: (ctx) => envelope(ctx, bareText(ctx.rng), "bare") },
    { name: "valid", weight: 6, make: validBatch },
    { name: "duplicates", weight: 3, make: duplicates },
    { name: "replay", weight: 1.5, make: replay },
    { name: "seq-edges", weight: 1.5, make: seqEdges },
  ];
}

/** How many cases each enumerated category has, for the report. */
export const ENUMERATED = {
  truncation: TRUNCATIONS.length,
  flags: FLAG_CASES,
  "fragment-edge": EDGE_CASES.length,
};

function picker(rng: Prng, list: readonly Category[]): () => Category {
  const total = list.reduce((sum, category) => sum + category.weight, 0);
  return () => {
    let roll = rng.float() * total;
    for (const category of list) {
      roll -= category.weight;
      if (roll < 0) return category;
    }
    return list[list.length - 1] as Category;
  };
}

/** The datagrams of one run, in sending order. */
export function* corpus(options: CorpusOptions): Generator<FuzzDatagram> {
  const rng = new Prng(options.seed);
  const ctx: Context = { rng, streams: new StreamIds(rng) };
  const list = categories(options.bombs);
  const pick = picker(rng, list);
  const turns = new Map<string, number>();
  const floodAt = Math.floor(options.count / 2);
  let produced = 0;
  let flooded = options.floodMessages <= 0;
  while (produced < options.count) {
    let category = "fragment-flood";
    let made: Uint8Array | Uint8Array[];
    if (!flooded && produced >= floodAt) {
      flooded = true;
      made = fragmentFlood(ctx, options.floodMessages);
    } else {
      const chosen = pick();
      const turn = turns.get(chosen.name) ?? 0;
      turns.set(chosen.name, turn + 1);
      category = chosen.name;
      made = chosen.make(ctx, turn);
    }
    for (const bytes of Array.isArray(made) ? made : [made]) {
      if (produced >= options.count) return;
      produced++;
      yield { category, bytes };
    }
  }
}
