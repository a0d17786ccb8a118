// The Node fallback of mmsg-sender.c: same arguments, same answer.
import dgram from "node:dgram";
import { readFileSync } from "node:fs";

const [port, rate, durationMs, warmupMs, streams, file] = process.argv
  .slice(2)
  .map((a, i) => (i === 5 ? a : Number(a)));
const bytes = readFileSync(file);
const templates = [];
for (let at = 0; at < bytes.length; ) {
  const n = bytes.readUInt32BE(at);
  templates.push(bytes.subarray(at + 4, at + 4 + n));
  at += 4 + n;
}
const seqs = new Uint32Array(Math.max(1, streams));
const socket = dgram.createSocket("udp4");
let attempted = 0;
let sent = 0;
let errors = 0;
let warm;
socket.connect(port, "127.0.0.1", () => {
  const start = performance.now();
  const tick = () => {
    const elapsed = performance.now() - start;
    if (elapsed >= warmupMs + durationMs) return finish(start);
    if (warm === undefined && elapsed >= warmupMs) warm = { sent, at: performance.now() };
    const due = Math.floor(
      ((Math.min(elapsed, warmupMs) / 2 + Math.max(0, elapsed - warmupMs)) / 1000) * rate,
    );
    for (; attempted < due; attempted++) {
      const t = templates[attempted % templates.length];
      const d = Buffer.from(t);
      if (streams > 0) {
        const s = attempted % streams;
        d[10] ^= s & 0xff;
        d[9] ^= (s >> 8) & 0xff;
        d.writeUInt32BE(seqs[s]++, 11);
      }
      socket.send(d, (error) => (error ? errors++ : sent++));
    }
    setImmediate(tick);
  };
  tick();
});
function finish(start) {
  setTimeout(() => {
    const end = performance.now();
    const w = warm ?? { sent: 0, at: start };
    const rateOut = (sent - w.sent) / ((end - w.at) / 1000);
    console.log(
      JSON.stringify({ attempted, sent, errors, seconds: (end - start) / 1000, rate: rateOut }),
    );
    socket.close();
  }, 50);
}
