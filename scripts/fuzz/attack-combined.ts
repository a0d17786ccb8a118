/**
 * The attack case of every store full at once (issue 11), whose peak is the
 * bound the docs state. stdout is no longer read; the output queue is filled
 * with tiny entries until output_dropped counts; streams are churned past
 * the stream table; the suite's fragmented attacks are sent; fragments and
 * GELF chunks of messages that never complete are held past their caps (after
 * those attacks, whose room they would take); then every single-datagram
 * attack of the suite is sent. The peak RSS is read with all of it held, then
 * stdout is read again and every entry must be printed or in output_dropped.
 *
 * The server runs with default options but for a short stats interval: its
 * stats line paces the filling and shows what is held at the peak.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { GELF_MAX_HELD_BYTES } from "../../src/formats/gelf-chunks.js";
import { DEFAULT_MAX_PENDING_OUTPUT_BYTES } from "../../src/server/output.js";
import { encodeFrame, MAX_FRAGMENT_HELD_BYTES, MAX_STREAMS } from "../../src/wire/index.js";
import {
  FRAGMENT_BOOKKEEPING_BYTES,
  MESSAGE_BOOKKEEPING_BYTES,
} from "../../src/wire/receive/reassembler.js";
import type { ServerProcess } from "../../test/support/server-process.js";
import { emptyEntries, legacyFrame, streamId, zlib } from "./attack-payloads.js";
import type { Session } from "./attack-session.js";
import { queueEmpty, resumeAndMark } from "./attack-volume.js";
import type { Attack } from "./attacks.js";
import { utf8 } from "./envelope.js";
import { rawFragment, rawGelfChunk } from "./fragments.js";

/** The stats interval this case's server runs with (seconds). */
export const COMBINED_STATS_INTERVAL_S = 0.25;
/** What the reassemblers charge a one-fragment message beside its payload. */
const CHARGED_PER_MESSAGE = MESSAGE_BOOKKEEPING_BYTES + FRAGMENT_BOOKKEEPING_BYTES;
const CHURN_TAG = 0xc4a2;
const HELD_TAG = 0x4e1e;
const GELF_TAG = 0x6e1f;
/** Datagrams sent between two looks at the socket's queue. */
const BATCH = { output: 25, churn: 1_000, held: 500, gelf: 100 } as const;

export interface CombinedSizes {
  /** `{}` entries per `CB F2 01` datagram of the filling. */
  readonly entriesPerDatagram: number;
  /** Most filling datagrams sent, should output_dropped never count. */
  readonly maxOutputDatagrams: number;
  /** Fresh sequenced streams, one `{}` datagram each. */
  readonly churnStreams: number;
  /** Held fragments: times the cap's worth sent, and each one's payload. */
  readonly heldOverCap: number;
  readonly heldSliceBytes: number;
  /** Held GELF chunks: times the cap's worth sent, and each one's payload. */
  readonly gelfOverCap: number;
  readonly gelfChunkBytes: number;
}

/** What the case reads from the server's stats line at its peak. */
export interface StoresHeld {
  readonly output_pending_bytes: number;
  readonly output_dropped: number;
  readonly partials: number;
  readonly streams: number;
  /** Fragmented messages and GELF messages that fill their caps (as charged). */
  readonly partials_to_fill: number;
  /** ms from the first held fragment to the peak read; under 5 s, none timed out. */
  readonly held_for_ms: number;
  readonly full: boolean;
}

const heldToFill = (sizes: CombinedSizes) => ({
  fragments: Math.ceil(MAX_FRAGMENT_HELD_BYTES / (sizes.heldSliceBytes + CHARGED_PER_MESSAGE)),
  gelf: Math.ceil(GELF_MAX_HELD_BYTES / (sizes.gelfChunkBytes + CHARGED_PER_MESSAGE)),
});

/** The numbers of the server's latest stats line; undefined before the first. */
export function latestStats(server: ServerProcess): Record<string, number> | undefined {
  const line = server.stderr.findLast((text) => text.includes(": stats datagrams="));
  if (line === undefined) return undefined;
  const numbers: Record<string, number> = {};
  for (const match of line.matchAll(/ ([a-z_]+)=(\d+)/g)) {
    numbers[match[1] ?? ""] = Number(match[2]);
  }
  return numbers;
}

/** Sends `datagrams` in batches, each once the socket's queue is empty; false when it stays full. */
async function paced(session: Session, datagrams: Iterable<Uint8Array>, batch: number) {
  let pending: Uint8Array[] = [];
  const flush = async () => {
    await session.sender.sendAll(pending);
    session.attackSent += pending.length;
    pending = [];
    return queueEmpty(session.server.port, session.timeoutMs);
  };
  for (const datagram of datagrams) {
    pending.push(datagram);
    if (pending.length >= batch && !(await flush())) return false;
  }
  return flush();
}

/** Tiny entries until the server counts output_dropped (or the most datagrams are sent). */
async function fillOutput(session: Session, sizes: CombinedSizes): Promise<number> {
  const datagram = legacyFrame(zlib(emptyEntries(sizes.entriesPerDatagram)));
  let sent = 0;
  while (sent < sizes.maxOutputDatagrams) {
    const n = Math.min(BATCH.output, sizes.maxOutputDatagrams - sent);
    const read = await paced(session, new Array<Uint8Array>(n).fill(datagram), n);
    sent += n;
    if (!read || (latestStats(session.server)?.output_dropped ?? 0) > 0) break;
  }
  return sent;
}

function* churn(sizes: CombinedSizes) {
  const entry = utf8("{}");
  for (let i = 0; i < sizes.churnStreams; i++) {
    yield encodeFrame({ compressed: false, stream: streamId(CHURN_TAG, i), seq: 0 }, entry);
  }
}

/** First fragments of two-fragment messages, one stream each. */
function* heldFragments(sizes: CombinedSizes, messages: number) {
  const slice = new Uint8Array(sizes.heldSliceBytes).fill(0x61);
  for (let i = 0; i < messages; i++) {
    const spec = { flags: 0x06, stream: streamId(HELD_TAG, i), seq: 0, index: 0, count: 2 };
    yield rawFragment(spec, slice);
  }
}

/** First chunks of two-chunk GELF messages. */
function* heldGelf(sizes: CombinedSizes, messages: number) {
  const payload = new Uint8Array(sizes.gelfChunkBytes).fill(0x62);
  for (let i = 0; i < messages; i++) yield rawGelfChunk(streamId(GELF_TAG, i), 0, 2, payload);
}

/** Each message attack's datagrams, built before the case begins, fragmented or single. */
function bombsOf(attacks: readonly Attack[]) {
  const all = attacks.map((attack) => attack.datagrams?.(0) ?? []);
  return {
    fragmented: all.filter((datagrams) => datagrams.length > 1),
    single: all.filter((datagrams) => datagrams.length === 1),
  };
}

/** Sends each attack's datagrams once the last one's were read. */
async function bombs(session: Session, attacks: readonly Uint8Array[][]): Promise<void> {
  for (const datagrams of attacks) await paced(session, datagrams, datagrams.length);
}

function storesHeld(session: Session, sizes: CombinedSizes, heldFrom: number): StoresHeld {
  const stats = latestStats(session.server) ?? {};
  const fill = heldToFill(sizes);
  const held = {
    output_pending_bytes: stats.output_pending_bytes ?? 0,
    output_dropped: stats.output_dropped ?? 0,
    partials: stats.partials ?? 0,
    streams: stats.streams ?? 0,
    partials_to_fill: fill.fragments + fill.gelf,
    held_for_ms: Math.round(performance.now() - heldFrom),
  };
  const full =
    held.output_dropped > 0 &&
    held.output_pending_bytes >= 0.9 * DEFAULT_MAX_PENDING_OUTPUT_BYTES &&
    held.partials >= 0.9 * held.partials_to_fill &&
    held.streams >= MAX_STREAMS;
  return { ...held, full };
}

/** Times the steps of the case, for its notes. */
function stepTimer() {
  const steps: string[] = [];
  let at = performance.now();
  return {
    step(name: string) {
      const now = performance.now();
      steps.push(`${name} ${Math.round(now - at)} ms`);
      at = now;
    },
    text: () => steps.join(", "),
  };
}

/** Fills every store; returns when the holding began (the first held fragment). */
async function fillStores(session: Session, sizes: CombinedSizes, attacks: readonly Attack[]) {
  const fill = heldToFill(sizes);
  const timer = stepTimer();
  const bombed = bombsOf(attacks);
  timer.step("building");
  session.server.child.stdout?.pause();
  const outputDatagrams = await fillOutput(session, sizes);
  timer.step(`output (${outputDatagrams} datagrams)`);
  await paced(session, churn(sizes), BATCH.churn);
  timer.step("churn");
  await bombs(session, bombed.fragmented);
  timer.step("fragmented attacks");
  const heldFrom = performance.now();
  const fragments = Math.ceil(fill.fragments * sizes.heldOverCap);
  await paced(session, heldFragments(sizes, fragments), BATCH.held);
  timer.step("fragments");
  await paced(session, heldGelf(sizes, Math.ceil(fill.gelf * sizes.gelfOverCap)), BATCH.gelf);
  timer.step("gelf");
  await bombs(session, bombed.single);
  timer.step("single-datagram attacks");
  session.notes.push(timer.text());
  return heldFrom;
}

/**
 * Drives the case; returns the peak RSS read with every store full, and
 * what the stats line showed held then.
 */
export async function everythingAtOnce(
  session: Session,
  sizes: CombinedSizes,
  messageAttacks: readonly Attack[],
): Promise<{ peak: number | undefined; stores: StoresHeld }> {
  const heldFrom = await fillStores(session, sizes, messageAttacks);
  // The next stats line is printed after every datagram above was handled.
  await sleep(2 * COMBINED_STATS_INTERVAL_S * 1000);
  const peak = session.peak();
  const stores = storesHeld(session, sizes, heldFrom);
  await resumeAndMark(session);
  return { peak, stores };
}
