/**
 * The attack cases that send many datagrams: fragments of messages that
 * never complete, tiny entries to a stopped stdout reader, and a full
 * socket queue at SIGTERM.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ServerProcess } from "../../test/support/server-process.js";
import { queuedBytes } from "./attack-harness.js";
import { emptyEntries, legacyFrame, streamId, zlib } from "./attack-payloads.js";
import type { Session } from "./attack-session.js";
import type { VolumeSizes } from "./attacks.js";
import { rawFragment } from "./fragments.js";
import { PacedSender } from "./sender.js";

export async function heldFragments(session: Session, sizes: VolumeSizes): Promise<void> {
  const paced = new PacedSender(session.server, session.nonce);
  const slice = new Uint8Array(sizes.heldSliceBytes).fill(0x61);
  let sent = 0;
  for (let i = 0; i < sizes.heldMessages; i++) {
    const stream = streamId(0x4e1d, i % sizes.heldStreams);
    const seq = Math.floor(i / sizes.heldStreams);
    const spec = { flags: 0x06, stream, seq, index: 0, count: 2 };
    if (await paced.send(rawFragment(spec, slice))) sent++;
    if (paced.stuck !== undefined) break;
  }
  const started = performance.now();
  session.stalls.push(await session.marker(started));
  await sleep(300);
  await paced.finish();
  session.attackSent += sent;
  session.extraSent += paced.sent;
  if (paced.stuck !== undefined) session.notes.push(paced.stuck);
  session.notes.push(`${sent} fragments sent, ${paced.probesSent} pacing probes`);
}

/** Waits until the server's socket has nothing queued (or `timeoutMs` passes). */
export async function queueEmpty(port: number, timeoutMs: number): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if ((queuedBytes(port) ?? 0) === 0) return true;
    await sleep(5);
  }
  return false;
}

/** Waits until the server's stdout has been still for 500 ms (or `timeoutMs` passes). */
export async function quiet(server: ServerProcess, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  let lines = -1;
  while (lines !== server.sink.lines && performance.now() < until) {
    lines = server.sink.lines;
    await sleep(500);
  }
}

/**
 * Reads stdout again, waits until it has been still (the output queue is
 * written out), then sends the marker: one sent while the queue is still
 * full would be dropped with the rest.
 */
export async function resumeAndMark(session: Session): Promise<void> {
  const { server } = session;
  server.child.stdout?.resume();
  const resumed = performance.now();
  await quiet(server, session.timeoutMs);
  session.notes.push(
    `stdout drained ${Math.round(performance.now() - resumed)} ms after reading again`,
  );
  session.stalls.push(await session.marker(performance.now()));
}

export async function stoppedReader(
  session: Session,
  sizes: VolumeSizes,
): Promise<number | undefined> {
  const { server, sender } = session;
  const datagram = legacyFrame(zlib(emptyEntries(sizes.stoppedEntriesPerDatagram)));
  server.child.stdout?.pause();
  for (let i = 0; i < sizes.stoppedDatagrams; i += 50) {
    const n = Math.min(50, sizes.stoppedDatagrams - i);
    await sender.sendAll(Array.from({ length: n }, () => datagram));
    session.attackSent += n;
    if (!(await queueEmpty(server.port, session.timeoutMs))) {
      session.notes.push("the socket's queue did not empty while stdout was stopped");
      break;
    }
  }
  await sleep(500);
  const peak = session.peak();
  await resumeAndMark(session);
  session.notes.push(
    `${session.attackSent * sizes.stoppedEntriesPerDatagram} entries in ` +
      `${session.attackSent} datagrams of ${datagram.length} bytes`,
  );
  return peak;
}

export async function shutdownCase(session: Session, sizes: VolumeSizes): Promise<number> {
  const digits = String(sizes.shutdownDatagrams).length;
  const datagrams = function* () {
    for (let i = 0; i < sizes.shutdownDatagrams; i++) {
      yield Buffer.from(`{"n":"${String(i).padStart(digits, "0")}"}`);
    }
  };
  await session.sender.sendAll(datagrams(), 256);
  session.attackSent += sizes.shutdownDatagrams;
  const queued = queuedBytes(session.server.port);
  session.notes.push(`${queued ?? "unknown"} bytes queued in the socket at SIGTERM`);
  return 8 + digits;
}
