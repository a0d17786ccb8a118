/**
 * A UDP receiver that only counts: datagrams, bytes, and the times of the
 * first and last one. It is the client's counting sink and the machine's
 * receive limit. Forked with IPC: it sends {type:"ready", port}; on
 * {type:"report", settleMs} it waits until no datagram came for settleMs
 * (at most 5 s) and answers {type:"report", ...counts}; {type:"reset"} starts
 * counting from zero; on {type:"stop"} it exits.
 */
import dgram from "node:dgram";

const RECV_BUFFER_BYTES = 8 * 1024 * 1024;
const MAX_SETTLE_WAIT_MS = 5000;

const counts = { datagrams: 0, bytes: 0, firstAt: 0, lastAt: 0 };
const socket = dgram.createSocket("udp4");

socket.on("message", (datagram) => {
  const now = performance.now();
  if (counts.datagrams === 0) counts.firstAt = now;
  counts.lastAt = now;
  counts.datagrams += 1;
  counts.bytes += datagram.length;
});

function report(settleMs: number): void {
  const asked = performance.now();
  const check = () => {
    const now = performance.now();
    const quiet = now - Math.max(counts.lastAt, asked) >= settleMs;
    if (quiet || now - asked >= MAX_SETTLE_WAIT_MS) {
      process.send?.({
        type: "report",
        ...counts,
        spanSeconds: (counts.lastAt - counts.firstAt) / 1000,
      });
    } else {
      setTimeout(check, 10);
    }
  };
  check();
}

process.on("message", (message: { type?: string; settleMs?: number }) => {
  if (message.type === "report") report(message.settleMs ?? 0);
  if (message.type === "reset") {
    Object.assign(counts, { datagrams: 0, bytes: 0, firstAt: 0, lastAt: 0 });
    process.send?.({ type: "reset" });
  }
  if (message.type === "stop") socket.close(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));

socket.bind({ address: "127.0.0.1", port: 0 }, () => {
  try {
    socket.setRecvBufferSize(RECV_BUFFER_BYTES);
  } catch {
    // The kernel's maximum applies.
  }
  process.send?.({ type: "ready", port: socket.address().port });
});
