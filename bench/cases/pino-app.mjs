// A pino app for bench/cases/pino.ts: logs COUNT lines to one destination,
// in bursts of 100 a turn of the event loop (so that pino-socket's chunks
// fit a datagram), then exits at once; prints the ms from the first log
// call until pino's exit handler has flushed and ended its transport.
import { writeSync } from "node:fs";
import pino from "pino";

const [kind, port, count] = process.argv.slice(2);
const targets = {
  transport: { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}` } },
  // The same transport with nothing listening at the port.
  "transport-down": { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}` } },
  "pino-file": { target: "pino/file", options: { destination: "/dev/null" } },
  // maxUdpPacketSize: a larger chunk is dropped (and counted here as not received), not a crash.
  "pino-socket": {
    target: "pino-socket",
    options: { address: "127.0.0.1", port, mode: "udp", maxUdpPacketSize: 65_507 },
  },
};
const logger = pino({ name: "bench" }, pino.transport(targets[kind]));
const request = { method: "GET", url: "/api/orders/42", status: 200 };
await new Promise((resolve) => setTimeout(resolve, 200));
const start = performance.now();
for (let i = 0; i < Number(count); i++) {
  logger.info({ i, request, ms: i % 97 }, "request served");
  if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
}
// After pino's own exit handler, which flushes and ends the transport.
process.on("exit", () => writeSync(1, `${JSON.stringify({ ms: performance.now() - start })}\n`));
process.exit(0);
