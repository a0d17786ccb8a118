/**
 * The cases of the attack suite (issue 11): each class of attack that cost
 * the server seconds or hundreds of MiB, at the size the issue describes.
 * Payloads are built lazily, once per run, and wrapped afresh per round (a
 * new stream or GELF id, so a repeated fragmented message is not a duplicate).
 *
 * `reasons` is the table of rejection reasons a case may be answered with:
 * today's answers and the bounds being added (too-deep, too-many-entries,
 * too-many-fields). Update it when the server's answer changes on purpose.
 */

import { DEFAULT_JSON_LIMITS, DEFAULT_MAX_DECOMPRESSED_BYTES } from "../../src/wire/index.js";
import { COMBINED_STATS_INTERVAL_S, type CombinedSizes } from "./attack-combined.js";
import {
  emptyEntries,
  fragmented,
  framed,
  gelfDatagrams,
  gelfKeys,
  gelfWith,
  gzip,
  keysWithin,
  legacyFrame,
  manyKeys,
  nested,
  streamId,
  syslogParams,
  wideArrays,
  wideEntry,
  zlib,
} from "./attack-payloads.js";
import { MAX_DATAGRAM } from "./envelope.js";

/** What an attack aims at, as the issue groups them. */
export type AttackClass =
  | "bomb"
  | "depth"
  | "entries"
  | "keys"
  | "width"
  | "memory"
  | "shutdown"
  | "at-bounds";

/** How the runner drives a case. */
export type AttackMode =
  | "message"
  | "held-fragments"
  | "stopped-reader"
  | "shutdown"
  | "everything-at-once";

export type Scale = "short" | "long";

export interface Attack {
  readonly name: string;
  readonly title: string;
  readonly class: AttackClass;
  readonly mode: AttackMode;
  /** True when the attack must be refused (under one of `reasons`); false: may be accepted. */
  readonly mustReject: boolean;
  /** Rejection reasons the case may be answered with. */
  readonly reasons: readonly string[];
  /** Sizes of what is sent, for the report. */
  readonly facts: () => Record<string, number | string>;
  /** "message" mode: the datagrams of round `round` (one message, sent back to back). */
  readonly datagrams?: (round: number) => Uint8Array[];
  /** Options the case's server gets beside `--host` and `--port`; default none. */
  readonly serverArgs?: readonly string[];
}

/** A value computed on first use and kept. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

const MILLION = 1_000_000;
/** The nested bomb: 8 million `[` then 8 million `]`. */
const BOMB_DEPTH = 8 * MILLION;
/** `[{},{},...]` just under 16 MiB inflated: about 5.6 million entries. */
const BOMB_ENTRIES = 5_590_000;
const FRAMED_KEYS = 850_000;
const GELF_KEYS = 800_000;
const WIDTH = 2 * MILLION;
const BARE_DEPTH = 30_000;
const BARE_KEYS = 20_000;
const SYSLOG_PARAMS = 20_000;
const STREAM_TAG = 0xa77ac4;

const bracketsZlib = lazy(() => zlib(nested(BOMB_DEPTH)));
const gelfBrackets = lazy(() => gelfWith(nested(BOMB_DEPTH)));
const gelfBracketsGzip = lazy(() => gzip(gelfBrackets()));
const gelfBracketsZlib = lazy(() => zlib(gelfBrackets()));
const entriesZlib = lazy(() => zlib(emptyEntries(BOMB_ENTRIES)));
const keysZlib = lazy(() => zlib(manyKeys(FRAMED_KEYS, "k")));
const gelfKeysGzip = lazy(() => gzip(gelfKeys(GELF_KEYS)));
const wideZlib = lazy(() => zlib(wideEntry(WIDTH)));
const wideArraysZlib = lazy(() => zlib(wideArrays(WIDTH)));
const bareDeep = lazy(() => nested(BARE_DEPTH, '{"d":', "}"));
const bareKeys = lazy(() => keysWithin(BARE_KEYS, MAX_DATAGRAM));
const syslog = lazy(() => syslogParams(SYSLOG_PARAMS, MAX_DATAGRAM));

/** One ordinary entry, as a service logs it. */
const ORDINARY_ENTRY = JSON.stringify({
  timestamp: "2026-11-24T10:30:00.123Z",
  level: "INFO",
  message: "User 7 logged in from 10.0.7.1 with session 1a2b3c",
  service: "api",
  metadata: { "user.id": "u7", req: 7 },
});
/** As many ordinary entries as fit the default max decompressed size. */
const ORDINARY_AT_CAP = Math.floor(
  (DEFAULT_MAX_DECOMPRESSED_BYTES - 2) / (ORDINARY_ENTRY.length + 1),
);
const ordinaryZlib = lazy(() =>
  zlib(Buffer.from(`[${Array(ORDINARY_AT_CAP).fill(ORDINARY_ENTRY).join(",")}]`)),
);
const emptyAtBoundZlib = lazy(() => zlib(emptyEntries(DEFAULT_JSON_LIMITS.maxEntries)));

/** A stream id no other case or round uses. */
let streams = 0;
const nextStream = () => streamId(STREAM_TAG, streams++);

const compressedFacts = (inflated: number, stream: Uint8Array, datagrams: number) => ({
  inflated_bytes: inflated,
  compressed_bytes: stream.length,
  datagrams,
});

const DEPTH_REASONS = ["too-deep", "too-large", "invalid-json", "invalid-entry"];
const GELF_DEPTH_REASONS = ["too-deep", "too-large", "invalid-json", "invalid-gelf"];
const ENTRY_REASONS = ["too-many-entries", "too-large", "invalid-json"];
const KEY_REASONS = ["too-many-fields", "too-large", "invalid-json"];
const GELF_KEY_REASONS = ["too-many-fields", "too-large", "invalid-json", "invalid-gelf"];
const WIDTH_REASONS = ["too-many-fields", "too-many-entries", "too-large", "invalid-entry"];

export const MESSAGE_ATTACKS: readonly Attack[] = [
  {
    name: "zlib-nested",
    title: "CB F2 01 + zlib: 8 million [ then 8 million ]",
    class: "bomb",
    mode: "message",
    mustReject: true,
    reasons: DEPTH_REASONS,
    facts: () => compressedFacts(2 * BOMB_DEPTH, bracketsZlib(), 1),
    datagrams: () => [legacyFrame(bracketsZlib())],
  },
  {
    name: "gelf-gzip-nested",
    title: 'gzip GELF: {"version":"1.1","short_message":"x","_a":[[[...]]]}, 8 million deep',
    class: "bomb",
    mode: "message",
    mustReject: true,
    reasons: GELF_DEPTH_REASONS,
    facts: () => compressedFacts(gelfBrackets().length, gelfBracketsGzip(), 1),
    datagrams: () => [gelfBracketsGzip()],
  },
  {
    name: "gelf-zlib-nested",
    title: "zlib GELF: the same, 8 million deep",
    class: "bomb",
    mode: "message",
    mustReject: true,
    reasons: GELF_DEPTH_REASONS,
    facts: () => compressedFacts(gelfBrackets().length, gelfBracketsZlib(), 1),
    datagrams: () => [gelfBracketsZlib()],
  },
  {
    name: "zlib-entries",
    title: `CB F2 01 + zlib: [{},{},...], ${BOMB_ENTRIES.toLocaleString("en")} empty entries`,
    class: "entries",
    mode: "message",
    mustReject: true,
    reasons: ENTRY_REASONS,
    facts: () => compressedFacts(3 * BOMB_ENTRIES + 1, entriesZlib(), 1),
    datagrams: () => [legacyFrame(entriesZlib())],
  },
  {
    name: "framed-keys",
    title: `framed zlib: one object of ${FRAMED_KEYS.toLocaleString("en")} keys (fragmented message)`,
    class: "keys",
    mode: "message",
    mustReject: true,
    reasons: KEY_REASONS,
    facts: () => ({
      keys: FRAMED_KEYS,
      compressed_bytes: keysZlib().length,
      datagrams: framed(keysZlib(), streamId(0, 0)).length,
    }),
    datagrams: () => framed(keysZlib(), nextStream()),
  },
  {
    name: "gelf-keys",
    title: `gzip GELF: ${GELF_KEYS.toLocaleString("en")} additional fields (GELF chunks)`,
    class: "keys",
    mode: "message",
    mustReject: true,
    reasons: GELF_KEY_REASONS,
    facts: () => ({
      keys: GELF_KEYS,
      compressed_bytes: gelfKeysGzip().length,
      datagrams: gelfDatagrams(gelfKeysGzip(), streamId(0, 0)).length,
    }),
    datagrams: () => gelfDatagrams(gelfKeysGzip(), nextStream()),
  },
  {
    name: "width-entry",
    title: `CB F2 01 + zlib: {"a":[1,1,...]}, ${WIDTH.toLocaleString("en")} elements`,
    class: "width",
    mode: "message",
    mustReject: false,
    reasons: WIDTH_REASONS,
    facts: () => compressedFacts(2 * WIDTH + 6, wideZlib(), 1),
    datagrams: () => [legacyFrame(wideZlib())],
  },
  {
    name: "width-arrays",
    title: `CB F2 01 + zlib: [[],[],...], ${WIDTH.toLocaleString("en")} elements`,
    class: "width",
    mode: "message",
    mustReject: true,
    reasons: WIDTH_REASONS,
    facts: () => compressedFacts(3 * WIDTH + 1, wideArraysZlib(), 1),
    datagrams: () => [legacyFrame(wideArraysZlib())],
  },
  {
    name: "cap-ordinary",
    title: `CB F2 01 + zlib: ${ORDINARY_AT_CAP.toLocaleString("en")} ordinary entries, the largest payload taken`,
    class: "at-bounds",
    mode: "message",
    mustReject: false,
    reasons: [],
    facts: () =>
      compressedFacts(ORDINARY_AT_CAP * (ORDINARY_ENTRY.length + 1) + 1, ordinaryZlib(), 1),
    datagrams: () => [legacyFrame(ordinaryZlib())],
  },
  {
    name: "cap-entries",
    title: `CB F2 01 + zlib: ${DEFAULT_JSON_LIMITS.maxEntries.toLocaleString("en")} empty entries, the most taken`,
    class: "at-bounds",
    mode: "message",
    mustReject: false,
    reasons: [],
    facts: () => compressedFacts(3 * DEFAULT_JSON_LIMITS.maxEntries + 1, emptyAtBoundZlib(), 1),
    datagrams: () => [legacyFrame(emptyAtBoundZlib())],
  },
  {
    name: "bare-deep",
    title: `bare JSON: {"d":[[[...]]]}, ${BARE_DEPTH.toLocaleString("en")} deep`,
    class: "depth",
    mode: "message",
    mustReject: true,
    reasons: ["too-deep", "invalid-json"],
    facts: () => ({ depth: BARE_DEPTH, bytes: bareDeep().length, datagrams: 1 }),
    datagrams: () => [bareDeep()],
  },
  {
    name: "bare-keys",
    title: "bare JSON: one object of as many distinct keys as fit in a datagram",
    class: "keys",
    mode: "message",
    mustReject: false,
    reasons: KEY_REASONS,
    facts: () => ({ keys: bareKeys().keys, bytes: bareKeys().bytes.length, datagrams: 1 }),
    datagrams: () => [bareKeys().bytes],
  },
  {
    name: "syslog-params",
    title: "RFC 5424 syslog: STRUCTURED-DATA of as many params as fit in a datagram",
    class: "keys",
    mode: "message",
    mustReject: false,
    reasons: ["too-many-fields", "invalid-syslog"],
    facts: () => ({ params: syslog().params, bytes: syslog().bytes.length, datagrams: 1 }),
    datagrams: () => [syslog().bytes],
  },
  {
    name: "fragmented-nested",
    title: "fragmented framed message (4 fragments) reassembling to the nested bomb",
    class: "bomb",
    mode: "message",
    mustReject: true,
    reasons: DEPTH_REASONS,
    facts: () => compressedFacts(2 * BOMB_DEPTH, bracketsZlib(), 4),
    datagrams: () => fragmented(bracketsZlib(), nextStream(), true, 4),
  },
];

/** Sizes of the cases that send many datagrams. */
export interface VolumeSizes {
  /** Unfinished fragmented messages, and the streams they are spread over. */
  readonly heldMessages: number;
  readonly heldStreams: number;
  /** Bytes of each held fragment's slice. */
  readonly heldSliceBytes: number;
  /** Datagrams of `stoppedEntriesPerDatagram` `{}` entries sent to a stopped reader. */
  readonly stoppedDatagrams: number;
  readonly stoppedEntriesPerDatagram: number;
  /** Datagrams sent before SIGTERM. */
  readonly shutdownDatagrams: number;
}

/**
 * Short (npm test) and long (npm run fuzz). The stopped reader's long size
 * is 24 million `{}` lines: 72 MB of output, past a 64 MiB output queue.
 */
export const VOLUME: Readonly<Record<Scale, VolumeSizes>> = {
  short: {
    heldMessages: 100_000,
    heldStreams: 20_000,
    heldSliceBytes: 640,
    stoppedDatagrams: 2_000,
    stoppedEntriesPerDatagram: 100,
    shutdownDatagrams: 20_000,
  },
  long: {
    heldMessages: 100_000,
    heldStreams: 20_000,
    heldSliceBytes: 640,
    stoppedDatagrams: 1_200,
    stoppedEntriesPerDatagram: 20_000,
    shutdownDatagrams: 20_000,
  },
};

/**
 * The case of every store full at once, the same at both scales: each store
 * filled past its default cap, or the bound would not be the worst case (it
 * takes about 15 s).
 */
export const COMBINED: CombinedSizes = {
  entriesPerDatagram: 20_000,
  maxOutputDatagrams: 2_000,
  churnStreams: 20_000,
  heldOverCap: 1.5,
  heldSliceBytes: 640,
  gelfOverCap: 1.5,
  gelfChunkBytes: 8_192,
};

const ALL_REASONS = [...new Set([...MESSAGE_ATTACKS.flatMap((a) => a.reasons), "bad-fragment"])];

export const VOLUME_ATTACKS: readonly Attack[] = [
  {
    name: "held-fragments",
    title: "100,000 unfinished fragmented messages over 20,000 streams",
    class: "memory",
    mode: "held-fragments",
    mustReject: false,
    reasons: ["bad-fragment"],
    facts: () => ({}),
  },
  {
    name: "stopped-reader",
    title: "stdout not read while tiny {} entries arrive, then read again",
    class: "memory",
    mode: "stopped-reader",
    mustReject: false,
    reasons: [],
    facts: () => ({}),
  },
  {
    name: "shutdown-full-queue",
    title: "20,000 datagrams, then SIGTERM at once",
    class: "shutdown",
    mode: "shutdown",
    mustReject: false,
    reasons: [],
    facts: () => ({}),
  },
  {
    name: "everything-at-once",
    title: "stdout stopped, output queue, fragments, GELF chunks and streams full, every bomb",
    class: "memory",
    mode: "everything-at-once",
    mustReject: false,
    reasons: ALL_REASONS,
    facts: () => ({}),
    serverArgs: ["--stats-interval", String(COMBINED_STATS_INTERVAL_S)],
  },
];

export const ATTACKS: readonly Attack[] = [...MESSAGE_ATTACKS, ...VOLUME_ATTACKS];

/** Reasons being added by issue 11, named even before the server knows them. */
export const NEW_REASONS = ["too-deep", "too-many-entries", "too-many-fields"] as const;
