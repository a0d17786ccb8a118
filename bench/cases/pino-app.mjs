// A pino app for bench/cases/pino.ts: logs COUNT lines to one destination,
// in bursts of 100 a turn of the event loop (so that pino-socket's chunks
// fit a datagram), then exits at once. It prints the ms from the first log
// call to the end of its loop (`loopMs`) and until pino's exit handler has
// flushed and ended its transport (`ms`), and the CPU time of the whole
// process (all its threads) over the same span (`cpuMs`), of which its
// own thread's, the one pino formats lines on (`mainCpuMs`; Linux only).
// `readyMs` is the destination's start-up, not timed in the others: from
// pino.transport() to its "ready" (the worker started and the destination
// loaded).
import { once } from "node:events";
import { readFileSync, writeSync } from "node:fs";
import pino from "pino";

const [kind, port, count] = process.argv.slice(2);
const shipper = { target: "udp-log-shipper/pino", options: { target: `127.0.0.1:${port}` } };
const targets = {
  transport: shipper,
  // The same transport with nothing listening at the port.
  "transport-down": shipper,
  // The same transport beside pino/file, in one worker.
  "transport-targets": {
    targets: [{ target: "pino/file", options: { destination: "/dev/null" } }, shipper],
  },
  "pino-file": { target: "pino/file", options: { destination: "/dev/null" } },
  // maxUdpPacketSize: a larger chunk is dropped (and counted here as not received), not a crash.
  "pino-socket": {
    target: "pino-socket",
    options: { address: "127.0.0.1", port, mode: "udp", maxUdpPacketSize: 65_507 },
  },
};
const called = performance.now();
const transport = pino.transport(targets[kind]);
const logger = pino({ name: "bench" }, transport);
/** CPU ms of this thread so far (Linux schedstat; NaN elsewhere). */
function mainThreadMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8");
    return Number(stat.split(" ")[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}
const request = { method: "GET", url: "/api/orders/42", status: 200 };
// The worker has loaded its destination: its start-up is not timed.
await once(transport, "ready");
const readyMs = performance.now() - called;
const cpu = process.cpuUsage();
const mainAtStart = mainThreadMs();
const start = performance.now();
for (let i = 0; i < Number(count); i++) {
  logger.info({ i, request, ms: i % 97 }, "request served");
  if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
}
const loopMs = performance.now() - start;
// After pino's own exit handler, which flushes and ends the transport.
process.on("exit", () => {
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  const cpuMs = (used.user + used.system) / 1000;
  const mainCpuMs = mainThreadMs() - mainAtStart;
  writeSync(1, `${JSON.stringify({ ms, loopMs, cpuMs, mainCpuMs, readyMs })}\n`);
});
process.exit(0);
