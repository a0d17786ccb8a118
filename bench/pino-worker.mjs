// The pino transport's worker side in one process, to see where its CPU
// goes: COUNT pino lines (bench/cases/pino-app.mjs's) are made first, then
// fed to the transport's stream (dist/node/pino.js) in chunks of
// CHUNK_LINES lines (default 100), as thread-stream writes them (a worker
// behind its app gets up to 4 MiB, some 20,000 lines, at once), and
// shipped to PORT on loopback (a UDP receiver of your own, or a closed
// port). It prints the CPU µs per entry
// of this thread (what the transport's worker thread does) and of the
// process's other threads (V8's: concurrent compilation and GC helpers;
// Linux only). `map` maps the lines only, ROUNDS times, to tell a warm
// mapping from a first one. PROFILE=cpu or PROFILE=heap writes the run's
// profile (sampling; the heap one counts collected objects too) to OUT.
//
//   npm run build
//   node bench/pino-worker.mjs full|map COUNT PORT [ROUNDS] [OUT]
//   node --no-concurrent-recompilation bench/pino-worker.mjs full ...
//     (compilation on this thread: "other" is then GC alone)
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import pino from "pino";

const [mode = "full", count = "100000", port = "9", rounds = "5", out = "pino-worker.profile"] =
  process.argv.slice(2);
const N = Number(count);
const lines = [];
const logger = pino({ name: "bench" }, { write: (line) => lines.push(line) });
const request = { method: "GET", url: "/api/orders/42", status: 200 };
for (let i = 0; i < N; i++) logger.info({ i, request, ms: i % 97 }, "request served");
const chunks = [];
const chunkLines = Number(process.env.CHUNK_LINES ?? 100);
for (let i = 0; i < N; i += chunkLines) chunks.push(lines.slice(i, i + chunkLines).join(""));
const bare = lines.map((line) => line.slice(0, -1));
lines.length = 0;

const { default: pinoTransport } = await import("../dist/node/pino.js");
const { LineShipper } = await import("../dist/node/line-shipper.js");
const target = `127.0.0.1:${port}`;

/** CPU ms of this thread so far. */
function threadMs() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8");
  return Number(stat.split(" ")[0]) / 1e6;
}

async function measured(name, run) {
  const cpu = process.cpuUsage();
  const atStart = threadMs();
  await run();
  const used = process.cpuUsage(cpu);
  const ms = threadMs() - atStart;
  const all = (used.user + used.system) / 1000;
  const us = (value) => Number(((value * 1000) / N).toFixed(3));
  console.log(JSON.stringify({ run: name, threadUs: us(ms), otherUs: us(all - ms) }));
}

async function profiled(run) {
  const kind = process.env.PROFILE;
  if (kind !== "cpu" && kind !== "heap") return run();
  const session = new Session();
  session.connect();
  if (kind === "cpu") {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 100 });
    await session.post("Profiler.start");
  } else {
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  await run();
  const stop = kind === "cpu" ? "Profiler.stop" : "HeapProfiler.stopSampling";
  const { profile } = await session.post(stop);
  writeFileSync(out, JSON.stringify(profile));
}

if (mode === "map") {
  const shipper = new LineShipper({ target }, "pino", "pino-worker");
  for (let round = 1; round <= Number(rounds); round++) {
    await measured(`map ${round}`, () => {
      let bytes = 0;
      for (const line of bare) bytes += shipper.entry(line)?.bytes ?? 0;
      return bytes;
    });
  }
  await shipper.close();
} else {
  const stream = await pinoTransport({ target });
  await measured("full", () =>
    profiled(async () => {
      for (const chunk of chunks) {
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
      }
      await new Promise((resolve) => {
        stream.once("close", resolve);
        stream.end();
      });
    }),
  );
}
