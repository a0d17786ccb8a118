/**
 * Runs the attack suite against the built server: each case on a server of
 * its own (default options, `--port 0`), so its summary, its rejection
 * reasons and its peak are its own. Per case: a warm-up marker, the peak RSS
 * reset, the attack, a marker right after it; the stall is the time from the
 * attack's last datagram to that marker on stdout, the peak is VmHWM read
 * once the marker is out (and a settle has passed); then SIGTERM, and the
 * summary is checked: every datagram read, dropped or left unread, every
 * entry accepted printed or counted in output_dropped.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { readUdpCounters } from "../../test/support/linux-proc.js";
import type { StopResult } from "../../test/support/server-process.js";
import { everythingAtOnce, type StoresHeld } from "./attack-combined.js";
import {
  type AttackResult,
  accountFor,
  GOALS,
  mibOf,
  type Observed,
  reasonOf,
  table,
  verdicts,
} from "./attack-report.js";
import { Session } from "./attack-session.js";
import { heldFragments, shutdownCase, stoppedReader } from "./attack-volume.js";
import { ATTACKS, type Attack, COMBINED, MESSAGE_ATTACKS, type Scale, VOLUME } from "./attacks.js";

export interface AttackRunOptions {
  readonly scale: Scale;
  /** Rounds of each "message" case against the same server. Default 1 (short), 3 (long). */
  readonly rounds?: number;
  /** Case names to run; default all. */
  readonly only?: readonly string[];
  /** How long a marker may take before the server is taken for stuck. Default 120 s. */
  readonly markerTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface AttackReport {
  readonly ok: boolean;
  readonly scale: Scale;
  readonly rounds: number;
  readonly goals: typeof GOALS;
  readonly duration_ms: number;
  readonly results: readonly AttackResult[];
  readonly table: string;
}

async function messageCase(session: Session, attack: Attack, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const datagrams = attack.datagrams?.(round) ?? [];
    const last = datagrams.pop();
    await session.sender.sendAll(datagrams);
    const started = performance.now();
    if (last !== undefined) await session.sender.send(last);
    session.attackSent += datagrams.length + (last === undefined ? 0 : 1);
    const stall = await session.marker(started);
    session.stalls.push(stall);
    if (stall === null) return;
  }
  await sleep(100);
}

/** Drives the case; returns the peak to report when it is not read after the attack. */
async function drive(session: Session, attack: Attack, options: AttackRunOptions) {
  const sizes = VOLUME[options.scale];
  switch (attack.mode) {
    case "message":
      await messageCase(session, attack, roundsOf(options));
      return {};
    case "held-fragments":
      await heldFragments(session, sizes);
      return {};
    case "stopped-reader":
      return { peak: await stoppedReader(session, sizes) };
    case "shutdown":
      return { datagramBytes: await shutdownCase(session, sizes) };
    case "everything-at-once":
      return everythingAtOnce(session, COMBINED, MESSAGE_ATTACKS);
  }
}

function volumeFacts(attack: Attack, scale: Scale): Record<string, number> {
  const sizes = VOLUME[scale];
  switch (attack.mode) {
    case "held-fragments":
      return {
        messages: sizes.heldMessages,
        streams: sizes.heldStreams,
        slice_bytes: sizes.heldSliceBytes,
      };
    case "stopped-reader":
      return {
        datagrams: sizes.stoppedDatagrams,
        entries: sizes.stoppedDatagrams * sizes.stoppedEntriesPerDatagram,
      };
    case "shutdown":
      return { datagrams: sizes.shutdownDatagrams };
    case "everything-at-once":
      return { ...COMBINED };
    default:
      return {};
  }
}

const roundsOf = (options: AttackRunOptions) =>
  options.rounds ?? (options.scale === "long" ? 3 : 1);

interface Measured {
  readonly peak: number | undefined;
  readonly rssBefore: number | undefined;
  readonly stopped: StopResult;
  readonly observed: Observed;
  readonly stores: StoresHeld | undefined;
}

/** Drives the case on its session's server, reads its peak, stops it. */
async function measure(session: Session, attack: Attack, options: AttackRunOptions) {
  const { server } = session;
  const rssBefore = session.rss();
  let driven: { peak?: number | undefined; datagramBytes?: number; stores?: StoresHeld } = {};
  try {
    driven = await drive(session, attack, options);
  } catch (error) {
    session.notes.push(`harness error: ${error instanceof Error ? error.message : String(error)}`);
  }
  const peak = driven.peak ?? session.peak();
  const drops = readUdpCounters(server.port)?.drops;
  const stopped = await server.stop();
  await session.sender.close();
  if (server.exitedEarly) session.notes.push(`the server exited early: ${stopped.lastLine}`);
  const observed: Observed = {
    sent: session.sender.sent + session.extraSent,
    attackSent: session.attackSent,
    printed: server.sink.lines,
    kernelDrops: drops,
    ...(driven.datagramBytes === undefined ? {} : { datagramBytes: driven.datagramBytes }),
  };
  return { peak, rssBefore, stopped, observed, stores: driven.stores };
}

const tenth = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);

function resultOf(
  attack: Attack,
  session: Session,
  measured: Measured,
  scale: Scale,
): AttackResult {
  const { stopped } = measured;
  const accounting =
    stopped.summary === undefined ? null : accountFor(stopped.summary, measured.observed);
  const serverUp = session.markersSeen === session.markersSent && !session.server.exitedEarly;
  const held = attack.mode === "held-fragments" ? "held" : "accepted";
  const { reason, expected } = reasonOf(attack, accounting, held);
  const known = session.stalls.filter((stall): stall is number => stall !== null);
  const complete = known.length === session.stalls.length && known.length > 0;
  const stallMs = complete ? Math.max(...known) : null;
  const peakMiB = mibOf(measured.peak);
  const cleanExit = stopped.code === 0 && stopped.summary !== undefined;
  const { stores } = measured;
  const goals = verdicts({ attack, stallMs, peakMiB, serverUp, cleanExit, accounting, stores });
  return {
    name: attack.name,
    title: attack.title,
    class: attack.class,
    mode: attack.mode,
    facts: { ...attack.facts(), ...volumeFacts(attack, scale) },
    stalls_ms: session.stalls.map(tenth),
    stall_ms: tenth(stallMs),
    idle_marker_ms: tenth(session.idleMs),
    peak_rss_mib: peakMiB,
    rss_before_mib: mibOf(measured.rssBefore),
    reason,
    reason_expected: expected,
    server_up: serverUp,
    exit_code: stopped.code,
    accounting,
    ...(stores === undefined ? {} : { stores }),
    goals,
    ok: Object.values(goals).every((goal) => goal !== "fail"),
    notes: session.notes,
  };
}

/** Runs one case on a server of its own. */
export async function runAttack(attack: Attack, options: AttackRunOptions): Promise<AttackResult> {
  const session = await Session.start(options.markerTimeoutMs ?? 120_000, attack.serverArgs);
  const measured = await measure(session, attack, options);
  return resultOf(attack, session, measured, options.scale);
}

/** The cases picked by `only` (all by default); throws on an unknown name. */
export function pickAttacks(only: readonly string[] | undefined): Attack[] {
  if (only === undefined || only.length === 0) return [...ATTACKS];
  for (const name of only) {
    if (!ATTACKS.some((attack) => attack.name === name)) {
      throw new Error(`unknown attack case "${name}": ${ATTACKS.map((a) => a.name).join(", ")}`);
    }
  }
  return ATTACKS.filter((attack) => only.includes(attack.name));
}

export async function runAttacks(options: AttackRunOptions): Promise<AttackReport> {
  const started = performance.now();
  const results: AttackResult[] = [];
  for (const attack of pickAttacks(options.only)) {
    options.log?.(`attack: ${attack.name}: ${attack.title}`);
    const result = await runAttack(attack, options);
    options.log?.(
      `attack: ${attack.name}: stall ${result.stall_ms ?? "none"} ms, peak ${result.peak_rss_mib} MiB, ${result.reason}`,
    );
    results.push(result);
  }
  return {
    ok: results.every((result) => result.ok),
    scale: options.scale,
    rounds: roundsOf(options),
    goals: GOALS,
    duration_ms: Math.round(performance.now() - started),
    results,
    table: table(results),
  };
}
