/**
 * Sends prebuilt datagrams of 100 entries (sequenced, compressed, as the
 * client sends them by default) to a port, paced at a rate or as fast as
 * the socket takes them. Each copy gets the next seq. Forked with IPC: it
 * sends {type:"ready"} once its datagrams are built; on {type:"run", port,
 * rate, durationMs, maxDatagrams} it sends and answers {type:"done", ...}.
 * rate 0 means unpaced.
 */
import dgram from "node:dgram";
import { datagramTemplates, SEQ_OFFSET } from "../lib/data.js";

const TEMPLATES = datagramTemplates("text", 16, 100).map((bytes) => Buffer.from(bytes));
/** Sends awaiting their callback, when unpaced. */
const MAX_IN_FLIGHT = 256;
const TICK_MS = 1;

interface RunRequest {
  readonly port: number;
  /** Datagrams per second; 0: as fast as possible. */
  readonly rate: number;
  readonly durationMs: number;
  readonly maxDatagrams: number;
}

function run(request: RunRequest): void {
  const socket = dgram.createSocket("udp4");
  let seq = 0;
  let sent = 0;
  let errors = 0;
  let inFlight = 0;
  let start = 0;
  let stopped = false;
  const sendOne = () => {
    const template = TEMPLATES[seq % TEMPLATES.length] as Buffer;
    const datagram = Buffer.allocUnsafe(template.length);
    template.copy(datagram);
    datagram.writeUInt32BE(seq >>> 0, SEQ_OFFSET);
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
    const seconds = (performance.now() - start) / 1000;
    const wait = () => {
      if (inFlight > 0) return void setTimeout(wait, 1);
      socket.close();
      process.send?.({ type: "done", attempted: seq, sent, errors, seconds, rate: sent / seconds });
    };
    wait();
  };
  const tick = () => {
    const elapsed = performance.now() - start;
    if (stopped) return;
    if (elapsed >= request.durationMs || seq >= request.maxDatagrams) return finish();
    if (request.rate > 0) {
      const due = Math.min(request.maxDatagrams, Math.ceil((elapsed / 1000) * request.rate));
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
process.send?.({ type: "ready", datagramBytes: TEMPLATES.map((t) => t.length) });
