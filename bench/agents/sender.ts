/**
 * Sends prebuilt datagrams of 100 entries (sequenced, compressed, as the
 * client sends them by default), or of one syslog or JSON message each
 * (`shape` of the run request), to a port, paced at a rate or as fast as
 * the socket takes them. Each copy gets the next seq, counted on across
 * runs (a second run to the same server is not a replay of the first). Forked with IPC: it
 * sends {type:"ready"} once its datagrams are built; on {type:"run", port,
 * rate, warmupMs, durationMs, maxDatagrams} it sends and answers
 * {type:"done", ...}. rate 0 means unpaced. A paced run first sends at half
 * the rate for warmupMs (so the receiver's code is compiled before it is
 * pushed), then at the rate for durationMs; `rate` in the answer is the
 * rate achieved after the warm-up.
 */
import dgram from "node:dgram";
import { type DatagramShape, datagramsOf, isFramed, SEQ_OFFSET } from "../lib/data.js";

const TEMPLATES: Record<DatagramShape, Buffer[]> = {
  framed: datagramsOf("framed"),
  "framed-10": datagramsOf("framed-10"),
  "syslog-3164": datagramsOf("syslog-3164"),
  "syslog-5424": datagramsOf("syslog-5424"),
  json: datagramsOf("json"),
};
/** Sends awaiting their callback, when unpaced. */
const MAX_IN_FLIGHT = 256;
const TICK_MS = 1;

interface RunRequest {
  readonly port: number;
  /** What is sent; default framed. */
  readonly shape?: DatagramShape;
  /** Datagrams per second; 0: as fast as possible. */
  readonly rate: number;
  /** Time at half the rate before durationMs at the rate; paced runs only. */
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly maxDatagrams: number;
}

/** The seq of the first datagram of the next run. */
let firstSeq = 0;

/** Datagrams due `elapsed` ms into a paced run. */
function dueAt(elapsed: number, r: RunRequest): number {
  const warm = Math.min(elapsed, r.warmupMs);
  const full = Math.max(0, elapsed - r.warmupMs);
  return Math.min(r.maxDatagrams, Math.ceil(((warm / 2 + full) / 1000) * r.rate));
}

function run(request: RunRequest): void {
  const socket = dgram.createSocket("udp4");
  let seq = 0;
  let sent = 0;
  let errors = 0;
  let inFlight = 0;
  let start = 0;
  let stopped = false;
  /** Datagrams sent and time when the warm-up ended. */
  let warm = { sent: 0, at: 0 };
  const shape = request.shape ?? "framed";
  const templates = TEMPLATES[shape];
  const stamped = isFramed(shape);
  const sendOne = () => {
    const template = templates[seq % templates.length] as Buffer;
    const datagram = Buffer.allocUnsafe(template.length);
    template.copy(datagram);
    if (stamped) datagram.writeUInt32BE((firstSeq + seq) >>> 0, SEQ_OFFSET);
    seq += 1;
    inFlight += 1;
    socket.send(datagram, (error) => {
      inFlight -= 1;
      if (error) errors += 1;
      else sent += 1;
    });
  };
  const finish = () => {
    stopped = true;
    const end = performance.now();
    const seconds = (end - start) / 1000;
    const measured = (end - (warm.at || start)) / 1000;
    const wait = () => {
      if (inFlight > 0) return void setTimeout(wait, 1);
      socket.close();
      const rate = (sent - warm.sent) / measured;
      firstSeq += seq;
      process.send?.({ type: "done", attempted: seq, sent, errors, seconds, rate });
    };
    wait();
  };
  const tick = () => {
    const elapsed = performance.now() - start;
    if (stopped) return;
    const warmupMs = request.rate > 0 ? request.warmupMs : 0;
    if (elapsed >= warmupMs + request.durationMs || seq >= request.maxDatagrams) return finish();
    if (warm.at === 0 && elapsed >= warmupMs) warm = { sent, at: performance.now() };
    if (request.rate > 0) {
      const due = dueAt(elapsed, request);
      while (seq < due) sendOne();
      setTimeout(tick, TICK_MS);
    } else {
      while (inFlight < MAX_IN_FLIGHT && seq < request.maxDatagrams) sendOne();
      setImmediate(tick);
    }
  };
  socket.connect(request.port, "127.0.0.1", () => {
    start = performance.now();
    tick();
  });
}

process.on("message", (message: { type?: string } & RunRequest) => {
  if (message.type === "run") run(message);
  if (message.type === "stop") process.exit(0);
});
process.on("disconnect", () => process.exit(0));
process.send?.({ type: "ready", datagramBytes: TEMPLATES.framed.map((t) => t.length) });
